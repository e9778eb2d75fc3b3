package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

var cityBin string

// TestMain builds the real binary once for the tests that run it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cityd-test")
	if err != nil {
		panic(err)
	}
	cityBin = filepath.Join(dir, "cityd")
	if out, err := exec.Command("go", "build", "-o", cityBin, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.RemoveAll(dir)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startCityd starts "cityd serve" on a free port and returns its URL, once
// its JSON log says it is ready.
func startCityd(t *testing.T, bin, data string, extra ...string) (*exec.Cmd, string, *lockedBuffer) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--data", data, "--log-format", "json"}, extra...)...)
	cmd.Env = append(os.Environ(), "CITYD_CONFIG=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		syscall.Kill(pid, syscall.SIGKILL) // no-op when it already exited
		cmd.Wait()
	})
	logs := &lockedBuffer{}
	sc := bufio.NewScanner(stderr)
	url := ""
	for url == "" && sc.Scan() {
		line := sc.Bytes()
		logs.Write(append(line, '\n'))
		var rec struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal(line, &rec) == nil && rec.Msg == "City server ready" {
			url = rec.URL
		}
	}
	if url == "" {
		t.Fatalf("cityd did not start:\n%s", logs)
	}
	done := make(chan struct{})
	go func() {
		for sc.Scan() {
			logs.Write(append(sc.Bytes(), '\n'))
		}
		close(done)
	}()
	t.Cleanup(func() {
		syscall.Kill(pid, syscall.SIGKILL) // before waiting for the log to end: a failed test leaves it running
		<-done
	})
	return cmd, url, logs
}

// adminToken makes the admin "ops" in a stopped city (the embedded store
// in data, or the store storeArgs name, e.g. --db URL) and saves a named
// API token of it to data/operator-token, where the cityd commands look
// for one: how a city sets up its scripts (docs/city.md).
func adminToken(t *testing.T, data string, storeArgs ...string) {
	t.Helper()
	if len(storeArgs) == 0 {
		storeArgs = []string{"--data", data}
	}
	if out, err := runCityd(t, nil, append(append([]string{"user", "add"}, storeArgs...), "--role", "admin", "ops")...); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	out, err := runCityd(t, nil, append(append([]string{"token", "add"}, storeArgs...), "--user", "ops", "--name", "tests", "--save", filepath.Join(data, "operator-token"))...)
	if err != nil || !strings.Contains(out, "written to") || strings.Contains(out, "ck_") {
		t.Fatalf("token add --save: %v\n%s", err, out)
	}
}

