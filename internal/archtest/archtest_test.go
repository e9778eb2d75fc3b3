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
// whose packages break them, and checks each break is reported: the
// direct imports ("imports"), and what only the whole import graph shows
// ("reaches": cmd/cityd may import city/cityfleet, which has no rule and
// imports the kiosk's store; the sync engine may import the domain, but
// not reach the store or bbolt through it, while the domain's x/text is
// allowed).
func TestCatchesForbidden(t *testing.T) {
	vs, err := Check("testdata/badmod", Project)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"app imports flag",
		"app imports github.com/wailsapp/wails/v2",
		"city imports communekiosk/kiosk/kioskdb",
		"cmd/cityd reaches communekiosk/kiosk/kioskdb through cmd/cityd → city/cityfleet → kiosk/kioskdb",
		"kiosk imports communekiosk/kiosk/kioskdb",
		"kiosk imports go.etcd.io/bbolt",
		"sync/syncer imports communekiosk/sync/syncclient",
		"sync/syncer reaches communekiosk/kiosk/kioskdb through sync/syncer → kiosk → kiosk/kioskdb",
		"sync/syncer reaches go.etcd.io/bbolt through sync/syncer → kiosk → go.etcd.io/bbolt",
		"sync/syncproto imports github.com/google/uuid",
	}
	var got []string
	for _, v := range vs {
		if len(v.Via) > 0 {
			got = append(got, v.Pkg+" reaches "+v.Import+" through "+strings.Join(v.Via, " → "))
			continue
		}
		got = append(got, v.Pkg+" imports "+v.Import)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestStdlibOnlyThroughTheGraph: a package that imports only the module's
// own packages still breaks StdlibOnly when one of them reaches a
// third-party library; a package that is not StdlibOnly does not.
func TestStdlibOnlyThroughTheGraph(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want []string
	}{
		{"stdlib only", Rule{Pkg: "cmd/cityd", StdlibOnly: true}, []string{"cmd/cityd reaches go.etcd.io/bbolt through cmd/cityd → city/cityfleet → kiosk/kioskdb → go.etcd.io/bbolt"}},
		{"stdlib only but allowed", Rule{Pkg: "cmd/cityd", StdlibOnly: true, Allow: []string{"go.etcd.io/bbolt/..."}}, nil},
		{"any library", Rule{Pkg: "cmd/cityd"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := checkGraph("testdata/badmod", Rules{Module: "communekiosk", Pkgs: []Rule{tt.rule}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Pkg+" reaches "+v.Import+" through "+strings.Join(v.Via, " → "))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestCheckNeedsAModuleRoot(t *testing.T) {
	if _, err := Check("testdata/badmod/kiosk", Project); err == nil {
		t.Fatal("a folder without go.mod was checked as a module")
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
		t.Run(tt.pattern+" "+tt.name, func(t *testing.T) {
			if got := match(tt.pattern, tt.name); got != tt.want {
				t.Errorf("match(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
			}
		})
	}
}
