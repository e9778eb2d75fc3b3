package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var kioskdBin string

// TestMain builds the real binary once; the tests run it as a process.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kioskd-test")
	if err != nil {
		panic(err)
	}
	kioskdBin = filepath.Join(dir, "kioskd")
	if out, err := exec.Command("go", "build", "-o", kioskdBin, ".").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic("build kioskd: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// start runs kioskd on a free loopback port and returns its base URL; the
// process is stopped by its PID when the test ends.
func start(t *testing.T, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(kioskdBin, "--addr", "127.0.0.1:0", "--data", data, "--log-format", "json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "Kiosk UI ready" {
				urls <- strings.TrimSuffix(line.URL, "/")
			}
		}
		close(urls)
	}()
	select {
	case u, ok := <-urls:
		if !ok {
			t.Fatal("kioskd exited before it was ready")
		}
		return cmd, u
	case <-time.After(60 * time.Second):
		t.Fatal("kioskd did not say it was ready within 60 s")
	}
	return nil, ""
}

func TestServesAndStopsOnSIGTERM(t *testing.T) {
	data := t.TempDir()
	cmd, url := start(t, data)

	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	resp, err = http.Post(url+"/api/Kiosk/State", "application/json", strings.NewReader("[]"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Ready    bool `json:"ready"`
		Enrolled bool `json:"enrolled"`
	}
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if resp.StatusCode != 200 || st.Ready || st.Enrolled {
		t.Errorf("state of a fresh kiosk: %d %+v", resp.StatusCode, st)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("kioskd exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("kioskd did not stop within 30 s of SIGTERM")
	}
	// The store was closed cleanly: a second process can open it at once.
	out, err := exec.Command(kioskdBin, "--data", data, "--list").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "CODE") {
		t.Errorf("--list after shutdown: %v\n%s", err, out)
	}
}

func TestSecondProcessGetsAClearError(t *testing.T) {
	data := t.TempDir()
	start(t, data)
	cmd := exec.Command(kioskdBin, "--data", data, "--list")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use") {
		t.Errorf("second process on the same store: %v\n%s", err, out)
	}
}

func TestHelpAndSetPIN(t *testing.T) {
	out, err := exec.Command(kioskdBin, "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "KIOSK_DATA") || !strings.Contains(string(out), "-sync-spec") {
		t.Errorf("--help: %v\n%s", err, out)
	}
	data := t.TempDir()
	out, err = exec.Command(kioskdBin, "--data", data, "--set-pin", "12").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "4 digits") {
		t.Errorf("short PIN accepted: %v\n%s", err, out)
	}
	out, err = exec.Command(kioskdBin, "--data", data, "--set-pin", "482613").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PIN stored") {
		t.Errorf("--set-pin: %v\n%s", err, out)
	}
	out, err = exec.Command(kioskdBin, "--bogus").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "bogus") {
		t.Errorf("unknown flag: %v\n%s", err, out)
	}
}