// lockedBuffer is the log of a running cityd: written as it logs, read by
// the test meanwhile.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestRealBinaryEnrolAndSIGTERM(t *testing.T) {
	bin := cityBin
	data := t.TempDir()
	adminToken(t, data)
	cmd, url, logs := startCityd(t, bin, data)

	// The key file was made on first run, 0600; the saved token is 0600.
	for _, f := range []string{"operator-token", "city-keys.json"} {
		fi, err := os.Stat(filepath.Join(data, f))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, fi, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(data, "operator-token")); !strings.HasPrefix(string(b), "ck_") {
		t.Fatalf("the saved token is not a named one: %q", b)
	}
	cli := func(args ...string) string {
		t.Helper()
		c := exec.Command(bin, append(args[:1:1], append([]string{"--city", url, "--data", data}, args[1:]...)...)...)
		var out, errb bytes.Buffer
		c.Stdout, c.Stderr = &out, &errb
		if err := c.Run(); err != nil {
			t.Fatalf("cityd %v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	code := strings.TrimSpace(cli("enrol-code", "--commune", "00004", "--name", "Phường Ba Đình"))
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	sec, err := syncproto.DeriveEnrolSecret(code)
	if err != nil {
		t.Fatalf("code %q: %v", code, err)
	}
	body, _ := json.Marshal(syncproto.EnrolRequest{Version: 1, CodeID: sec.ID, SigningKey: pub})
	req, _ := http.NewRequest("POST", url+syncproto.PathEnrol, bytes.NewReader(body))
	req.Header.Set(syncproto.HeaderEnrolMAC, syncproto.EnrolRequestMAC(sec.AuthKey, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := syncproto.VerifyEnrolResponseMAC(sec.AuthKey, body, raw, resp.Header.Get(syncproto.HeaderEnrolMAC)); err != nil {
		t.Fatalf("enrol answer MAC: %v", err)
	}
	enrolled, err := syncproto.DecodeEnrolResponse(raw)
	if err != nil {
		t.Fatalf("enrol: %v %s", err, raw)
	}
	if list := cli("kiosks"); !strings.Contains(list, enrolled.KioskID) || !strings.Contains(list, "active") {
		t.Fatalf("kiosks:\n%s", list)
	}
	// USB: a bundle in (twice), a receipt out.
	bundle, err := syncproto.EncodeBundle(syncproto.Bundle{KioskID: enrolled.KioskID, Items: []syncproto.Item{
		{Seq: 1, RequestID: "r-1", Service: "birth_extract_copy", Sealed: []byte("not sealed to the city")}}}, priv)
	if err != nil {
		t.Fatal(err)
	}
	bundlePath := filepath.Join(t.TempDir(), "bundle.json")
	os.WriteFile(bundlePath, bundle, 0o600)
	for range 2 {
		if out := cli("import", bundlePath); !strings.Contains(out, "imported 1 items: 0 accepted, 0 duplicate, 1 rejected") {
			t.Fatalf("import:\n%s", out)
		}
	}
	receiptPath := filepath.Join(t.TempDir(), "receipt.json")
	cli("export-receipt", enrolled.KioskID, receiptPath)
	if b, err := os.ReadFile(receiptPath); err != nil {
		t.Fatal(err)
	} else if rc, err := syncproto.DecodeReceipt(b, enrolled.CityKey); err != nil || rc.KioskID != enrolled.KioskID {
		t.Fatalf("receipt %+v %v", rc, err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out := cli("backup", backup); !strings.Contains(out, "wrote a backup") {
		t.Fatalf("backup: %s", out)
	}
	// The catalogue: a newer version is published once; the same again is
	// refused; the list shows it in force.
	doc, err := os.ReadFile("../../kiosk/catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]any
	json.Unmarshal(doc, &cat)
	cat["version"] = "2026.12.0"
	doc, _ = json.Marshal(cat)
	catPath := filepath.Join(t.TempDir(), "catalogue.json")
	os.WriteFile(catPath, doc, 0o600)
	if out := cli("catalogue", "publish", catPath); !strings.Contains(out, "published catalogue 2026.12.0") {
		t.Fatalf("catalogue publish: %s", out)
	}
	again := exec.Command(bin, "catalogue", "--city", url, "--data", data, "publish", catPath)
	if out, err := again.CombinedOutput(); err == nil || !strings.Contains(string(out), "not newer") {
		t.Fatalf("publishing the same version again: %v %s", err, out)
	}
	if out := cli("catalogue", "list"); !strings.Contains(out, "in force: 2026.12.0") || !strings.Contains(out, " ops ") {
		t.Fatalf("catalogue list: %s", out)
	}
	if out := cli("reset-clock", enrolled.KioskID); !strings.Contains(out, "reset the clock state") {
		t.Fatalf("reset-clock: %s", out)
	}
	cli("revoke", enrolled.KioskID)
	if list := cli("kiosks"); !strings.Contains(list, "revoked") {
		t.Fatalf("kiosks after revoke:\n%s", list)
	}
	prov := filepath.Join(t.TempDir(), "prov.json")
	out := cli("provision", "--commune", "00008", "--name", "Phường Cửa Nam", "--out", prov)
	_, provCode, _ := strings.Cut(out, "code: ")
	if b, err := os.ReadFile(prov); err != nil {
		t.Fatal(err)
	} else if p, err := syncproto.DecodeProvisioning(b); err != nil {
		t.Fatal(err)
	} else if err := p.VerifyCode(strings.TrimSpace(provCode)); err != nil {
		t.Fatalf("provision printed %q; the file does not match it: %v", out, err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	werr := make(chan error, 1)
	go func() { werr <- cmd.Wait() }()
	select {
	case err := <-werr:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs)
		}
	case <-time.After(30 * time.Second): // a bound, not a synchronisation
		t.Fatalf("cityd did not stop after SIGTERM\n%s", logs)
	}
}

func TestDemoMode(t *testing.T) {
	bin := cityBin
	data := t.TempDir()
	cmd, url, _ := startCityd(t, bin, data, "--demo")
	code, err := os.ReadFile(filepath.Join(data, "demo-enrol-code"))
	if err != nil || len(strings.TrimSpace(string(code))) != 19 {
		t.Fatalf("demo code %q %v", code, err)
	}
	if status := getWith(t, url+"/v1/operator/kiosks", "demo"); status != 200 {
		t.Fatalf("demo token: %d", status)
	}
	if out, err := runCityd(t, nil, "kiosks", "--city", url, "--token", "demo"); err != nil {
		t.Fatalf("kiosks with the demo token: %v\n%s", err, out)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	// --demo with a token of its own, from --token-file.
	tf := filepath.Join(t.TempDir(), "tok")
	os.WriteFile(tf, []byte("a-demo-of-our-own\n"), 0o600)
	cmd, url, _ = startCityd(t, bin, data, "--demo", "--token-file", tf)
	if status := getWith(t, url+"/v1/operator/kiosks", "a-demo-of-our-own"); status != 200 {
		t.Fatalf("the demo's own token: %d", status)
	}
	if status := getWith(t, url+"/v1/operator/kiosks", "demo"); status != 401 {
		t.Fatalf("\"demo\" beside a token of its own: %d", status)
	}
	stopCityd(t, cmd)
}

// getWith GETs url with a bearer token and returns the status.
func getWith(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestSharedTokenIsDemoOnly: outside --demo, serve refuses a shared token
// from every source, saying to use a named one, and makes none itself;
// an old token file left by an earlier cityd is warned about and opens
// nothing; the commands say where to put a named token.
func TestSharedTokenIsDemoOnly(t *testing.T) {
	data := t.TempDir()
	tf := filepath.Join(t.TempDir(), "tok")
	os.WriteFile(tf, []byte("shared\n"), 0o600)
	conf := filepath.Join(t.TempDir(), "cityd.conf")
	os.WriteFile(conf, []byte("token = shared\n"), 0o600)
	for _, tt := range []struct {
		name string
		env  []string
		args []string
	}{
		{"--token", nil, []string{"--token", "shared"}},
		{"--token-file", nil, []string{"--token-file", tf}},
		{"CITYD_TOKEN", []string{"CITYD_TOKEN=shared"}, nil},
		{"CITYD_TOKEN_FILE", []string{"CITYD_TOKEN_FILE=" + tf}, nil},
		{"config file", nil, []string{"--config", conf}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCityd(t, tt.env, append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "", "--data", data}, tt.args...)...)
			if err == nil || !strings.Contains(out, "for --demo only") || !strings.Contains(out, "cityd token add") {
				t.Fatalf("serve with a shared token from %s: %v\n%s", tt.name, err, out)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(data, "city.db")); err == nil {
		t.Fatal("a refused serve opened the store")
	}

	cmd, url, _ := startCityd(t, cityBin, data)
	if _, err := os.Stat(filepath.Join(data, "operator-token")); err == nil {
		t.Fatal("serve made a shared token file outside --demo")
	}
	out, err := runCityd(t, nil, "kiosks", "--city", url, "--data", data)
	if err == nil || !strings.Contains(out, "cityd token add") || !strings.Contains(out, filepath.Join(data, "operator-token")) {
		t.Fatalf("kiosks without a token: %v\n%s", err, out)
	}
	stopCityd(t, cmd)

	// A city upgraded from a cityd that made DATA/operator-token itself.
	os.WriteFile(filepath.Join(data, "operator-token"), []byte("0123456789abcdef\n"), 0o600)
	cmd, url, logs := startCityd(t, cityBin, data)
	if !strings.Contains(logs.String(), "shared operator token") {
		t.Fatalf("no warning about the old token file:\n%s", logs)
	}
	if status := getWith(t, url+"/v1/operator/kiosks", "0123456789abcdef"); status != 401 {
		t.Fatalf("the old shared token: %d, want 401", status)
	}
	out, err = runCityd(t, nil, "kiosks", "--city", url, "--data", data)
	if err == nil || !strings.Contains(out, "cityd token add") {
		t.Fatalf("kiosks with the old token: %v\n%s", err, out)
	}
	stopCityd(t, cmd)

	// The way out: an admin's named token saved over it.
	adminToken(t, data)
	cmd, url, logs = startCityd(t, cityBin, data)
	if strings.Contains(logs.String(), "shared operator token") {
		t.Fatalf("a warning about a named token:\n%s", logs)
	}
	if out, err := runCityd(t, nil, "kiosks", "--city", url, "--data", data); err != nil {
		t.Fatalf("kiosks with the named token: %v\n%s", err, out)
	}
	stopCityd(t, cmd)
}

// /metrics is on its own listener (--metrics-addr), not on the API's.
func TestMetricsListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	maddr := l.Addr().String()
	l.Close()
	cmd, url, _ := startCityd(t, cityBin, t.TempDir(), "--metrics-addr", maddr)
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get("http://" + maddr + "/metrics"); status != 200 || !strings.Contains(body, "cityd_items_total") {
		t.Fatalf("metrics listener: %d %.200s", status, body)
	}
	if status, _ := get(url + "/metrics"); status != 404 {
		t.Fatalf("API listener /metrics: %d; want 404", status)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
}
