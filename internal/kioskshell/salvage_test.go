package kioskshell

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"communekiosk/kiosk/kioskdb"
)

// TestRunSalvageCommandLine: the damaged file must be named; the data
// folder comes from --data, else KIOSK_DATA; the store itself is refused
// as the damaged file whichever way it is named.
func TestRunSalvageCommandLine(t *testing.T) {
	noRead := func(context.Context, string) (kioskdb.Salvaged, error) {
		return kioskdb.Salvaged{}, errors.New("unreadable")
	}
	envDir, flagDir := t.TempDir(), t.TempDir()
	for _, d := range []string{envDir, flagDir} {
		if err := os.WriteFile(filepath.Join(d, "kiosk.db"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := func(k string) string {
		if k == "KIOSK_DATA" {
			return envDir
		}
		return ""
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(damaged, []byte("not a store"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no file named", nil, "name the damaged file"},
		{"two files named", []string{"a.db", "b.db"}, "name the damaged file"},
		{"the store from KIOSK_DATA", []string{filepath.Join(envDir, "kiosk.db")}, "is the store itself"},
		{"the store from --data over KIOSK_DATA", []string{"--data", flagDir, filepath.Join(flagDir, "kiosk.db")}, "is the store itself"},
		{"a missing damaged file", []string{filepath.Join(envDir, "nope.db")}, "no such file"},
		{"--dump of a file that is no store", []string{"--dump", damaged}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runSalvage("kioskd", tc.args, env, &out, noRead)
			if err == nil || (tc.want != "" && !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("err %v, want one saying %q\n%s", err, tc.want, out.String())
			}
		})
	}
}
