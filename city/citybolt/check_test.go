package citybolt_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"communekiosk/city/citybolt"
	"communekiosk/internal/boltdamage"
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
	if err := boltdamage.LoopBranchPage(path); err != nil {
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
