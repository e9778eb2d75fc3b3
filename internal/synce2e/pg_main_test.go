package synce2e

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain removes the cityd binary the PostgreSQL tests built, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	if citydBin != "" {
		os.RemoveAll(filepath.Dir(citydBin))
	}
	os.Exit(code)
}
