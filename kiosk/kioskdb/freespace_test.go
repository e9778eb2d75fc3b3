package kioskdb

import (
	"path/filepath"
	"testing"
)

func TestFreeSpace(t *testing.T) {
	n, err := FreeSpace(t.TempDir())
	if err != nil || n == 0 {
		t.Fatalf("free space of a temp dir: %d, %v", n, err)
	}
	if _, err := FreeSpace(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("free space of a missing folder: no error")
	}
}
