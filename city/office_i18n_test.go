package city

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOfficeWords: every key the templates and handlers use has its
// Vietnamese and its English, and so has every status, action, role,
// reason code and audited action.
func TestOfficeWords(t *testing.T) {
	used := map[string]bool{}
	tmpl := regexp.MustCompile(`\bt[f]? (?:\.L|\$l) "([a-z_0-9.]+)"`)
	code := regexp.MustCompile(`"((?:err|ok)_[a-z_]+)"`)
	files, _ := filepath.Glob("office_templates/*.html")
	goFiles, _ := filepath.Glob("office*.go")
	for _, f := range append(files, goFiles...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		re := tmpl
		if strings.HasSuffix(f, ".go") {
			re = code
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for _, s := range AllStatuses {
		used["st_"+string(s)] = true
		used["a_status."+string(s)] = s != "received" && s != "rejected"
	}
	for a := range actions {
		used["act_"+a] = true
	}
	for _, r := range []Role{RoleAdmin, RoleOfficer, RoleViewer} {
		used["role_"+string(r)] = true
	}
	for _, c := range ReasonCodes {
		used["rc_"+c] = true
	}
	for _, f := range []string{FlagDueSoon, FlagOverdue, FlagOnTime, FlagLate} {
		used["flag_"+f] = true
	}
	for k, need := range used {
		if !need {
			continue
		}
		w, ok := officeText[k]
		if !ok || w[0] == "" || w[1] == "" {
			t.Errorf("%q has no Vietnamese and English", k)
		}
	}
}
