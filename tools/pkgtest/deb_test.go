package pkgtest

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var dist = flag.String("dist", "", "folder of make package's output (build/bin)")

func distDir(t *testing.T) string {
	t.Helper()
	if *dist == "" {
		t.Skip("no -dist: run through scripts/package-test.sh after make package")
	}
	d, err := filepath.Abs(*dist)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// deb finds the one package of name and arch in the dist folder.
func deb(t *testing.T, name, arch string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(distDir(t), name+"_*_"+arch+".deb"))
	if err != nil || len(m) != 1 {
		t.Fatalf("want one %s %s package in %s, found %v (%v)", name, arch, *dist, m, err)
	}
	return m[0]
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	c := exec.Command(name, args...)
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// field reads one field of dpkg-deb --field.
func field(t *testing.T, pkg, name string) string {
	t.Helper()
	return strings.TrimSpace(run(t, "dpkg-deb", "--field", pkg, name))
}

// contents lists the paths in the package (dpkg-deb --contents), without
// the leading "." and without folders.
func contents(t *testing.T, pkg string) []string {
	t.Helper()
	var paths []string
	for _, line := range strings.Split(run(t, "dpkg-deb", "--contents", pkg), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || strings.HasPrefix(f[0], "d") {
			continue
		}
		paths = append(paths, strings.TrimPrefix(f[5], "."))
	}
	return paths
}

// control unpacks the control area (scripts, conffiles) into a folder.
func control(t *testing.T, pkg string) string {
	t.Helper()
	dir := t.TempDir()
	run(t, "dpkg-deb", "--control", pkg, dir)
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type want struct {
	name, arch string
	files      []string
	conffiles  []string
	depends    []string // substrings of Depends; none means no Depends field
	units      []string // enabled by postinst
	dataDir    string   // removed by postrm only on purge
}

var packages = []want{
	{
		name: "kioskd", arch: "amd64",
		files: []string{"/usr/bin/kioskd", "/etc/commune-kiosk/kioskd.conf", "/etc/pam.d/commune-kiosk-session",
			"/lib/systemd/system/kioskd.service", "/lib/systemd/system/commune-kiosk-session.service",
			"/usr/libexec/commune-kiosk/kiosk-browser", "/usr/share/doc/kioskd/copyright", "/usr/share/lintian/overrides/kioskd"},
		conffiles: []string{"/etc/commune-kiosk/kioskd.conf", "/etc/pam.d/commune-kiosk-session"},
		units:     []string{"kioskd.service", "commune-kiosk-session.service"},
		dataDir:   "/var/lib/commune-kiosk",
	},
	{
		name: "cityd", arch: "amd64",
		files: []string{"/usr/bin/cityd", "/etc/cityd/cityd.conf", "/lib/systemd/system/cityd.service",
			"/usr/share/doc/cityd/copyright", "/usr/share/lintian/overrides/cityd"},
		conffiles: []string{"/etc/cityd/cityd.conf"},
		units:     []string{"cityd.service"},
		dataDir:   "/var/lib/cityd",
	},
	{
		name: "commune-kiosk", arch: "amd64",
		files: []string{"/usr/bin/commune-kiosk", "/etc/commune-kiosk/commune-kiosk.conf",
			"/usr/lib/systemd/user/commune-kiosk.service", "/usr/share/applications/commune-kiosk.desktop",
			"/usr/share/icons/hicolor/1024x1024/apps/commune-kiosk.png", "/usr/share/doc/commune-kiosk/copyright"},
		conffiles: []string{"/etc/commune-kiosk/commune-kiosk.conf"},
		depends:   []string{"libgtk-3-0", "libwebkit2gtk-4.0-37"},
	},
}

func init() {
	// The node and the city server also come for arm64.
	for _, p := range packages[:2] {
		p.arch = "arm64"
		packages = append(packages, p)
	}
}

func TestPackages(t *testing.T) {
	for _, w := range packages {
		t.Run(w.name+"_"+w.arch, func(t *testing.T) {
			p := deb(t, w.name, w.arch)
			if got := field(t, p, "Package"); got != w.name {
				t.Errorf("Package = %q", got)
			}
			if got := field(t, p, "Architecture"); got != w.arch {
				t.Errorf("Architecture = %q, want %q", got, w.arch)
			}
			if v := field(t, p, "Version"); !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+([+~][0-9A-Za-z.+~]+)?$`).MatchString(v) {
				t.Errorf("Version %q is not a version git describe would give", v)
			}
			dep := field(t, p, "Depends")
			if len(w.depends) == 0 && dep != "" {
				t.Errorf("Depends = %q, want none", dep)
			}
			for _, d := range w.depends {
				if !strings.Contains(dep, d) {
					t.Errorf("Depends = %q, want %s", dep, d)
				}
			}
			got := contents(t, p)
			for _, f := range w.files {
				if !slices.Contains(got, f) {
					t.Errorf("missing %s; the package holds %v", f, got)
				}
			}
			ctl := control(t, p)
			var conf []string
			if b, err := os.ReadFile(filepath.Join(ctl, "conffiles")); err == nil {
				conf = strings.Fields(string(b))
			}
			slices.Sort(conf)
			wantConf := slices.Sorted(slices.Values(w.conffiles))
			if !slices.Equal(conf, wantConf) {
				t.Errorf("conffiles = %v, want %v", conf, wantConf)
			}
			if len(w.units) == 0 {
				return
			}
			// The maintainer scripts are valid shell.
			for _, sc := range []string{"postinst", "prerm", "postrm"} {
				run(t, "sh", "-n", filepath.Join(ctl, sc))
			}
			post := readFile(t, filepath.Join(ctl, "postinst"))
			for _, u := range w.units {
				if !regexp.MustCompile(`deb-systemd-helper enable [^\n]*` + regexp.QuoteMeta(u)).MatchString(post) {
					t.Errorf("postinst does not enable %s", u)
				}
			}
			if !strings.Contains(post, "useradd --system") {
				t.Error("postinst makes no system user")
			}
			checkPostrm(t, readFile(t, filepath.Join(ctl, "postrm")), w.dataDir)
		})
	}
}

// checkPostrm: the data folder goes only in the purge branch.
func checkPostrm(t *testing.T, script, dataDir string) {
	t.Helper()
	rm := "rm -rf " + dataDir
	branch := ""
	sc := bufio.NewScanner(strings.NewReader(script))
	found := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasSuffix(line, ")") && !strings.Contains(line, "(") {
			branch = strings.TrimSuffix(line, ")")
		}
		if strings.Contains(line, rm) {
			found = true
			if branch != "purge" {
				t.Errorf("postrm removes %s outside purge (in %q)", dataDir, branch)
			}
		}
	}
	if !found {
		t.Errorf("postrm never removes %s, not even on purge", dataDir)
	}
}
