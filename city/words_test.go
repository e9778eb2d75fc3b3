package city

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// wordFiles are the city program's files that may hold Vietnamese words
// in their strings, each with why; every other word a person reads comes
// from the catalogue (office_i18n*.go), so that it is written once.
var wordFiles = map[string]string{
	"office_i18n.go":            "the back office's catalogue",
	"office_i18n_report.go":     "the catalogue's words of the uptake report",
	"office_i18n_export.go":     "the catalogue's words of the fleet alerts, the exports and the status notes",
	"../cmd/cityd/user.go":      "the demo's data: its accounts' display names and its commune's name",
	"storetest/storetest.go":    "the conformance suite's sample dossiers: data",
	"storetest/office.go":       "the conformance suite's sample dossiers: data",
	"storetest/report.go":       "the conformance suite's sample dossiers: data",
	"storetest/satisfaction.go": "the conformance suite's sample dossiers: data",
}

// vietnamese reports whether s has a letter only Vietnamese writes
// (ă, â, đ, ê, ô, ơ, ư and the toned vowels of Latin Extended Additional).
func vietnamese(s string) bool {
	for _, r := range s {
		if strings.ContainsRune("ăĂâÂđĐêÊôÔơƠưƯ", r) || (r >= 0x1EA0 && r <= 0x1EF9) {
			return true
		}
		if unicode.Is(unicode.Mn, r) && r >= 0x300 && r <= 0x323 { // a decomposed tone mark
			return true
		}
	}
	return false
}

// TestWordsInTheCatalogue fails on a Vietnamese string literal in the city
// program's Go files (city/..., cmd/cityd; tests aside) outside wordFiles.
// Comments may name Vietnamese terms; strings may not.
func TestWordsInTheCatalogue(t *testing.T) {
	var files []string
	for _, dir := range []string{".", "citybolt", "citypg", "storetest", "../cmd/cityd"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := wordFiles[filepath.ToSlash(path)]; ok {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && vietnamese(s) {
					t.Errorf("%s: Vietnamese words outside the catalogue: %s", fset.Position(lit.Pos()), lit.Value)
				}
			}
			return true
		})
	}
}

// TestWordFilesExist keeps wordFiles to files that are there.
func TestWordFilesExist(t *testing.T) {
	for path := range wordFiles {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("wordFiles names %s: %v", path, err)
		}
	}
}
