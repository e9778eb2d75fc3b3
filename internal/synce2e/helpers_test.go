package synce2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncclient"
	"communekiosk/sync/syncer"
	"communekiosk/sync/syncproto"
)

// operatorToken is the shared operator token of the cities these tests
// run in their own process (city.Options.OperatorToken, as cityd --demo
// has): the request endpoints they move statuses through take no other.
// A real cityd process has none: it is given named tokens (namedToken).
const operatorToken = "e2e-operator-token"

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// long reports whether the long variants run (KIOSK_LONG=1).
func long() bool { return os.Getenv("KIOSK_LONG") == "1" }

// cityEnv is a real city (city.Server on citybolt) served on a fixed
// loopback address that can be taken down and brought back.
type cityEnv struct {
	t     testing.TB
	srv   *city.Server
	store *citybolt.Store
	addr  string
	// token is what op sends: a named API token of an admin for a cityd
	// process; empty: operatorToken, the shared one of the city in this
	// process.
	token string
	// wrap, when set, wraps the city's handler (kill hooks).
	mu   sync.Mutex
	http *httptest.Server
	hook func(w http.ResponseWriter, r *http.Request, next http.Handler)
}

func newCity(t testing.TB) *cityEnv {
	t.Helper()
	dir := t.TempDir()
	st, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := city.New(city.Options{Store: st, DataDir: dir, OperatorToken: operatorToken, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	c := &cityEnv{t: t, srv: srv, store: st}
	c.up()
	t.Cleanup(func() {
		c.down()
		if err := st.Check(); err != nil {
			t.Errorf("city store check: %v", err)
		}
		st.Close()
	})
	return c
}

func (c *cityEnv) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	hook := c.hook
	c.mu.Unlock()
	if hook != nil {
		hook(w, r, c.srv.Handler())
		return
	}
	c.srv.Handler().ServeHTTP(w, r)
}

// up starts serving, on the same address as before if there was one.
func (c *cityEnv) up() {
	c.t.Helper()
	addr := c.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var l net.Listener
	var err error
	for range 50 { // the old socket may take a moment to go
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		c.t.Fatal(err)
	}
	s := httptest.NewUnstartedServer(c)
	s.Listener.Close()
	s.Listener = l
	s.Start()
	c.mu.Lock()
	c.http = s
	c.addr = l.Addr().String()
	c.mu.Unlock()
}

// down stops serving: connections are refused.
func (c *cityEnv) down() {
	c.mu.Lock()
	s := c.http
	c.http = nil
	c.mu.Unlock()
	if s != nil {
		s.CloseClientConnections()
		s.Close()
	}
}

func (c *cityEnv) URL() string { return "http://" + c.addr }

func (c *cityEnv) setHook(h func(w http.ResponseWriter, r *http.Request, next http.Handler)) {
	c.mu.Lock()
	c.hook = h
	c.mu.Unlock()
}

// op calls the operator API and decodes the answer into out.
func (c *cityEnv) op(method, path string, body, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case []byte:
			rd = bytes.NewReader(b)
		default:
			data, _ := json.Marshal(body)
			rd = bytes.NewReader(data)
		}
	}
	req, _ := http.NewRequest(method, c.URL()+path, rd)
	tok := c.token
	if tok == "" {
		tok = operatorToken
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode
}

