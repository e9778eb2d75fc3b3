package citybolt_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city/citybolt"
)

// TestCheckPagesInALoop: a branch page that points to itself makes bbolt's
// check report it again and again without end; Check returns the first
// problem after a bounded number, so cityd refuses the file instead of
// hanging at start; Close (deferred here) leaves the file mapped for the
// check's goroutine, which would otherwise fault on an unmapped page.
func TestCheckPagesInALoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "city.db")
	s, err := citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte("filler"))
		if err != nil {
			return err
		}
		for i := range 2000 {
			if err := bk.Put(fmt.Appendf(nil, "key-%06d", i), make([]byte, 100)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ps := b.Info().PageSize
	b.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	looped := false
	for off := 2 * ps; off+ps <= len(data) && !looped; off += ps {
		// Page header: id (8), flags (2, 0x01 a branch), count (2),
		// overflow (4); a branch element: pos (4), ksize (4), pgid (8).
		if binary.LittleEndian.Uint16(data[off+8:]) == 0x01 && binary.LittleEndian.Uint16(data[off+10:]) > 1 {
			copy(data[off+16+8:off+16+16], data[off:off+8]) // its first child is itself
			looped = true
		}
	}
	if !looped {
		t.Fatal("the test file has no branch page to damage")
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	done := make(chan error, 1)
	go func() { done <- s.Check() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "multiple references") || !strings.Contains(err.Error(), "may point to each other in a loop") {
			t.Fatalf("Check(pages in a loop) = %v, want the page's problem and that the check stopped", err)
		}
	case <-time.After(2 * time.Minute): // a hang detector, not a time budget
		t.Fatal("Check of a file whose pages loop did not return")
	}
}
