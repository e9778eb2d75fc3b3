package synce2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/sync/syncclient"
	"communekiosk/sync/syncproto"
)

var (
	citydOnce sync.Once
	citydBin  string
	citydErr  error
)

// cityd builds bin/cityd once for this test binary.
func cityd(t testing.TB) string {
	t.Helper()
	citydOnce.Do(func() {
		dir, err := os.MkdirTemp("", "synce2e-cityd")
		if err != nil {
			citydErr = err
			return
		}
		citydBin = filepath.Join(dir, "cityd")
		if out, err := exec.Command("go", "build", "-o", citydBin, "communekiosk/cmd/cityd").CombinedOutput(); err != nil {
			citydErr = fmt.Errorf("build cityd: %v\n%s", err, out)
		}
	})
	if citydErr != nil {
		t.Fatal(citydErr)
	}
	return citydBin
}

// startCityd starts a real cityd process on PostgreSQL at dsn and returns
// its URL once it logs that it is ready; the test stops it by its PID.
func startCityd(t testing.TB, dsn, data string) (url string, pid int) {
	t.Helper()
	return startCitydArgs(t, "--data", data, "--db", dsn)
}

// startCitydArgs starts "cityd serve" with args on a free port.
func startCitydArgs(t testing.TB, args ...string) (url string, pid int) {
	t.Helper()
	cmd := exec.Command(cityd(t), append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "",
		"--log-format", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "CITYD_CONFIG=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid = cmd.Process.Pid
	done := make(chan struct{})
	t.Cleanup(func() {
		syscall.Kill(pid, syscall.SIGTERM)
		<-done
	})
	sc := bufio.NewScanner(stderr)
	for url == "" && sc.Scan() {
		var rec struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "City server ready" && rec.URL != "" {
			url = rec.URL
		}
	}
	go func() {
		for sc.Scan() {
		}
		cmd.Wait()
		close(done)
	}()
	if url == "" {
		t.Fatal("cityd did not start")
	}
	return url, pid
}

// namedToken makes the user name of role (with communes as its scope) in
// a city's store with the cityd binary and returns a named API token of
// it: outside --demo, cityd takes no other. storeArgs name the store:
// --db URL, or --data DIR of an embedded store no cityd has open yet.
func namedToken(t testing.TB, name, role string, communes []string, storeArgs ...string) string {
	t.Helper()
	runCityd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(cityd(t), args...)
		cmd.Env = append(os.Environ(), "CITYD_CONFIG=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("cityd %v: %v", args[:2], err)
		}
		return string(out)
	}
	add := append([]string{"user", "add"}, storeArgs...)
	for _, c := range communes {
		add = append(add, "--commune", c)
	}
	runCityd(append(add, "--role", role, name)...)
	out := runCityd(append(append([]string{"token", "add"}, storeArgs...), "--user", name, "--name", "synce2e")...)
	tok := regexp.MustCompile(`ck_\S+`).FindString(out)
	if tok == "" {
		t.Fatalf("token add printed no token: %q", out)
	}
	return tok
}

// TestSamePushThreeCityd: three cityd processes on one database get the
// same push batch at once (a kiosk's retry racing through a load
// balancer): one dossier per request_id, each accepted once, and the same
// ack (city reference, received_at) from all three. Then one enrolment
// code is redeemed at once by two kiosks through two of them: once.
func TestSamePushThreeCityd(t *testing.T) {
	dsn := citypgtest.Schema(t)
	data := t.TempDir() // the key file all three share
	admin := namedToken(t, "ops", "admin", nil, "--db", dsn)
	var urls []string
	for range 3 {
		u, _ := startCityd(t, dsn, data)
		urls = append(urls, u)
	}
	c := &cityEnv{t: t, addr: urls[0][len("http://"):], token: admin}
	k := openKiosk(t, filepath.Join(t.TempDir(), "kiosk.db"), kioskOpts{})
	t.Cleanup(func() { k.db.Close() })
	ctx := context.Background()
	if _, err := k.sync.Enrol(ctx, urls[0], c.enrolCode()); err != nil {
		t.Fatal(err)
	}
	k.submit(40)
	pending, err := k.db.Pending(100, 1<<20)
	if err != nil || len(pending) != 40 {
		t.Fatalf("pending %d, %v", len(pending), err)
	}
	req := syncproto.PushRequest{Version: syncproto.Version, KioskID: k.id(), BatchID: "same-batch", SentAt: time.Now().UTC()}
	for _, it := range pending {
		req.Items = append(req.Items, syncproto.Item{Seq: it.Seq, RequestID: it.RequestID, Code: it.Code, Service: it.Service,
			CreatedAt: it.CreatedAt, Sealed: it.Sealed, SHA256: it.SHA256})
	}
	resps := make([]syncproto.PushResponse, 3)
	errs := make([]error, 3)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, u := range urls {
		cl := syncclient.New(syncclient.Options{BaseURL: u, Identity: k.db.Identity, Logger: quiet()})
		wg.Go(func() {
			<-start
			resps[i], errs[i] = cl.Push(ctx, req)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("cityd %d: %v", i, err)
		}
	}
	for j, it := range req.Items {
		accepted := 0
		for i := range 3 {
			r := resps[i].Results[j]
			switch r.Outcome {
			case syncproto.Accepted:
				accepted++
			case syncproto.Duplicate:
			default:
				t.Fatalf("cityd %d, %s: %+v", i, it.RequestID, r)
			}
			first := resps[0].Results[j]
			if r.RequestID != it.RequestID || r.CityRef == "" || r.CityRef != first.CityRef || !r.ReceivedAt.Equal(first.ReceivedAt) {
				t.Fatalf("%s: cityd %d acked %s %v, cityd 0 %s %v", it.RequestID, i, r.CityRef, r.ReceivedAt, first.CityRef, first.ReceivedAt)
			}
		}
		if accepted != 1 {
			t.Fatalf("%s accepted %d times", it.RequestID, accepted)
		}
	}
	// One enrolment code, two kiosks redeeming it at once through two
	// cityd: one gets enrolled.
	code := c.enrolCode()
	enrolErrs := make([]error, 2)
	start = make(chan struct{})
	for i := range 2 {
		wg.Go(func() {
			<-start
			_, enrolErrs[i] = syncclient.New(syncclient.Options{Logger: quiet()}).Enrol(ctx, urls[1+i], code)
		})
	}
	close(start)
	wg.Wait()
	if (enrolErrs[0] == nil) == (enrolErrs[1] == nil) {
		t.Fatalf("one code redeemed at once through two cityd: %v, %v; want exactly one success", enrolErrs[0], enrolErrs[1])
	}

	st, err := citypg.Open(ctx, dsn, citypg.Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var kiosks int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM kiosks`).Scan(&kiosks); err != nil || kiosks != 2 {
		t.Fatalf("%d kiosks, %v; want the first and one of the two", kiosks, err)
	}
	var rows, distinct, feed, head int
	err = st.Pool().QueryRow(ctx, `SELECT count(*), count(DISTINCT request_id), (SELECT count(*) FROM feed), (SELECT max(feed_seq) FROM kiosks) FROM requests`).
		Scan(&rows, &distinct, &feed, &head)
	if err != nil || rows != 40 || distinct != 40 || feed != 40 || head != 40 {
		t.Fatalf("database: %d requests, %d distinct, %d feed entries, head %d, %v; want 40 each", rows, distinct, feed, head, err)
	}
}
