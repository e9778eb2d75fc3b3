package sdnotify

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// listen opens a notify socket the way systemd does (a unixgram socket),
// in a short temporary path (socket paths are limited to 108 bytes).
func listen(t *testing.T) (*net.UnixConn, string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "sdn")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

// drain reads every datagram already queued on c.
func drain(t *testing.T, c *net.UnixConn) []string {
	t.Helper()
	var got []string
	buf := make([]byte, 256)
	for range 100 {
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, err := c.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return got
			}
			t.Fatal(err)
		}
		got = append(got, string(buf[:n]))
	}
	t.Fatal("more than 100 datagrams")
	return nil
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestNotify(t *testing.T) {
	t.Run("sends to the socket", func(t *testing.T) {
		c, path := listen(t)
		n := FromEnv(env(map[string]string{"NOTIFY_SOCKET": path}))
		sent, err := n.Notify("READY=1")
		if err != nil || !sent {
			t.Fatalf("Notify = %v, %v", sent, err)
		}
		if got := drain(t, c); len(got) != 1 || got[0] != "READY=1" {
			t.Fatalf("received %q", got)
		}
	})
	t.Run("no socket, nothing sent", func(t *testing.T) {
		n := FromEnv(env(nil))
		if sent, err := n.Notify("READY=1"); sent || err != nil {
			t.Fatalf("Notify = %v, %v", sent, err)
		}
		var zero *Notifier
		if zero.Enabled() {
			t.Fatal("nil notifier enabled")
		}
	})
	t.Run("socket gone is an error", func(t *testing.T) {
		n := FromEnv(env(map[string]string{"NOTIFY_SOCKET": filepath.Join(t.TempDir(), "none")}))
		if _, err := n.Notify("READY=1"); err == nil {
			t.Fatal("no error for a missing socket")
		}
	})
}

func TestWatchdogInterval(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want time.Duration
		err  bool
	}{
		{"unset", nil, 0, false},
		{"for us", map[string]string{"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"}, 30 * time.Second, false},
		{"no pid given", map[string]string{"WATCHDOG_USEC": "5000000"}, 5 * time.Second, false},
		{"for another process", map[string]string{"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"}, 0, false},
		{"garbage", map[string]string{"WATCHDOG_USEC": "soon"}, 0, true},
		{"zero", map[string]string{"WATCHDOG_USEC": "0"}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := WatchdogInterval(env(tt.env), 42)
			if (err != nil) != tt.err || got != tt.want {
				t.Fatalf("WatchdogInterval = %v, %v; want %v, error %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// The watchdog pings only on the ticks where the store answers.
func TestWatchdogPingsOnlyWhileHealthy(t *testing.T) {
	c, path := listen(t)
	n := FromEnv(env(map[string]string{"NOTIFY_SOCKET": path}))
	health := []error{nil, errors.New("store closed"), errors.New("store closed"), nil, nil}
	calls := 0
	tick := make(chan time.Time) // unbuffered: a send returns once the previous tick is handled
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.Watchdog(ctx, WatchdogOptions{
			Timeout: 30 * time.Second,
			Tick:    tick,
			Check: func(context.Context) error {
				err := health[calls]
				calls++
				return err
			},
		})
	}()
	for range health {
		tick <- time.Time{}
	}
	cancel()
	<-done
	if calls != len(health) {
		t.Fatalf("check ran %d times, want %d", calls, len(health))
	}
	got := drain(t, c)
	if len(got) != 3 {
		t.Fatalf("got %d pings %q, want 3 (ticks 1, 4 and 5)", len(got), got)
	}
	for i, g := range got {
		if g != "WATCHDOG=1" {
			t.Fatalf("ping %d = %q", i, g)
		}
	}
}

func TestWatchdogDisabled(t *testing.T) {
	// Without a socket the watchdog returns at once instead of looping.
	done := make(chan struct{})
	go func() {
		defer close(done)
		FromEnv(env(nil)).Watchdog(context.Background(), WatchdogOptions{Timeout: time.Second})
	}()
	<-done
}