// officeAction runs an action of the back office's API on a dossier with
// an officer's named token, form-encoded as a script sends it, and returns
// the status.
func (c *cityEnv) officeAction(tok, requestID, action string) int {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.URL()+"/v1/office/dossiers/"+requestID+"/actions/"+action, strings.NewReader(url.Values{}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// enrolCode asks the operator API for a one-time code.
func (c *cityEnv) enrolCode() string {
	c.t.Helper()
	var resp city.EnrolCodeResponse
	if st := c.op("POST", "/v1/operator/enrol-codes", city.EnrolCodeRequest{Commune: "00004", CommuneName: "Phường Ba Đình"}, &resp); st != 200 {
		c.t.Fatalf("enrol code: %d", st)
	}
	return resp.Code
}

// requestCounts counts the city's requests from one kiosk by request_id.
func (c *cityEnv) requestCounts(kioskID string) map[string]int {
	c.t.Helper()
	out := map[string]int{}
	f := city.RequestFilter{KioskID: kioskID, Limit: 1000}
	for {
		list, err := c.store.Requests(context.Background(), f)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, r := range list {
			out[r.RequestID]++
		}
		if len(list) < f.Limit {
			return out
		}
		f.After = list[len(list)-1].CityRef
	}
}

// received counts "received" entries in the kiosk's feed: one per request
// the city stored for the first time.
func (c *cityEnv) received(kioskID string) map[string]int {
	c.t.Helper()
	out := map[string]int{}
	after := uint64(0)
	for {
		changes, _, more, err := c.store.Feed(context.Background(), kioskID, after, 1000)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, ch := range changes {
			if ch.Status == "received" {
				out[ch.RequestID]++
			}
			after = ch.Seq
		}
		if !more || len(changes) == 0 {
			return out
		}
	}
}

// kioskEnv is a real kiosk: kioskdb in a temp dir, syncclient, syncer.
type kioskEnv struct {
	t      testing.TB
	path   string
	db     *kioskdb.DB
	client *syncclient.Client
	sync   *syncer.Syncer
}

type kioskOpts struct {
	baseURL  string // the proxy; empty: the identity's city URL
	timeout  time.Duration
	maxItems int
}

func openKiosk(t testing.TB, path string, o kioskOpts) *kioskEnv {
	t.Helper()
	db, err := kioskdb.Open(path, kioskdb.Options{Logger: quiet(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	k := &kioskEnv{t: t, path: path, db: db}
	k.client = syncclient.New(syncclient.Options{BaseURL: o.baseURL, Timeout: o.timeout, Identity: db.Identity, Logger: quiet()})
	k.sync = syncer.New(syncer.Options{Store: db, Transport: k.client, Enroller: k.client, MaxItems: o.maxItems,
		DataDir: filepath.Dir(path), FreeSpace: kioskdb.FreeSpace, DiskSize: kioskdb.DiskSize, AppVersion: "e2e", Logger: quiet()})
	return k
}

func newKiosk(t testing.TB, c *cityEnv, o kioskOpts) *kioskEnv {
	t.Helper()
	k := openKiosk(t, filepath.Join(t.TempDir(), "kiosk.db"), o)
	t.Cleanup(func() { k.db.Close() })
	if _, err := k.sync.Enrol(context.Background(), c.URL(), c.enrolCode()); err != nil {
		t.Fatal(err)
	}
	return k
}

func (k *kioskEnv) id() string {
	id, err := k.db.Identity()
	if err != nil {
		k.t.Fatal(err)
	}
	return id.KioskID
}

// submit stores n valid requests, from two goroutines (bbolt serialises
// the commits; sealing runs in parallel), and returns their receipts.
func (k *kioskEnv) submit(n int) []kioskdb.Receipt {
	k.t.Helper()
	out := make([]kioskdb.Receipt, n)
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < n; i += 2 {
				r, err := k.db.Submit(sampleRequest(i), time.Now())
				if err != nil {
					errs <- err
					return
				}
				out[i] = r
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		k.t.Fatal(err)
	}
	return out
}

// drain calls RunOnce until the queue is empty and a run succeeds, at most
// max times; it returns the results.
func (k *kioskEnv) drain(max int) []syncer.Result {
	k.t.Helper()
	var out []syncer.Result
	for range max {
		res, err := k.sync.RunOnce(context.Background())
		out = append(out, res)
		if err == nil {
			c, _ := k.db.Counts()
			if c.Queued == 0 {
				return out
			}
		}
	}
	c, _ := k.db.Counts()
	k.t.Fatalf("queue not drained after %d runs: %+v, last %+v", max, c, out[len(out)-1])
	return nil
}

// noticeVersion is the consent notice of the embedded catalogue.
var noticeVersion = func() string {
	cat, err := kiosk.DefaultCatalogue()
	if err != nil {
		panic(err)
	}
	return cat.NoticeVersion
}()

// sampleRequest is a valid request for a copy of a birth extract; i varies
// the registration number and copies.
func sampleRequest(i int) kiosk.Request {
	return kiosk.Request{
		Service: "birth_extract_copy",
		Requester: kiosk.Requester{
			FullName: "Nguyễn Thị Hoa", PersonalID: "001190012345", Phone: "0912 345 678",
			Residence: kiosk.Address{Province: "01", Commune: "00004", Street: "12 phố Quán Thánh"},
			Relation:  "parent", BirthDate: "1990-05-17", Sex: kiosk.SexFemale,
		},
		Subject: kiosk.Person{FullName: "Trần Minh Khôi", BirthDate: "2015-03-02", Sex: kiosk.SexMale,
			Ethnicity: "01", Nationality: "Việt Nam", PersonalID: "001215001234"},
		Event:    "birth",
		Register: kiosk.Register{Office: "00004", Date: "2015-03-20", Number: fmt.Sprint(100 + i%900), Book: "01/2015"},
		Copies:   1 + i%3,
		Delivery: kiosk.Delivery{Method: kiosk.DeliveryPickup},
		Consent:  kiosk.Consent{NoticeVersion: noticeVersion, Purposes: []string{"process_request"}, AcceptedAt: time.Now().UTC().Add(-time.Minute)}, // the kiosks here run on the wall clock
	}
}

// exactlyOnce checks every receipt is at the city once and nothing else is.
func exactlyOnce(t testing.TB, c *cityEnv, kioskID string, receipts []kioskdb.Receipt) {
	t.Helper()
	counts := c.requestCounts(kioskID)
	recv := c.received(kioskID)
	if len(counts) != len(receipts) || len(recv) != len(receipts) {
		t.Fatalf("city holds %d requests (%d received entries), kiosk submitted %d", len(counts), len(recv), len(receipts))
	}
	for _, r := range receipts {
		if counts[r.RequestID] != 1 || recv[r.RequestID] != 1 {
			t.Fatalf("request %s at the city %d times, received %d times", r.RequestID, counts[r.RequestID], recv[r.RequestID])
		}
	}
}

func statusOf(s string) syncproto.Status { return syncproto.Status(s) }
