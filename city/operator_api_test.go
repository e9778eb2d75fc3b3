package city_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"bufio"
	"bytes"
	"communekiosk/city/citybolt"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

func TestOperatorNeedsToken(t *testing.T) {
	e := newEnv(t)
	paths := []struct{ method, path string }{
		{"GET", "/v1/operator/requests"},
		{"GET", "/v1/operator/requests/x"},
		{"POST", "/v1/operator/requests/x/status"},
		{"POST", "/v1/operator/enrol-codes"},
		{"POST", "/v1/operator/provision"},
		{"GET", "/v1/operator/kiosks"},
		{"POST", "/v1/operator/kiosks/K0001/revoke"},
		{"POST", "/v1/operator/kiosks/K0001/reset-clock"},
		{"GET", "/v1/operator/kiosks/K0001/receipt"},
		{"POST", "/v1/operator/import"},
		{"GET", "/v1/operator/stats"},
		{"GET", "/v1/operator/backup"},
	}
	for _, p := range paths {
		t.Run(p.method+" "+p.path, func(t *testing.T) {
			for _, auth := range []string{"", "Bearer wrong", "Bearer " + token + "x", token} {
				req, _ := http.NewRequest(p.method, e.http.URL+p.path, strings.NewReader(`{"commune":"00004"}`))
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				status, body := e.do(req)
				if env, _ := syncproto.DecodeError(body); status != 401 || env.Code != city.CodeUnauthorized {
					t.Errorf("%s %s with %q: %d %s", p.method, p.path, auth, status, body)
				}
			}
		})
	}
	if ks, _ := e.store.Kiosks(t.Context()); len(ks) != 0 {
		t.Fatal("a kiosk was provisioned without the token")
	}
}

func TestOperatorRequestLifecycle(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	it := k.item(goodRequest())
	k.push(it)

	status, body := e.op("GET", "/v1/operator/requests?status=received&commune=00004", nil)
	var list city.RequestList
	if err := json.Unmarshal(body, &list); err != nil || status != 200 || len(list.Requests) != 1 || list.Requests[0].RequestID != it.RequestID {
		t.Fatalf("list: %d %s", status, body)
	}
	status, body = e.op("GET", "/v1/operator/requests/"+it.RequestID, nil)
	var d city.RequestDetail
	if err := json.Unmarshal(body, &d); err != nil || status != 200 || d.Payload == nil || d.Payload.Requester.FullName != "Nguyễn Thị Hoa" {
		t.Fatalf("read: %d %s", status, body)
	}
	if bytes.Contains(body, []byte(`"sealed"`)) {
		t.Fatal("the detail carries the sealed payload")
	}
	steps := []struct {
		to     syncproto.Status
		note   string
		status int
	}{
		{syncproto.StatusDone, "", 409},
		{"lost", "", 400},
		{syncproto.StatusProcessing, "", 200},
		{syncproto.StatusReady, "Mời nhận tại bộ phận một cửa", 200},
		{syncproto.StatusPosted, "", 200},
		{syncproto.StatusPickedUp, "", 409},
		{syncproto.StatusDone, "", 200},
		{syncproto.StatusRejected, "late", 409},
	}
	for _, st := range steps {
		if status, body := e.op("POST", "/v1/operator/requests/"+it.RequestID+"/status", city.StatusChangeRequest{Status: st.to, Note: st.note}); status != st.status {
			t.Fatalf("→ %s: %d %s; want %d", st.to, status, body, st.status)
		}
	}
	if status, _ := e.op("POST", "/v1/operator/requests/nope/status", city.StatusChangeRequest{Status: syncproto.StatusProcessing}); status != 404 {
		t.Fatalf("unknown request: %d", status)
	}
	it2 := k.item(goodRequest())
	k.push(it2)
	if status, _ := e.op("POST", "/v1/operator/requests/"+it2.RequestID+"/status", city.StatusChangeRequest{Status: syncproto.StatusRejected}); status != 400 {
		t.Fatalf("rejection without a reason: %d", status)
	}
	if status, _ := e.op("POST", "/v1/operator/requests/"+it2.RequestID+"/status", city.StatusChangeRequest{Status: syncproto.StatusRejected, Note: "Không tìm thấy sổ đăng ký"}); status != 200 {
		t.Fatalf("reject: %d", status)
	}
	// The kiosk sees every change in its feed.
	p := k.pull(syncproto.Cursor{}, 500)
	if len(p.Changes) != 7 || p.Changes[4].Status != syncproto.StatusDone || p.Changes[6].Note != "Không tìm thấy sổ đăng ký" {
		t.Fatalf("feed %+v", p.Changes)
	}
	status, body = e.op("GET", "/v1/operator/stats", nil)
	var st city.Stats
	if err := json.Unmarshal(body, &st); err != nil || status != 200 || st.Total != 2 || st.SuccessRate != 0.5 || st.ByService["birth_extract_copy"] != 2 {
		t.Fatalf("stats %d %s", status, body)
	}
}

