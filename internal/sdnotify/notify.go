package sdnotify

import (
	"fmt"
	"net"
	"strconv"
	"time"
)

// Notifier sends states to systemd. The zero value, and a Notifier made
// where $NOTIFY_SOCKET is not set, does nothing: the same binary runs under
// systemd, in a terminal and in tests.
type Notifier struct {
	addr string
}

// FromEnv reads $NOTIFY_SOCKET through getenv.
func FromEnv(getenv func(string) string) *Notifier {
	return &Notifier{addr: getenv("NOTIFY_SOCKET")}
}

// Enabled reports whether a notify socket was given.
func (n *Notifier) Enabled() bool { return n != nil && n.addr != "" }

// Notify sends one state (e.g. "READY=1"); several may be joined by "\n".
// It reports whether anything was sent.
func (n *Notifier) Notify(state string) (bool, error) {
	if !n.Enabled() {
		return false, nil
	}
	// A name starting with '@' is in the abstract namespace; the net
	// package maps it to the leading NUL byte itself.
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: n.addr, Net: "unixgram"})
	if err != nil {
		return false, fmt.Errorf("sdnotify: dial %s: %w", n.addr, err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(state)); err != nil {
		return false, fmt.Errorf("sdnotify: send: %w", err)
	}
	return true, nil
}

// WatchdogInterval returns systemd's watchdog timeout (WatchdogSec= of the
// unit, as $WATCHDOG_USEC) when it is meant for this process ($WATCHDOG_PID
// unset or equal to pid), and 0 otherwise.
func WatchdogInterval(getenv func(string) string, pid int) (time.Duration, error) {
	s := getenv("WATCHDOG_USEC")
	if s == "" {
		return 0, nil
	}
	if p := getenv("WATCHDOG_PID"); p != "" && p != strconv.Itoa(pid) {
		return 0, nil
	}
	us, err := strconv.ParseInt(s, 10, 64)
	if err != nil || us <= 0 {
		return 0, fmt.Errorf("sdnotify: WATCHDOG_USEC=%q is not a positive number", s)
	}
	return time.Duration(us) * time.Microsecond, nil
}
