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

// TestMain lets this test binary stand in for kioskd as the child that
// reads a damaged file ("salvage --dump"), as ChildSalvageReader runs it.
func TestMain(m *testing.M) {
	if os.Getenv("KIOSK_TEST_SALVAGE_CHILD") == "hang" && len(os.Args) > 1 && os.Args[1] == "salvage" {
		select {} // a reader stuck on pages that loop, as bbolt is on some damage
	}
	if os.Getenv("KIOSK_TEST_SALVAGE_CHILD") == "1" && len(os.Args) == 4 && os.Args[1] == "salvage" && os.Args[2] == "--dump" {
		err := DumpDamaged(os.Stdout, os.Args[3])
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestChildSalvageReader: the damaged file is read in a child process; a
// reader that never ends is stopped at the time limit, by its PID, and
// nothing is imported, instead of hanging or crashing the import.
func TestChildSalvageReader(t *testing.T) {
	t.Setenv("KIOSK_TEST_SALVAGE_CHILD", "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := newTestNode(t, true)
	for range 12 {
		if _, err := n.Requests.Submit(sampleDraft(t)); err != nil {
			t.Fatal(err)
		}
	}
	path := n.db.Path()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	read := ChildSalvageReader(exe, time.Minute)
	s, err := read(t.Context(), path)
	if err != nil || len(s.Requests) != 12 {
		t.Fatalf("child read %d requests: %v", len(s.Requests), err)
	}

	// A reader that never ends (bbolt on pages that point to themselves
	// loops until memory runs out) is stopped at the time limit, by PID.
	t.Setenv("KIOSK_TEST_SALVAGE_CHILD", "hang")
	looping := path
	if _, err := ChildSalvageReader(exe, time.Second)(t.Context(), looping); err == nil || !strings.Contains(err.Error(), "stopped after") {
		t.Fatalf("a reader that never ends: %v", err)
	}
	restored := t.TempDir()
	db, err := kioskdb.Open(filepath.Join(restored, "kiosk.db"), kioskdb.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	var out bytes.Buffer
	err = Salvage(restored, looping, &out, ChildSalvageReader(exe, time.Second), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "nothing imported") || !strings.Contains(out.String(), "Imported: 0") {
		t.Fatalf("salvage of a looping file: %v\n%s", err, out.String())
	}
}
