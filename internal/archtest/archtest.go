package archtest

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Rule says what one package may import. Pkg is a path relative to the
// module root ("." for the root package). Patterns end in "/..." to match a
// tree.
type Rule struct {
	Pkg string
	// Internal lists the module's own packages it may import; nil means
	// any, an empty non-nil slice means none.
	Internal []string
	// StdlibOnly forbids every third-party import except those in Allow.
	StdlibOnly bool
	// Allow lists third-party imports permitted when StdlibOnly is set.
	Allow []string
}

// Guard restricts a third-party import to the packages listed.
type Guard struct {
	Import string // e.g. "go.etcd.io/bbolt"
	Only   []string
}

// Rules are the import rules of a module.
type Rules struct {
	Module string
	Pkgs   []Rule
	Guards []Guard
}

// Violation is one forbidden import.
type Violation struct {
	Pkg    string // importing package, relative to the module root
	File   string
	Import string
	Why    string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s) imports %s: %s", v.Pkg, v.File, v.Import, v.Why)
}

// Check parses the non-test Go files under root and returns every import
// that breaks rules.
func Check(root string, rules Rules) ([]Violation, error) {
	imports := map[string]map[string]string{} // pkg -> import -> first file
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("archtest: parse %s: %w", p, err)
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		if imports[pkg] == nil {
			imports[pkg] = map[string]string{}
		}
		for _, im := range f.Imports {
			ip, err := strconv.Unquote(im.Path.Value)
			if err != nil {
				return fmt.Errorf("archtest: %s: bad import %s", p, im.Path.Value)
			}
			if _, seen := imports[pkg][ip]; !seen {
				imports[pkg][ip] = name
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Violation
	for pkg, ims := range imports {
		for ip, file := range ims {
			if why := rules.verdict(pkg, ip); why != "" {
				out = append(out, Violation{Pkg: pkg, File: file, Import: ip, Why: why})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pkg != out[j].Pkg {
			return out[i].Pkg < out[j].Pkg
		}
		return out[i].Import < out[j].Import
	})
	return out, nil
}

// verdict returns why pkg may not import ip, or "" when it may.
func (r Rules) verdict(pkg, ip string) string {
	internal := ip == r.Module || strings.HasPrefix(ip, r.Module+"/")
	stdlib := !internal && !strings.Contains(strings.SplitN(ip, "/", 2)[0], ".")
	if stdlib {
		return ""
	}
	if internal {
		target := strings.TrimPrefix(strings.TrimPrefix(ip, r.Module), "/")
		if target == "" {
			target = "."
		}
		for _, rule := range r.Pkgs {
			if !match(rule.Pkg, pkg) || rule.Internal == nil {
				continue
			}
			ok := false
			for _, a := range rule.Internal {
				if match(a, target) {
					ok = true
					break
				}
			}
			if !ok {
				return fmt.Sprintf("%s may import only %v of this module", rule.Pkg, rule.Internal)
			}
		}
		return ""
	}
	for _, rule := range r.Pkgs {
		if !match(rule.Pkg, pkg) || !rule.StdlibOnly {
			continue
		}
		allowed := false
		for _, a := range rule.Allow {
			if match(a, ip) {
				allowed = true
				break
			}
		}
		if !allowed {
			return fmt.Sprintf("%s imports only the standard library (and %v)", rule.Pkg, rule.Allow)
		}
	}
	for _, g := range r.Guards {
		if !match(g.Import, ip) {
			continue
		}
		allowed := false
		for _, o := range g.Only {
			if match(o, pkg) {
				allowed = true
				break
			}
		}
		if !allowed {
			return fmt.Sprintf("only %v may import %s", g.Only, g.Import)
		}
	}
	return ""
}

// match reports whether name matches pattern; "x/..." matches x and
// everything below it.
func match(pattern, name string) bool {
	if tree, ok := strings.CutSuffix(pattern, "/..."); ok {
		return name == tree || strings.HasPrefix(name, tree+"/")
	}
	ok, _ := path.Match(pattern, name)
	return ok
}
