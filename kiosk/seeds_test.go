package kiosk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readSeeds reads fuzz seeds from testdata/seeds/name, one per line; lines
// starting with "#" are comments and "\n" stands for a line break.
func readSeeds(tb testing.TB, name string) []string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seeds", name))
	if err != nil {
		tb.Fatalf("read seeds: %v", err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.ReplaceAll(line, `\n`, "\n"))
	}
	return out
}
