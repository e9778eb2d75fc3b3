package citybolt_test

import (
	"path/filepath"
	"testing"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/storetest"
)

func open(t *testing.T) *citybolt.Store {
	t.Helper()
	s, err := citybolt.Open(filepath.Join(t.TempDir(), "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Error(err)
		}
		s.Close()
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) city.Store { return open(t) })
}

func TestSecondProcessGetsClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "city.db")
	s, err := citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// bbolt's flock is per file descriptor: a second Open in this process
	// meets the same lock a second cityd would.
	if _, err := citybolt.Open(path, citybolt.Options{Timeout: 50_000_000}); err == nil {
		t.Fatal("second open succeeded")
	}
}

func TestNewEpoch(t *testing.T) {
	s := open(t)
	e1, _ := s.Epoch(t.Context())
	if err := s.NewEpoch(); err != nil {
		t.Fatal(err)
	}
	e2, _ := s.Epoch(t.Context())
	if e1 == e2 {
		t.Fatal("epoch unchanged")
	}
}
