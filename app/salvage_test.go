package app

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"communekiosk/kiosk/kioskdb"
)

// TestRunSalvage: kioskd salvage imports the requests a restored backup
// lacks, says which, and a second run imports nothing.
func TestRunSalvage(t *testing.T) {
	n, clk := newTestNode(t, true)
	if _, err := n.Requests.Submit(sampleDraft(t)); err != nil {
		t.Fatal(err)
	}
	bak, err := n.db.Backup(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for range 2 {
		clk.t = clk.t.Add(time.Minute)
		rv, err := n.Requests.Submit(sampleDraft(t))
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, rv.Code)
	}
	damaged := n.db.Path()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(n.Close())

	restored := t.TempDir()
	b, err := os.ReadFile(bak)
	must(err)
	must(os.WriteFile(filepath.Join(restored, "kiosk.db"), b, 0o600))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out bytes.Buffer
	must(Salvage(restored, damaged, &out, InProcessSalvageReader, quiet))
	for _, want := range []string{"Imported: 2", codes[0], codes[1], "Already in the store (or purged): 1"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("report lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	must(Salvage(restored, damaged, &out, InProcessSalvageReader, quiet))
	if !strings.Contains(out.String(), "Imported: 0") {
		t.Fatalf("second run:\n%s", out.String())
	}
	db, err := kioskdb.Open(filepath.Join(restored, "kiosk.db"), kioskdb.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	must(err)
	defer db.Close()
	if c, _ := db.Counts(); c.Queued != 3 {
		t.Fatalf("restored store counts %+v", c)
	}
	// The store itself is refused as the damaged file.
	if err := Salvage(restored, filepath.Join(restored, "kiosk.db"), &out, InProcessSalvageReader, quiet); err == nil || !strings.Contains(err.Error(), "is the store itself") {
		t.Fatalf("salvaging the store into itself: %v", err)
	}
}

// TestRewindAlarm: a restored backup older than the last receipt is an
// alarm on the staff screen and in the heartbeat.
func TestRewindAlarm(t *testing.T) {
	dir := t.TempDir()
	n, err := New(Config{DataDir: dir, StaffPIN: "2468", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	enrolForTest(t, n)
	bak, err := n.db.Backup(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Requests.Submit(sampleDraft(t)); err != nil {
		t.Fatal(err)
	}
	n.Close()
	b, _ := os.ReadFile(bak)
	if err := os.WriteFile(filepath.Join(dir, "kiosk.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	n, err = New(Config{DataDir: dir, StaffPIN: "2468", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	u, err := n.Staff.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}
	o, err := n.Staff.Overview(u.Token)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAlarm(t, o, "up to 1 receipts (sequence 1–1) may be missing") {
		t.Fatalf("alarms %+v", o.Alarms)
	}
	if _, codes := n.kioskAlarms(); len(codes) != 1 || codes[0] != "store_rewound" {
		t.Fatalf("codes %v", codes)
	}
}
