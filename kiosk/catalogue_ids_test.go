package kiosk

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestCatalogueIDsStable pins every service, step and field ID of the
// embedded catalogue, and every option ID. The UI and the city rely on
// them: renaming one is a breaking change. After an intended addition run
// `go test ./kiosk -run IDsStable -update` and review the diff.
func TestCatalogueIDsStable(t *testing.T) {
	cat := mustCatalogue(t)
	var b strings.Builder
	for _, s := range cat.Services {
		b.WriteString("service " + s.ID + " " + s.Procedure + " " + s.Form + " fee=" + s.Fee + "\n")
		for _, st := range s.Steps {
			b.WriteString("  step " + st.ID + "\n")
			for _, f := range st.Fields {
				line := "    " + f.ID + " " + f.Kind
				if f.Options != "" {
					line += " options=" + f.Options
				}
				if f.Required {
					line += " required"
				}
				b.WriteString(line + "\n")
			}
		}
	}
	for _, name := range []string{"relations", "sex", "events", "delivery", "marital_statuses", "ethnicities"} {
		var ids []string
		for _, o := range cat.Options(name) {
			ids = append(ids, o.ID)
		}
		b.WriteString("options " + name + ": " + strings.Join(ids, " ") + "\n")
	}
	for _, p := range cat.Purposes {
		b.WriteString("purpose " + p.ID + "\n")
	}
	got := b.String()
	path := filepath.Join("testdata", "catalogue_ids.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("catalogue IDs changed; if intended, run with -update and review.\ngot:\n%s", got)
	}
}