func TestOperatorPaging(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	var items []syncproto.Item
	for range 5 {
		items = append(items, k.item(goodRequest()))
	}
	k.push(items...)
	seen := 0
	after := ""
	for range 5 {
		status, body := e.op("GET", "/v1/operator/requests?limit=2&after="+after, nil)
		var list city.RequestList
		if err := json.Unmarshal(body, &list); err != nil || status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		seen += len(list.Requests)
		if list.Next == "" {
			break
		}
		after = list.Next
	}
	if seen != 5 {
		t.Fatalf("paged over %d requests; want 5", seen)
	}
}

func TestUSBBundleAndReceipt(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	items := []syncproto.Item{k.item(goodRequest()), k.item(goodRequest())}
	bundle, err := syncproto.EncodeBundle(syncproto.Bundle{KioskID: k.id, CreatedAt: k.clock, Items: items}, k.key)
	if err != nil {
		t.Fatal(err)
	}
	importBundle := func(data []byte) (int, syncproto.PushResponse) {
		req, _ := http.NewRequest("POST", e.http.URL+"/v1/operator/import", bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+token)
		status, body := e.do(req)
		resp, _ := syncproto.DecodePushResponse(body)
		return status, resp
	}
	status, first := importBundle(bundle)
	if status != 200 || len(first.Results) != 2 || first.Results[0].Outcome != syncproto.Accepted {
		t.Fatalf("import: %d %+v", status, first)
	}
	status, second := importBundle(bundle)
	if status != 200 || second.Results[1].Outcome != syncproto.Duplicate || second.Results[1].CityRef != first.Results[1].CityRef {
		t.Fatalf("re-import: %d %+v", status, second)
	}
	// Then the same items by push: still duplicates.
	if r := k.push(items[0]).Results[0]; r.Outcome != syncproto.Duplicate {
		t.Fatalf("push after import: %+v", r)
	}
	if e.count() != 2 {
		t.Fatalf("city holds %d", e.count())
	}
	// A bundle signed by another key is refused.
	other := e.enrol("00008")
	forged, _ := syncproto.EncodeBundle(syncproto.Bundle{KioskID: k.id, Items: []syncproto.Item{other.item(goodRequest())}}, other.key)
	if status, _ := importBundle(forged); status != 401 {
		t.Fatalf("forged bundle: %d", status)
	}
	e.op("POST", "/v1/operator/requests/"+items[0].RequestID+"/status", city.StatusChangeRequest{Status: syncproto.StatusProcessing})
	status, body := e.op("GET", "/v1/operator/kiosks/"+k.id+"/receipt", nil)
	if status != 200 {
		t.Fatalf("receipt: %d %s", status, body)
	}
	rc, err := syncproto.DecodeReceipt(body, k.city)
	if err != nil {
		t.Fatal(err)
	}
	if rc.KioskID != k.id || len(rc.Results) != 2 || rc.Results[0].CityRef != first.Results[0].CityRef || len(rc.Changes) != 3 || !rc.Reset || rc.Next.Seq != 3 {
		t.Fatalf("receipt %+v", rc)
	}
	if status, _ := e.op("GET", "/v1/operator/kiosks/K9999/receipt", nil); status != 404 {
		t.Fatalf("unknown kiosk receipt: %d", status)
	}
}

