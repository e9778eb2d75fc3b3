package pkgtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDpkgInstallRemovePurge installs kioskd and cityd on this machine
// with dpkg, as a commune's IT person would, and checks what the
// maintainer scripts did: the system users, the data folders, the units
// enabled; then that removal keeps the data and purge deletes it. It
// changes the machine, so it runs only where asked (CI sets CI=true on a
// throwaway machine; PKGTEST_INSTALL=1 elsewhere) and only as root.
func TestDpkgInstallRemovePurge(t *testing.T) {
	if os.Getenv("CI") != "true" && os.Getenv("PKGTEST_INSTALL") != "1" {
		t.Skip("changes this machine: runs in CI, or with PKGTEST_INSTALL=1")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	tests := []struct {
		pkg, user, data, unit, conf string
	}{
		{"kioskd", "kioskd", "/var/lib/commune-kiosk", "kioskd.service", "/etc/commune-kiosk/kioskd.conf"},
		{"cityd", "cityd", "/var/lib/cityd", "cityd.service", "/etc/cityd/cityd.conf"},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			if out, err := exec.Command("dpkg-query", "-W", tt.pkg).CombinedOutput(); err == nil {
				t.Skipf("%s is already installed here (%s): not touching it", tt.pkg, strings.TrimSpace(string(out)))
			}
			t.Cleanup(func() { exec.Command("dpkg", "--purge", tt.pkg).Run() })
			run(t, "dpkg", "--install", deb(t, tt.pkg, "amd64"))
			if _, err := exec.Command("getent", "passwd", tt.user).Output(); err != nil {
				t.Errorf("no system user %s after install", tt.user)
			}
			st, err := os.Stat(tt.data)
			if err != nil || !st.IsDir() || st.Mode().Perm() != 0o700 {
				t.Errorf("data folder %s: %v %v", tt.data, st, err)
			}
			if owner := strings.TrimSpace(run(t, "stat", "-c", "%U", tt.data)); owner != tt.user {
				t.Errorf("%s is owned by %s, want %s", tt.data, owner, tt.user)
			}
			wants := filepath.Join("/etc/systemd/system/multi-user.target.wants", tt.unit)
			if _, err := os.Lstat(wants); err != nil {
				t.Errorf("%s is not enabled: %v", tt.unit, err)
			}
			if tt.pkg == "kioskd" {
				groups := strings.Fields(run(t, "id", "-nG", "kioskd"))
				for _, g := range []string{"lp", "dialout"} {
					if !contains(groups, g) {
						t.Errorf("kioskd is not in group %s (%v)", g, groups)
					}
				}
				if _, err := os.Lstat("/etc/systemd/system/multi-user.target.wants/commune-kiosk-session.service"); err != nil {
					t.Errorf("the kiosk screen is not enabled: %v", err)
				}
			}
			// A request lives in the data folder: removal must keep it.
			keep := filepath.Join(tt.data, "kept-by-remove")
			if err := os.WriteFile(keep, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			run(t, "dpkg", "--remove", tt.pkg)
			if _, err := os.Stat(keep); err != nil {
				t.Errorf("removal deleted the data: %v", err)
			}
			if _, err := os.Stat(tt.conf); err != nil {
				t.Errorf("removal deleted the conffile %s (dpkg keeps it until purge): %v", tt.conf, err)
			}
			run(t, "dpkg", "--purge", tt.pkg)
			if _, err := os.Stat(tt.data); !os.IsNotExist(err) {
				t.Errorf("purge left %s: %v", tt.data, err)
			}
			if _, err := os.Stat(tt.conf); !os.IsNotExist(err) {
				t.Errorf("purge left %s: %v", tt.conf, err)
			}
		})
	}
}
