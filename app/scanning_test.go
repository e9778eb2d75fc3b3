package app

import (
	"context"
	"testing"
	"time"

	"github.com/creack/pty"
)

const idCardQR = "001190012345|012345678|Đặng Thị Thuỷ|05071985|Nữ|Số 7 ngõ 12 phố Huế, Hà Nội|20042021"

// The ID card's QR, sent by a serial scanner (a pty stands in for it),
// reaches the page through Scanner.Next over HTTP, Vietnamese letters and
// all, exactly once.
func TestSerialScanReachesThePage(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	n, clk := newTestNode(t, true)
	n.cfg.Scanner = tty.Name()
	n.scans = newScanBuffer(clk.now)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { defer close(stopped); n.runScanner(ctx) }()
	defer func() { cancel(); <-stopped }()
	h := n.Handler(nil)

	var start ScanBatch
	if st := call(t, h, "/api/Scanner/Next", &start, -1, 0); st != 200 || !start.Enabled || len(start.Scans) != 0 {
		t.Fatalf("start: %d %+v", st, start)
	}
	select { // the port opens in the background
	case <-n.scans.opened:
	case <-time.After(20 * time.Second):
		t.Fatal("the scanner port did not open within 20 s")
	}
	var st ScannerStatus
	if call(t, h, "/api/Scanner/Status", &st, unlock(t, n)); !st.Enabled || st.Port != tty.Name() || st.Error != "" {
		t.Fatalf("staff status: %+v", st)
	}
	// The scan goes in two pieces, cutting a letter in two.
	ptmx.Write([]byte(idCardQR[:45]))
	ptmx.Write([]byte(idCardQR[45:] + "\r\n"))
	var got ScanBatch
	for range 20 { // each call waits up to 20 s for a scan
		if st := call(t, h, "/api/Scanner/Next", &got, start.Last, 20000); st != 200 {
			t.Fatalf("next: %d", st)
		}
		if len(got.Scans) > 0 {
			break
		}
	}
	if len(got.Scans) != 1 || got.Scans[0].Text != idCardQR {
		t.Fatalf("scans = %+v", got.Scans)
	}
	var again ScanBatch
	call(t, h, "/api/Scanner/Next", &again, got.Last, 0)
	if len(again.Scans) != 0 {
		t.Fatalf("the same scan came twice: %+v", again.Scans)
	}
}

func TestScanBuffer(t *testing.T) {
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	b := newScanBuffer(clock)
	ctx := context.Background()
	t.Run("the start position replays nothing", func(t *testing.T) {
		b.add("OLD")
		if got := b.next(ctx, -1); len(got.Scans) != 0 || got.Last != 1 {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("a scan after the position", func(t *testing.T) {
		b.add("K7M4QXR9P")
		if got := b.next(ctx, 1); len(got.Scans) != 1 || got.Scans[0].Text != "K7M4QXR9P" || got.Last != 2 {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("a scan nobody took in time is dropped", func(t *testing.T) {
		now = now.Add(scanTTL + time.Second)
		short, cancel := context.WithTimeout(ctx, time.Millisecond)
		defer cancel()
		if got := b.next(short, 1); len(got.Scans) != 0 {
			t.Fatalf("stale scan delivered: %+v", got)
		}
	})
	t.Run("a waiting page wakes on a scan", func(t *testing.T) {
		got := make(chan ScanBatch, 1)
		go func() { got <- b.next(ctx, 2) }()
		b.add("NEW")
		if g := <-got; len(g.Scans) != 1 || g.Scans[0].Text != "NEW" {
			t.Fatalf("%+v", g)
		}
	})
	t.Run("only the last four are kept", func(t *testing.T) {
		for range 6 {
			b.add("X")
		}
		if got := b.next(ctx, 0); len(got.Scans) != 4 {
			t.Fatalf("%d scans kept", len(got.Scans))
		}
	})
}

func TestScannerDisabled(t *testing.T) {
	n, _ := newTestNode(t, true)
	var got ScanBatch
	if st := call(t, n.Handler(nil), "/api/Scanner/Next", &got, 0, 20000); st != 200 || got.Enabled {
		t.Fatalf("%d %+v", st, got)
	}
}