func TestProvisionedKioskSyncs(t *testing.T) {
	e := newEnv(t)
	b, _ := json.Marshal(city.EnrolCodeRequest{Commune: "00004", CommuneName: "Phường Ba Đình", CityURL: "http://city"})
	req, _ := http.NewRequest("POST", e.http.URL+"/v1/operator/provision", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	code := resp.Header.Get(city.HeaderProvisioningCode)
	if resp.StatusCode != 200 || code == "" {
		t.Fatalf("%d %s, code %q", resp.StatusCode, body, code)
	}
	p, err := syncproto.DecodeProvisioning(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.VerifyCode(code); err != nil {
		t.Fatalf("the file does not match its code %q: %v", code, err)
	}
	if err := p.VerifyCode(city.NewEnrolCode()); !errors.Is(err, syncproto.ErrEnrolMAC) {
		t.Fatalf("another code: %v; want ErrEnrolMAC", err)
	}
	k := &testKiosk{e: e, id: p.Enrol.KioskID, key: p.SigningKey, city: p.Enrol.CityKey, clock: cityNow}
	copy(k.seal[:], p.Enrol.SealKey)
	if r := k.push(k.item(goodRequest())).Results[0]; r.Outcome != syncproto.Accepted {
		t.Fatalf("%+v", r)
	}
}

// promLine matches one sample line of the text exposition format.
var promLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.eE+-]+$|^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \+Inf$`)

func TestMetricsParse(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	k.push(k.item(goodRequest()))
	e.do(k.signed(syncproto.PathHeartbeat, k.id, syncproto.Heartbeat{Version: 1, KioskID: k.id, OldestUnsentSecs: 42}, false))
	odd := e.enrolIn("a\"b\\c\nd") // an odd stored commune must not break the format
	e.do(odd.signed(syncproto.PathHeartbeat, odd.id, syncproto.Heartbeat{Version: 1, KioskID: odd.id}, false))
	req, _ := http.NewRequest("GET", e.metrics.URL+"/metrics", nil)
	status, body := e.do(req)
	if status != 200 {
		t.Fatal(status)
	}
	types := map[string]string{}
	samples := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# TYPE ") {
			f := strings.Fields(line)
			if len(f) != 4 {
				t.Fatalf("bad TYPE line %q", line)
			}
			types[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") || line == "" {
			continue
		}
		if !promLine.MatchString(line) {
			t.Fatalf("line does not parse: %q", line)
		}
		i := strings.LastIndexByte(line, ' ')
		samples[line[:i]] = line[i+1:]
	}
	for name, want := range map[string]string{
		`cityd_items_total{outcome="accepted"}`:                                   "1",
		`cityd_push_duration_seconds_count`:                                       "1",
		`cityd_push_duration_seconds_bucket{le="+Inf"}`:                           "1",
		`cityd_kiosks{state="seen"}`:                                              "2",
		`cityd_kiosk_oldest_unsent_seconds{kiosk="` + k.id + `",commune="00004"}`: "42",
	} {
		if samples[name] != want {
			t.Errorf("%s = %q; want %s", name, samples[name], want)
		}
	}
	if types["cityd_push_duration_seconds"] != "histogram" || types["cityd_items_total"] != "counter" {
		t.Errorf("types %v", types)
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest("GET", e.http.URL+"/healthz", nil)
	if status, body := e.do(req); status != 200 || string(body) != "ok\n" {
		t.Fatalf("%d %s", status, body)
	}
}

func TestHotBackup(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	k.push(k.item(goodRequest()), k.item(goodRequest()))
	status, body := e.op("GET", "/v1/operator/backup", nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	if s, _ := st.Stats(t.Context()); s.Total != 2 {
		t.Fatalf("backup holds %d requests", s.Total)
	}
}

// /metrics is not on the API's listener: it names kiosks, communes and
// queue depths. It is on the metrics listener only.
func TestMetricsNotOnTheAPIListener(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	e.do(k.signed(syncproto.PathHeartbeat, k.id, syncproto.Heartbeat{Version: 1, KioskID: k.id, QueueDepth: 3}, false))
	req, _ := http.NewRequest("GET", e.http.URL+"/metrics", nil)
	if status, body := e.do(req); status != 404 || strings.Contains(string(body), k.id) {
		t.Fatalf("API listener /metrics: %d %s; want 404 without kiosk IDs", status, body)
	}
	req, _ = http.NewRequest("GET", e.metrics.URL+"/metrics", nil)
	if status, body := e.do(req); status != 200 || !strings.Contains(string(body), k.id) {
		t.Fatalf("metrics listener: %d", status)
	}
	for _, l := range []*httptest.Server{e.http, e.metrics} {
		req, _ = http.NewRequest("GET", l.URL+"/healthz", nil)
		if status, _ := e.do(req); status != 200 {
			t.Fatalf("%s/healthz: %d", l.URL, status)
		}
	}
}
