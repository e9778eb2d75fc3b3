package archtest

import (
	"io/fs"
	"path/filepath"
	"strings"
)

// walkGoFiles calls fn with every non-test Go file under root and its
// package's path relative to root ("." for root), skipping testdata,
// node_modules and hidden or underscore folders, as the go tool does.
func walkGoFiles(root string, fn func(file, pkg string) error) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
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
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		return fn(p, filepath.ToSlash(rel))
	})
}
