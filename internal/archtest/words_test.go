package archtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoWordsOutsideCatalogues fails on a Vietnamese string literal in a
// package that may say nothing to people in words (WordsAllowed).
func TestNoWordsOutsideCatalogues(t *testing.T) {
	ws, err := FindWords("../..", WordsAllowed)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		t.Errorf("%s: words for people outside a catalogue (say a code with parameters instead): %q", w.Pos, w.Text)
	}
	// Every allowed entry still holds words: one that holds none goes.
	all, err := FindWords("../..", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range WordsAllowed {
		used := false
		for _, w := range all {
			file, _, _ := strings.Cut(w.Pos, ":")
			used = used || matchAny([]string{a}, w.Pkg) || allowedFile([]string{a}, file)
		}
		if !used {
			t.Errorf("WordsAllowed has %q, which holds no Vietnamese: drop it", a)
		}
	}
}

// TestFindWords: a Vietnamese literal is found, English, comments and
// test files are not, and an allowed package is skipped.
func TestFindWords(t *testing.T) {
	root := t.TempDir()
	write := func(rel, src string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("sync/syncer/a.go", "package syncer\n\n// Đồng bộ in a comment is fine.\nvar a = \"could not reach the city\"\nvar b = `Không kết nối được`\n")
	write("sync/syncer/a_test.go", "package syncer\n\nvar c = \"Không kết nối được\"\n")
	write("kiosk/m.go", "package kiosk\n\nvar m = \"chưa điền\"\n")
	// A file pattern allows that file only, not its package's others.
	write("city/office_i18n.go", "package city\n\nvar w = \"Hồ sơ\"\n")
	write("city/fleet.go", "package city\n\nvar x = \"Không liên lạc\"\n")
	ws, err := FindWords(root, []string{"kiosk", "city/office_i18n*.go"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Pos != "city/fleet.go:3" || ws[0].Text != "Không liên lạc" ||
		ws[1].Pkg != "sync/syncer" || ws[1].Pos != "sync/syncer/a.go:5" || ws[1].Text != "Không kết nối được" {
		t.Fatalf("found %+v", ws)
	}
}
