package archtest

import (
	"strings"
	"testing"
)

// TestProject fails when any package of this module breaks DESIGN.md's
// import rules.
func TestProject(t *testing.T) {
	vs, err := Check("../..", Project)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("forbidden import: %s", v)
	}
}

// TestCatchesForbidden runs the same rules over a small module in testdata
// whose packages break them, and checks each break is reported.
func TestCatchesForbidden(t *testing.T) {
	vs, err := Check("testdata/badmod", Project)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"app imports github.com/wailsapp/wails/v2",
		"city imports communekiosk/kiosk/kioskdb",
		"kiosk imports communekiosk/kiosk/kioskdb",
		"kiosk imports go.etcd.io/bbolt",
		"sync/syncproto imports github.com/google/uuid",
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.Pkg+" imports "+v.Import)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"kiosk", "kiosk", true},
		{"kiosk", "kiosk/kioskdb", false},
		{"kiosk/...", "kiosk/kioskdb", true},
		{"kiosk/...", "kiosk", true},
		{"kiosk/...", "kioskd", false},
		{"go.etcd.io/bbolt/...", "go.etcd.io/bbolt", true},
	}
	for _, tt := range tests {
		if got := match(tt.pattern, tt.name); got != tt.want {
			t.Errorf("match(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}
