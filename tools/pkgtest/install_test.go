package pkgtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// unpack extracts packages into a fresh root, as dpkg would lay them out.
func unpack(t *testing.T, pkgs ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range pkgs {
		run(t, "dpkg-deb", "--extract", p, root)
	}
	return root
}

// settingsIn lists the setting names a conffile mentions, live or as a
// commented default ("# name = value").
func settingsIn(t *testing.T, path string) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`^#?\s*([a-z][a-z0-9-]*)\s*=`)
	names := map[string]bool{}
	for _, line := range strings.Split(readFile(t, path), "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			names[m[1]] = true
		}
	}
	return names
}

// flagsOf lists the flags a binary's --help prints.
func flagsOf(t *testing.T, bin string, args ...string) map[string]bool {
	t.Helper()
	out, _ := exec.Command(bin, append(args, "--help")...).CombinedOutput()
	re := regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)
	names := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		names[m[1]] = true
	}
	if len(names) < 5 {
		t.Fatalf("%s --help lists %d flags:\n%s", bin, len(names), out)
	}
	return names
}

// Every setting of the binary is in its conffile (commented, with its
// default), and the conffile names no setting the binary does not know.
func TestConffilesListEverySetting(t *testing.T) {
	tests := []struct {
		pkg, bin, conf string
		args           []string
		skip           []string // command-line-only flags
	}{
		{"kioskd", "/usr/bin/kioskd", "/etc/commune-kiosk/kioskd.conf", nil, []string{"config", "list", "set-pin"}},
		{"cityd", "/usr/bin/cityd", "/etc/cityd/cityd.conf", []string{"serve"}, []string{"config"}},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			root := unpack(t, deb(t, tt.pkg, "amd64"))
			flags := flagsOf(t, filepath.Join(root, tt.bin), tt.args...)
			conf := settingsIn(t, filepath.Join(root, tt.conf))
			for f := range flags {
				if !conf[f] && !contains(tt.skip, f) {
					t.Errorf("%s does not mention the setting %q: add it to build/linux/%s/ with its default, commented", tt.conf, f, tt.pkg)
				}
			}
			for c := range conf {
				if !flags[c] {
					t.Errorf("%s names %q, which %s does not know", tt.conf, c, tt.bin)
				}
			}
		})
	}
}

