package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// isVietnamese reports whether r is a letter of Vietnamese that English
// has not: a string literal with one is text for people.
func isVietnamese(r rune) bool {
	switch {
	case r >= 0x1EA0 && r <= 0x1EF9: // ạ ả ấ … ỹ (Latin Extended Additional)
		return true
	case r == 0x0102 || r == 0x0103 || r == 0x0110 || r == 0x0111 || // Ă ă Đ đ
		r == 0x01A0 || r == 0x01A1 || r == 0x01AF || r == 0x01B0: // Ơ ơ Ư ư
		return true
	case r >= 0xC0 && r <= 0xFD: // à á â ã è é ê ì í ò ó ô õ ù ú ý, either case
		switch r | 0x20 {
		case 0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xEC, 0xED, 0xF2, 0xF3, 0xF4, 0xF5, 0xF9, 0xFA, 0xFD:
			return true
		}
	}
	return false
}

// Words is one string literal in Vietnamese in a package's non-test Go
// files.
type Words struct {
	Pkg  string // relative to the module root
	Pos  string // file:line
	Text string
}

// FindWords returns the Vietnamese string literals of every package under
// root whose path does not match one of allowed (patterns as in Rule; a
// pattern ending in .go names files instead, as path.Match does, such as
// "city/office_i18n*.go").
func FindWords(root string, allowed []string) ([]Words, error) {
	var out []Words
	err := walkGoFiles(root, func(p, pkg string) error {
		name := filepath.Base(p)
		if matchAny(allowed, pkg) || allowedFile(allowed, path.Join(pkg, name)) {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return fmt.Errorf("archtest: parse %s: %w", p, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && strings.ContainsFunc(s, isVietnamese) {
				pos := fset.Position(lit.Pos())
				out = append(out, Words{Pkg: pkg, Pos: fmt.Sprintf("%s:%d", filepath.ToSlash(mustRel(root, pos.Filename)), pos.Line), Text: s})
			}
			return true
		})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out, err
}

// allowedFile reports whether file (relative to the module root) matches
// one of the file patterns of allowed.
func allowedFile(allowed []string, file string) bool {
	for _, a := range allowed {
		if ok, _ := path.Match(a, file); ok && strings.HasSuffix(a, ".go") {
			return true
		}
	}
	return false
}

func mustRel(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return r
	}
	return p
}

// WordsAllowed are the packages that may hold text for people in Go
// (issue 13, section 2: Go returns codes with parameters, the frontend
// says them from its catalogue). The domain keeps its message catalogue
// (kiosk: validation problems, consent, fees, the catalogue's names, also
// read by the city), and the catalogue files below. Everything else, such
// as app, the sync engine, its transport or the kiosk's store, says codes
// with parameters and may write none.
var WordsAllowed = []string{
	// The domain's catalogue: validation problems and fee words.
	"kiosk/messages.go",
	// Data, not sentences: the letters Đ and đ the Icelandic eth is folded
	// to; the kind words of unit names (Phường, Xã, Thị trấn).
	"kiosk/name.go", "kiosk/units.go", "kiosk/internal/...",
	// The city's catalogue: the back office's pages, the uptake report,
	// the fleet alerts, the exports and the notes a status carries.
	"city/office_i18n*.go",
	// Data, not words of a program: the demo's accounts and commune, the
	// conformance suite's and the end-to-end tests' sample dossiers.
	"cmd/cityd/user.go", "city/storetest", "internal/synce2e",
	// The printed receipt's catalogue: the paper carries both languages.
	"device/receipt/words.go",
}
