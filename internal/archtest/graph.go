package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// listed is the part of `go list -json` that the graph check reads.
type listed struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
}

// graph is a module's import graph as `go list -deps` reports it for one
// GOOS: every package reached from the module's, with its direct imports
// and all its dependencies.
type graph map[string]listed

// loadGraph runs `go list -e -deps -json ./...` in root for goos.
func loadGraph(root, goos string) (graph, error) {
	cmd := exec.Command("go", "list", "-e", "-deps", "-json=ImportPath,Standard,Imports,Deps", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOWORK=off", "GOFLAGS=-mod=readonly")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("archtest: go list in %s (GOOS=%s): %w: %s", root, goos, err, stderr.String())
	}
	g := graph{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("archtest: go list output: %w", err)
		}
		g[p.ImportPath] = p
	}
	if len(g) == 0 {
		return nil, fmt.Errorf("archtest: go list in %s (GOOS=%s) found no packages; is it a module root?", root, goos)
	}
	return g, nil
}

// path returns the chain of imports from one package to another (both
// included), shortest first found, or nil.
func (g graph) path(from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var chain []string
			for p := to; p != ""; p = prev[p] {
				chain = append([]string{p}, chain...)
			}
			return chain
		}
		for _, next := range g[cur].Imports {
			if _, seen := prev[next]; !seen {
				prev[next] = cur
				queue = append(queue, next)
			}
		}
	}
	return nil
}

// goosList is the platforms whose import graphs are checked: this one and
// Windows (the kiosk's other platform), since files may be per platform.
func goosList() []string {
	if runtime.GOOS == "windows" {
		return []string{"windows", "linux"}
	}
	return []string{runtime.GOOS, "windows"}
}

// checkGraph returns what the direct-import check cannot see: a package
// of the module that reaches, through other packages, one of the module's
// packages its rule does not allow, or (StdlibOnly) a third-party package
// not in its Allow list. Direct imports are left to Check's file walk, and
// so are the guards, which restrict direct imports only.
func checkGraph(root string, rules Rules) ([]Violation, error) {
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return nil, fmt.Errorf("archtest: %s is no module root: %w", root, err)
	}
	seen := map[string]bool{}
	var out []Violation
	for _, goos := range goosList() {
		g, err := loadGraph(root, goos)
		if err != nil {
			return nil, err
		}
		for ip, p := range g {
			pkg, ok := rules.rel(ip)
			if !ok {
				continue
			}
			direct := map[string]bool{}
			for _, im := range p.Imports {
				direct[im] = true
			}
			for _, dep := range p.Deps {
				if direct[dep] || g[dep].Standard || seen[pkg+" "+dep] {
					continue
				}
				why := rules.reachVerdict(pkg, dep)
				if why == "" {
					continue
				}
				seen[pkg+" "+dep] = true
				v := Violation{Pkg: pkg, Import: dep, Why: why}
				for _, step := range g.path(ip, dep) {
					if r, ok := rules.rel(step); ok {
						step = r
					}
					v.Via = append(v.Via, step)
				}
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// rel returns an import path of the module relative to its root ("." for
// the root package).
func (r Rules) rel(ip string) (string, bool) {
	if ip == r.Module {
		return ".", true
	}
	rest, ok := strings.CutPrefix(ip, r.Module+"/")
	return rest, ok
}

// reachVerdict returns why pkg may not depend on dep, even indirectly, or
// "" when it may.
func (r Rules) reachVerdict(pkg, dep string) string {
	if target, internal := r.rel(dep); internal {
		return r.internalVerdict(pkg, target)
	}
	return r.stdlibOnlyVerdict(pkg, dep)
}
