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

func TestDiskSize(t *testing.T) {
	dir := t.TempDir()
	size, err := DiskSize(dir)
	if err != nil {
		t.Fatalf("disk size of a temp dir: %v", err)
	}
	free, err := FreeSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	if size == 0 || size < free {
		t.Fatalf("disk size %d, free %d: the disk must be at least as large as its free space", size, free)
	}
	if _, err := DiskSize(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("disk size of a missing folder: no error")
	}
}
