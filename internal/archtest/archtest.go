package archtest

import (
	"fmt"
	"go/parser"
	"go/token"
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
	// Internal lists the module's own packages it may depend on, directly
	// or through others (the whole import graph is checked); nil means
	// any, an empty non-nil slice means none.
	Internal []string
	// StdlibOnly forbids every third-party dependency, direct or through
	// other packages, except those in Allow.
	StdlibOnly bool
	// Allow lists third-party imports permitted when StdlibOnly is set.
	Allow []string
}

// Guard restricts a direct import of a third-party library (or a part of
// the standard library) to the
// packages listed (those packages' importers may reach it through them).
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

// Violation is one forbidden import, or one forbidden dependency reached
// through other packages.
type Violation struct {
	Pkg    string // importing package, relative to the module root
	File   string // for a direct import: the first file importing it
	Import string
	// Via, for a dependency reached through other packages, is the chain
	// of imports from Pkg to Import (module packages relative to the root).
	Via []string
	Why string
}

func (v Violation) String() string {
	if len(v.Via) > 0 {
		return fmt.Sprintf("%s reaches %s through %s: %s", v.Pkg, v.Import, strings.Join(v.Via, " → "), v.Why)
	}
	return fmt.Sprintf("%s (%s) imports %s: %s", v.Pkg, v.File, v.Import, v.Why)
}

// Check returns every import under root that breaks rules: it parses the
// non-test Go files of every platform for direct imports (Rule and Guard),
// then reads the whole import graph from `go list -deps` for what a
// package reaches through others (Rule only). root must be a module root.
func Check(root string, rules Rules) ([]Violation, error) {
	imports := map[string]map[string]string{} // pkg -> import -> first file
	err := walkGoFiles(root, func(p, pkg string) error {
		name := filepath.Base(p)
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("archtest: parse %s: %w", p, err)
		}
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
	reached, err := checkGraph(root, rules)
	if err != nil {
		return nil, err
	}
	out = append(out, reached...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pkg != out[j].Pkg {
			return out[i].Pkg < out[j].Pkg
		}
		if (len(out[i].Via) > 0) != (len(out[j].Via) > 0) {
			return len(out[i].Via) == 0
		}
		return out[i].Import < out[j].Import
	})
	return out, nil
}

// verdict returns why pkg may not import ip directly, or "" when it may.
func (r Rules) verdict(pkg, ip string) string {
	target, internal := r.rel(ip)
	if internal {
		return r.internalVerdict(pkg, target)
	}
	if !strings.Contains(strings.SplitN(ip, "/", 2)[0], ".") {
		return r.guardVerdict(pkg, ip) // the standard library: guards only
	}
	if why := r.stdlibOnlyVerdict(pkg, ip); why != "" {
		return why
	}
	return r.guardVerdict(pkg, ip)
}

// internalVerdict returns why pkg may not depend on the module's package
// target, or "".
func (r Rules) internalVerdict(pkg, target string) string {
	for _, rule := range r.Pkgs {
		if !match(rule.Pkg, pkg) || rule.Internal == nil {
			continue
		}
		if !matchAny(rule.Internal, target) {
			return fmt.Sprintf("%s may depend only on %v of this module", rule.Pkg, rule.Internal)
		}
	}
	return ""
}

// stdlibOnlyVerdict returns why pkg may not depend on the third-party
// package ip, or "".
func (r Rules) stdlibOnlyVerdict(pkg, ip string) string {
	for _, rule := range r.Pkgs {
		if match(rule.Pkg, pkg) && rule.StdlibOnly && !matchAny(rule.Allow, ip) {
			return fmt.Sprintf("%s depends only on the standard library (and %v)", rule.Pkg, rule.Allow)
		}
	}
	return ""
}

// guardVerdict returns why pkg may not import the package ip (third-party,
// or a guarded part of the standard library) directly, or "".
func (r Rules) guardVerdict(pkg, ip string) string {
	for _, g := range r.Guards {
		if match(g.Import, ip) && !matchAny(g.Only, pkg) {
			return fmt.Sprintf("only %v may import %s", g.Only, g.Import)
		}
	}
	return ""
}

func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if match(p, name) {
			return true
		}
	}
	return false
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
