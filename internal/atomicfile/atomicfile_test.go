package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys.json")
	for _, content := range []string{"first", "second, longer than the first"} {
		if err := WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("folder holds %v; want only keys.json", names)
	}
}

// A write that fails leaves the old file whole and no temporary file.
func TestWriteFailureLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.json")
	if err := WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(path, 0o644, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 1000))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v; want the writer's", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("file now %q; want the old content", got)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("folder holds %v; want only bundle.json", names)
	}
	// A rename that cannot happen (the target is a folder) leaves no
	// temporary file either.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "x"), nil, 0o644)
	if err := WriteFile(sub, []byte("y"), 0o644); err == nil {
		t.Fatal("replaced a folder")
	}
	if names := entries(t, dir); len(names) != 2 {
		t.Fatalf("folder holds %v; want bundle.json and sub", names)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "f"), []byte("y"), 0o644); err == nil {
		t.Fatal("wrote into a folder that does not exist")
	}
}
