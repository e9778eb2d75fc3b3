package app

import (
	"errors"
	"testing"
)

// flakyLockStore is the node's store with writes, or reads, that fail.
type flakyLockStore struct {
	inner      lockStore
	failWrites bool
	failReads  bool
}

var errDiskBroken = errors.New("input/output error")

func (f *flakyLockStore) Setting(key string) (string, error) {
	if f.failReads {
		return "", errDiskBroken
	}
	return f.inner.Setting(key)
}

func (f *flakyLockStore) SetSettings(kv map[string]string) error {
	if f.failWrites {
		return errDiskBroken
	}
	return f.inner.SetSettings(kv)
}

// TestLockoutFailsClosed: a lockout that cannot be stored is no lockout,
// so the attempt is refused, the lockout still holds in memory, and an
// unreadable lockout refuses even the right PIN.
func TestLockoutFailsClosed(t *testing.T) {
	t.Run("writes fail", func(t *testing.T) {
		n, _ := newTestNode(t, true)
		n.Staff.lockStore = &flakyLockStore{inner: n.db, failWrites: true}
		for i := range n.cfg.LockoutAfter {
			_, err := n.Staff.Unlock("0000")
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeUnavailable || !errors.Is(err, errDiskBroken) {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		// The right PIN now meets the lockout kept in memory.
		_, err := n.Staff.Unlock("2468")
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeLocked {
			t.Fatalf("right PIN after a lockout that could not be stored: %v", err)
		}
	})
	t.Run("reads fail", func(t *testing.T) {
		n, _ := newTestNode(t, true)
		n.Staff.lockStore = &flakyLockStore{inner: n.db, failReads: true}
		_, err := n.Staff.Unlock("2468")
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeUnavailable {
			t.Fatalf("right PIN with an unreadable lockout: %v", err)
		}
	})
	t.Run("store works", func(t *testing.T) {
		n, _ := newTestNode(t, true)
		if _, err := n.Staff.Unlock("0000"); err == nil {
			t.Fatal("wrong PIN accepted")
		}
		if v, err := n.db.Setting(settingFailures); err != nil || v != "1" {
			t.Fatalf("failures stored %q, %v", v, err)
		}
		if _, err := n.Staff.Unlock("2468"); err != nil {
			t.Fatal(err)
		}
		if v, _ := n.db.Setting(settingFailures); v != "0" {
			t.Fatalf("failures after success %q", v)
		}
	})
}