// The window's config files (the Linux package's and the Windows
// installer's) name every setting of the kiosk node but kioskd's own addr.
func TestWindowConffilesListEverySetting(t *testing.T) {
	root := unpack(t, deb(t, "kioskd", "amd64"), deb(t, "commune-kiosk", "amd64"))
	flags := flagsOf(t, filepath.Join(root, "/usr/bin/kioskd"))
	skip := []string{"config", "list", "set-pin", "addr"}
	for _, conf := range []string{filepath.Join(root, "/etc/commune-kiosk/commune-kiosk.conf"), "../../build/windows/installer/kiosk.conf.example"} {
		t.Run(filepath.Base(conf), func(t *testing.T) {
			names := settingsIn(t, conf)
			for f := range flags {
				if !names[f] && !contains(skip, f) {
					t.Errorf("%s does not mention the setting %q: add it with its default, commented", conf, f)
				}
			}
			for c := range names {
				if !flags[c] {
					t.Errorf("%s names %q, which the kiosk does not know", conf, c)
				}
			}
		})
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// The kiosk screen's browser starter is valid shell and starts Chromium in
// kiosk mode on kioskd's address with a fresh profile.
func TestKioskBrowserScript(t *testing.T) {
	root := unpack(t, deb(t, "kioskd", "amd64"))
	path := filepath.Join(root, "usr/libexec/commune-kiosk/kiosk-browser")
	run(t, "sh", "-n", path)
	script := readFile(t, path)
	for _, want := range []string{"--kiosk", "rm -rf \"$profile\"", "--user-data-dir=\"$profile/chromium\"", "http://127.0.0.1:8470/"} {
		if !strings.Contains(script, want) {
			t.Errorf("kiosk-browser lacks %s", want)
		}
	}
}

func TestUnitsVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze not installed")
	}
	root := unpack(t, deb(t, "kioskd", "amd64"), deb(t, "cityd", "amd64"), deb(t, "commune-kiosk", "amd64"))
	// systemd's own units (targets, sockets) come from this machine.
	hostUnits := filepath.Join(root, "usr", "lib", "systemd", "system")
	os.MkdirAll(filepath.Dir(hostUnits), 0o755)
	run(t, "cp", "-r", "/usr/lib/systemd/system", hostUnits)
	// The kiosk screen runs programs of other packages (cage, chromium):
	// where this machine has none, stand-ins in the unpacked root let the
	// unit be verified on its own terms.
	for _, p := range []string{"/usr/bin/cage", "/usr/bin/chromium", "/bin/sh"} {
		dst := filepath.Join(root, p)
		if _, err := os.Stat(dst); err == nil {
			continue
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// systemd-analyze cannot verify a user unit in another root: the
	// window's user unit is verified as a system unit (same syntax,
	// same programs).
	user := readFile(t, filepath.Join(root, "usr/lib/systemd/user/commune-kiosk.service"))
	if err := os.WriteFile(filepath.Join(root, "lib/systemd/system/commune-kiosk.service"), []byte(user), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"kioskd.service", "commune-kiosk-session.service", "cityd.service", "commune-kiosk.service"} {
		t.Run(u, func(t *testing.T) {
			path := filepath.Join(root, "lib/systemd/system", u)
			out, err := exec.Command("systemd-analyze", "verify", "--system", "--man=no", "--root="+root, path).CombinedOutput()
			if err != nil || len(strings.TrimSpace(string(out))) > 0 {
				t.Errorf("systemd-analyze verify %s: %v\n%s", u, err, out)
			}
		})
	}
}

func TestLintian(t *testing.T) {
	if _, err := exec.LookPath("lintian"); err != nil {
		t.Skip("lintian not installed")
	}
	for _, w := range packages {
		t.Run(w.name+"_"+w.arch, func(t *testing.T) {
			out, _ := exec.Command("lintian", "--no-tag-display-limit", deb(t, w.name, w.arch)).CombinedOutput()
			for _, line := range strings.Split(string(out), "\n") {
				switch {
				case strings.HasPrefix(line, "E: "):
					t.Errorf("lintian: %s", line)
				case strings.HasPrefix(line, "W: "):
					t.Logf("lintian: %s", line)
				}
			}
		})
	}
}

// notifySocket listens where systemd would, inside the unpacked root, and
// hands over each datagram.
func notifySocket(t *testing.T, root string) (string, <-chan string) {
	t.Helper()
	os.MkdirAll(filepath.Join(root, "run"), 0o755)
	path := filepath.Join(root, "run", "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ch := make(chan string, 16)
	go func() {
		buf := make([]byte, 512)
		for {
			n, err := c.Read(buf)
			if err != nil {
				close(ch)
				return
			}
			ch <- string(buf[:n])
		}
	}()
	return "/run/notify", ch
}

// TestInstalledServicesStart unpacks kioskd and cityd into a throwaway root
// and starts each binary from its installed path with its installed config,
// inside that root (chroot, so the config's /var/lib paths are the root's),
// as the units do: it must tell systemd READY=1 and answer /healthz.
func TestInstalledServicesStart(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for chroot (CI runs as root)")
	}
	tests := []struct {
		pkg     string
		argv    []string
		env     string // the listen address override
		urlLine *regexp.Regexp
		dataDir string
		dbFile  string
	}{
		{"kioskd", []string{"/usr/bin/kioskd", "--config", "/etc/commune-kiosk/kioskd.conf"}, "KIOSK_ADDR",
			regexp.MustCompile(`Open the kiosk in a browser: (http://\S+)`), "/var/lib/commune-kiosk", "kiosk.db"},
		{"cityd", []string{"/usr/bin/cityd", "serve", "--config", "/etc/cityd/cityd.conf"}, "CITYD_ADDR",
			regexp.MustCompile(`"url":"(http://[^"]+)"|url=(http://\S+)`), "/var/lib/cityd", "city.db"},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			root := unpack(t, deb(t, tt.pkg, "amd64"))
			os.MkdirAll(filepath.Join(root, tt.dataDir), 0o700)
			os.MkdirAll(filepath.Join(root, "tmp"), 0o1777)
			sock, notes := notifySocket(t, root)
			cmd := exec.Command(tt.argv[0], tt.argv[1:]...)
			cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
			cmd.Dir = "/"
			cmd.Env = []string{"PATH=/usr/bin:/bin", tt.env + "=127.0.0.1:0", "NOTIFY_SOCKET=" + sock, "WATCHDOG_USEC=2000000"}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() {
				cmd.Process.Signal(syscall.SIGKILL)
			})
			urls := make(chan string, 1)
			var log strings.Builder
			logDone := make(chan struct{})
			go func() {
				defer close(logDone)
				sc := bufio.NewScanner(stderr)
				for sc.Scan() {
					fmt.Fprintln(&log, sc.Text())
					if m := tt.urlLine.FindStringSubmatch(sc.Text()); m != nil {
						u := m[1]
						if u == "" && len(m) > 2 {
							u = m[2]
						}
						select {
						case urls <- u:
						default:
						}
					}
				}
			}()
			deadline := time.After(60 * time.Second)
			var url string
			ready, pinged := false, false
			for url == "" || !ready || !pinged {
				select {
				case url = <-urls:
				case n, ok := <-notes:
					if !ok {
						t.Fatal("notify socket closed")
					}
					ready = ready || strings.Contains(n, "READY=1")
					pinged = pinged || (ready && strings.Contains(n, "WATCHDOG=1"))
				case err := <-exited:
					<-logDone
					t.Fatalf("%s exited early: %v\n%s", tt.pkg, err, log.String())
				case <-deadline:
					t.Fatalf("%s: no URL, READY=1 and watchdog ping within 60 s (url %q, ready %v, pinged %v)\n%s", tt.pkg, url, ready, pinged, log.String())
				}
			}
			res, err := (&http.Client{Timeout: 10 * time.Second}).Get(strings.TrimSuffix(url, "/") + "/healthz")
			if err != nil {
				t.Fatalf("GET /healthz: %v", err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("/healthz: %d %s", res.StatusCode, body)
			}
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			select {
			case err := <-exited:
				if err != nil {
					<-logDone
					t.Fatalf("%s did not stop cleanly on SIGTERM: %v\n%s", tt.pkg, err, log.String())
				}
			case <-ctx.Done():
				t.Fatalf("%s did not stop within 30 s of SIGTERM", tt.pkg)
			}
			if _, err := os.Stat(filepath.Join(root, tt.dataDir, tt.dbFile)); err != nil {
				t.Errorf("the store is not in the installed data folder: %v", err)
			}
		})
	}
}
