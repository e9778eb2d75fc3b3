package city_test

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

func TestPushOutcomes(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	good := k.item(goodRequest())
	bad := goodRequest()
	bad.Requester.PersonalID = "123"
	badItem := k.item(bad)

	first := k.push(good, badItem)
	if first.Results[0].Outcome != syncproto.Accepted || first.Results[0].CityRef == "" || !first.Results[0].ReceivedAt.Equal(cityNow) {
		t.Fatalf("good item: %+v", first.Results[0])
	}
	if r := first.Results[1]; r.Outcome != syncproto.Rejected || !strings.Contains(r.Reason, "requester.personal_id") {
		t.Fatalf("bad item: %+v", r)
	}
	if first.AckedThroughSeq != 2 || first.Limits.MaxItems != 100 {
		t.Fatalf("push response %+v", first)
	}
	if n := e.count(); n != 1 {
		t.Fatalf("city holds %d requests; want 1 (rejected ones are not stored)", n)
	}

	e.now = cityNow.Add(time.Hour)
	again := k.push(good)
	if r := again.Results[0]; r.Outcome != syncproto.Duplicate || r.CityRef != first.Results[0].CityRef || !r.ReceivedAt.Equal(cityNow) {
		t.Fatalf("resend: %+v; want duplicate with the original ack", r)
	}
	other := k.item(goodRequest()) // sealed again: another hash
	other.RequestID = good.RequestID
	if r := k.push(other).Results[0]; r.Outcome != syncproto.Conflict {
		t.Fatalf("same request_id, other payload: %+v; want conflict", r)
	}
	tampered := k.item(goodRequest())
	tampered.SHA256 = strings.Repeat("0", 64)
	if r := k.push(tampered).Results[0]; r.Outcome != syncproto.Rejected || !strings.Contains(r.Reason, "sha256") {
		t.Fatalf("hash mismatch: %+v", r)
	}
	if n := e.count(); n != 1 {
		t.Fatalf("city holds %d requests; want 1", n)
	}
	// An item without a receipt code is refused alone: the rest of its
	// batch is stored (the embedded store would refuse an empty key for
	// the whole transaction).
	noCode, next := k.item(goodRequest()), k.item(goodRequest())
	noCode.Code = ""
	if rs := k.push(noCode, next).Results; rs[0].Outcome != syncproto.Rejected || !strings.Contains(rs[0].Reason, "code") || rs[1].Outcome != syncproto.Accepted {
		t.Fatalf("a batch with an item without a code: %+v", rs)
	}
	if n := e.count(); n != 2 {
		t.Fatalf("city holds %d requests; want 2", n)
	}
}

func TestPushSealedToAnotherKeyIsRejected(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	k.seal[0] ^= 1 // seal to a key that is not the city's
	if r := k.push(k.item(goodRequest())).Results[0]; r.Outcome != syncproto.Rejected {
		t.Fatalf("%+v", r)
	}
}

func TestRefusedAndNothingStored(t *testing.T) {
	e := newEnv(t)
	a := e.enrol("00004")
	b := e.enrol("00008")
	revoked := e.enrol("00004")
	if status, body := e.op("POST", "/v1/operator/kiosks/"+revoked.id+"/revoke", nil); status != 200 {
		t.Fatalf("revoke: %d %s", status, body)
	}
	_, strangerKey, _ := ed25519.GenerateKey(rand.Reader)
	stranger := &testKiosk{e: e, id: "K9999", key: strangerKey, seal: a.seal, clock: cityNow}

	pushAs := func(k *testKiosk, id string) *http.Request {
		return k.signed(syncproto.PathPush, id, syncproto.PushRequest{Version: 1, KioskID: id, Items: []syncproto.Item{k.item(goodRequest())}}, false)
	}
	captured := pushAs(a, a.id)
	if status, body := e.do(captured); status != 200 {
		t.Fatalf("first push: %d %s", status, body)
	}
	before := e.count()
	replay, _ := captured.GetBody()
	capturedAgain, _ := http.NewRequest("POST", captured.URL.String(), replay)
	capturedAgain.Header = captured.Header.Clone()

	tests := []struct {
		name   string
		req    *http.Request
		status int
		code   string
	}{
		{"unenrolled kiosk", pushAs(stranger, stranger.id), 401, city.CodeBadSignature},
		{"revoked kiosk", pushAs(revoked, revoked.id), 403, city.CodeRevoked},
		{"revoked kiosk heartbeat", revoked.signed(syncproto.PathHeartbeat, revoked.id, syncproto.Heartbeat{Version: 1, KioskID: revoked.id}, false), 403, city.CodeRevoked},
		{"forged signature (B's ID, A's key)", pushAs(a, b.id), 401, city.CodeBadSignature},
		{"A pushes as B in the body", a.signed(syncproto.PathPush, a.id, syncproto.PushRequest{Version: 1, KioskID: b.id, Items: []syncproto.Item{a.item(goodRequest())}}, false), 403, city.CodeForbidden},
		{"A pulls B's statuses", a.signed(syncproto.PathPull, a.id, syncproto.PullRequest{Version: 1, KioskID: b.id}, false), 403, city.CodeForbidden},
		{"A heartbeats as B", a.signed(syncproto.PathHeartbeat, a.id, syncproto.Heartbeat{Version: 1, KioskID: b.id}, false), 403, city.CodeForbidden},
		{"replayed captured push", capturedAgain, 401, city.CodeReplay},
		{"unsigned push", func() *http.Request {
			r, _ := http.NewRequest("POST", e.http.URL+syncproto.PathPush, strings.NewReader(`{"version":1,"kiosk_id":"`+a.id+`","items":[]}`))
			return r
		}(), 401, city.CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.do(tt.req)
			if status != tt.status {
				t.Fatalf("status %d %s; want %d", status, body, tt.status)
			}
			env, err := syncproto.DecodeError(body)
			if err != nil || env.Code != tt.code {
				t.Fatalf("envelope %+v, %v; want code %s", env, err, tt.code)
			}
			if n := e.count(); n != before {
				t.Fatalf("city holds %d requests; want %d", n, before)
			}
		})
	}
	k, _ := e.store.Kiosk(t.Context(), revoked.id)
	if k.LastHeartbeat != nil {
		t.Fatal("a revoked kiosk's heartbeat was stored")
	}
	bk, _ := e.store.Kiosk(t.Context(), b.id)
	if bk.LastHeartbeat != nil {
		t.Fatal("A's heartbeat was stored as B's")
	}
}

// A caller without a kiosk's key cannot learn which kiosk IDs exist or
// which are revoked: an unknown ID, a revoked kiosk's and an active
// kiosk's all get the same answer to a bad signature, and to no signature.
func TestUnknownAndRevokedLookAlike(t *testing.T) {
	e := newEnv(t)
	active := e.enrol("00004")
	revoked := e.enrol("00004")
	if status, _ := e.op("POST", "/v1/operator/kiosks/"+revoked.id+"/revoke", nil); status != 200 {
		t.Fatal("revoke")
	}
	_, strangerKey, _ := ed25519.GenerateKey(rand.Reader)
	stranger := &testKiosk{e: e, key: strangerKey, clock: cityNow}
	for _, path := range []string{syncproto.PathPush, syncproto.PathPull, syncproto.PathHeartbeat} {
		answers := map[string]string{}
		for _, id := range []string{active.id, revoked.id, "K9999"} {
			status, body := e.do(stranger.signed(path, id, syncproto.Heartbeat{Version: 1, KioskID: id}, false))
			answers[id] = fmt.Sprintf("%d %s", status, body)
		}
		if answers[active.id] != answers[revoked.id] || answers[active.id] != answers["K9999"] || !strings.HasPrefix(answers[active.id], "401 ") {
			t.Fatalf("%s with a bad signature: %v; want one 401 answer for all", path, answers)
		}
		unsigned := map[string]string{}
		for _, id := range []string{active.id, revoked.id, "K9999"} {
			req, _ := http.NewRequest("POST", e.http.URL+path, strings.NewReader(`{}`))
			req.Header.Set(syncproto.HeaderKioskID, id)
			status, body := e.do(req)
			unsigned[id] = fmt.Sprintf("%d %s", status, body)
		}
		if unsigned[active.id] != unsigned[revoked.id] || unsigned[active.id] != unsigned["K9999"] {
			t.Fatalf("%s unsigned: %v; want one answer for all", path, unsigned)
		}
	}
	// The revoked kiosk itself, signing correctly, is told.
	if status, _ := e.do(revoked.signed(syncproto.PathHeartbeat, revoked.id, syncproto.Heartbeat{Version: 1, KioskID: revoked.id}, false)); status != 403 {
		t.Fatalf("revoked kiosk, its own signature: %d; want 403", status)
	}
}

func TestEnrolCodeWorksOnce(t *testing.T) {
	e := newEnv(t)
	code := e.enrolCode("00004")
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	if status, body := e.enrolRaw(code, pub); status != 200 {
		t.Fatalf("enrol: %d %s", status, body)
	}
	pub2, _, _ := ed25519.GenerateKey(rand.Reader)
	for _, c := range []string{code, strings.ToLower(code), city.NewEnrolCode()} {
		status, body := e.enrolRaw(c, pub2)
		if status != 401 {
			t.Fatalf("code %q: %d %s; want 401", c, status, body)
		}
		if env, _ := syncproto.DecodeError(body); env.Code != city.CodeBadCode {
			t.Fatalf("code %q: %+v", c, env)
		}
	}
	ks, _ := e.store.Kiosks(t.Context())
	if len(ks) != 1 {
		t.Fatalf("%d kiosks; want 1", len(ks))
	}
	// An expired code.
	code = e.enrolCode("00004")
	e.now = cityNow.Add(8 * 24 * time.Hour)
	if status, _ := e.enrolRaw(code, pub2); status != 401 {
		t.Fatalf("expired code: %d", status)
	}
}

// An enrol request whose MAC does not match its code (a kiosk key changed
// on the way, or no MAC) is refused before the code is used: the code
// still works for the real kiosk, and no kiosk is registered with the
// stranger's key.
func TestEnrolRequestMACChecked(t *testing.T) {
	e := newEnv(t)
	code := e.enrolCode("00004")
	sec, _ := syncproto.DeriveEnrolSecret(code)
	real, _, _ := ed25519.GenerateKey(rand.Reader)
	stranger, _, _ := ed25519.GenerateKey(rand.Reader)
	signedBody, _ := json.Marshal(syncproto.EnrolRequest{Version: 1, CodeID: sec.ID, SigningKey: real, AppVersion: "test"})
	swapped, _ := json.Marshal(syncproto.EnrolRequest{Version: 1, CodeID: sec.ID, SigningKey: stranger, AppVersion: "test"})
	for name, mac := range map[string]string{
		"kiosk key swapped": syncproto.EnrolRequestMAC(sec.AuthKey, signedBody),
		"no MAC":            "",
		"MAC of another code": func() string {
			other, _ := syncproto.DeriveEnrolSecret(city.NewEnrolCode())
			return syncproto.EnrolRequestMAC(other.AuthKey, swapped)
		}(),
	} {
		req, _ := http.NewRequest("POST", e.http.URL+syncproto.PathEnrol, bytes.NewReader(swapped))
		if mac != "" {
			req.Header.Set(syncproto.HeaderEnrolMAC, mac)
		}
		status, body := e.do(req)
		if env, _ := syncproto.DecodeError(body); status != 401 || env.Code != city.CodeEnrolMAC {
			t.Fatalf("%s: %d %s; want 401 %s", name, status, body, city.CodeEnrolMAC)
		}
	}
	if ks, _ := e.store.Kiosks(t.Context()); len(ks) != 0 {
		t.Fatalf("a kiosk was registered: %+v", ks)
	}
	if status, body := e.enrolRaw(code, real); status != 200 {
		t.Fatalf("the real kiosk after the refusals: %d %s", status, body)
	}
	ks, _ := e.store.Kiosks(t.Context())
	if len(ks) != 1 || !ks[0].PublicKey.Equal(real) {
		t.Fatalf("kiosks %+v", ks)
	}
}

// No enrolment code or provisioning file for a commune that does not
// exist in the administrative units list.
func TestEnrolCodeUnknownCommune(t *testing.T) {
	e := newEnv(t)
	for _, commune := range []string{"99999", "01", "", "0000"} {
		for _, path := range []string{"/v1/operator/enrol-codes", "/v1/operator/provision"} {
			if status, body := e.op("POST", path, city.EnrolCodeRequest{Commune: commune, CommuneName: "X"}); status != 400 {
				t.Errorf("%s for %q: %d %s; want 400", path, commune, status, body)
			}
		}
	}
	if _, err := e.srv.CreateEnrolCode(t.Context(), "99999", "X"); !errors.Is(err, city.ErrUnknownCommune) {
		t.Errorf("CreateEnrolCode(99999): %v", err)
	}
	if _, err := e.srv.Provision(t.Context(), "99999", "X", ""); !errors.Is(err, city.ErrUnknownCommune) {
		t.Errorf("Provision(99999): %v", err)
	}
	if ks, _ := e.store.Kiosks(t.Context()); len(ks) != 0 {
		t.Errorf("kiosks registered for unknown communes: %+v", ks)
	}
	status, body := e.op("POST", "/v1/operator/enrol-codes", city.EnrolCodeRequest{Commune: "00004"})
	var c city.EnrolCodeResponse
	if json.Unmarshal(body, &c); status != 200 || c.CommuneName == "" || c.QR != "" {
		t.Errorf("a code for 00004 without a name: %d %s; want the units list's name, no QR", status, body)
	}
	status, body = e.op("POST", "/v1/operator/enrol-codes", city.EnrolCodeRequest{Commune: "00004", CityURL: "https://city.example.vn"})
	c = city.EnrolCodeResponse{}
	json.Unmarshal(body, &c)
	if code, u, err := syncproto.ParseEnrolQR(c.QR); status != 200 || err != nil || code != c.Code || u != "https://city.example.vn" {
		t.Errorf("a code with the city's address: %d %s; QR reads %q %q %v", status, body, code, u, err)
	}
}

func TestClockDaysOffStillSyncs(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	for _, off := range []time.Duration{-400 * 24 * time.Hour, 0, 30 * 24 * time.Hour} {
		k.clock = cityNow.Add(off)
		if r := k.push(k.item(goodRequest())).Results[0]; r.Outcome != syncproto.Accepted || !r.ReceivedAt.Equal(cityNow) {
			t.Fatalf("clock %v: %+v", off, r)
		}
	}
	// Now far ahead: a request signed a week earlier is refused.
	k.clock = cityNow.Add(23 * 24 * time.Hour)
	status, body := e.do(k.signed(syncproto.PathPull, k.id, syncproto.PullRequest{Version: 1, KioskID: k.id}, false))
	if env, _ := syncproto.DecodeError(body); status != 401 || env.Code != city.CodeReplay {
		t.Fatalf("clock gone back a week: %d %s", status, body)
	}
	// The operator resets the kiosk's clock state; it syncs again.
	if status, body := e.op("POST", "/v1/operator/kiosks/"+k.id+"/reset-clock", nil); status != 200 {
		t.Fatalf("reset-clock: %d %s", status, body)
	}
	k.pull(syncproto.Cursor{}, 10)
}

func TestPullFeedAndEpochReset(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	var items []syncproto.Item
	for range 7 {
		items = append(items, k.item(goodRequest()))
	}
	k.push(items...)
	for _, st := range []syncproto.Status{syncproto.StatusProcessing, syncproto.StatusReady} {
		if status, body := e.op("POST", "/v1/operator/requests/"+items[0].RequestID+"/status", city.StatusChangeRequest{Status: st}); status != 200 {
			t.Fatalf("set %s: %d %s", st, status, body)
		}
	}
	first := k.pull(syncproto.Cursor{}, 3)
	if !first.Reset || len(first.Changes) != 3 || !first.HasMore || first.Next.Epoch == "" {
		t.Fatalf("first pull %+v", first)
	}
	cur, all := first.Next, first.Changes
	for i := 0; i < 10; i++ {
		p := k.pull(cur, 3)
		if p.Reset {
			t.Fatal("reset while following the feed")
		}
		all, cur = append(all, p.Changes...), p.Next
		if !p.HasMore {
			break
		}
	}
	if len(all) != 9 || all[8].Status != syncproto.StatusReady || all[8].RequestID != items[0].RequestID {
		t.Fatalf("feed %d changes, last %+v", len(all), all[len(all)-1])
	}
	if p := k.pull(cur, 0); len(p.Changes) != 0 || p.HasMore || p.Reset || p.Next != cur {
		t.Fatalf("pull at head %+v", p)
	}
	// The city's store was restored: new epoch → reset and a snapshot.
	if err := e.store.NewEpoch(); err != nil {
		t.Fatal(err)
	}
	p := k.pull(cur, 500)
	if !p.Reset || len(p.Changes) != 9 || p.Next.Epoch == cur.Epoch {
		t.Fatalf("after new epoch: reset=%v %d changes next=%+v", p.Reset, len(p.Changes), p.Next)
	}
	// A kiosk ahead of the feed (restore without a new epoch) is reset too.
	ahead := p.Next
	ahead.Seq += 100
	if p := k.pull(ahead, 500); !p.Reset || len(p.Changes) != 9 {
		t.Fatalf("kiosk ahead of feed: %+v", p)
	}
}

func TestBodyLimits(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	big := make([]syncproto.Item, 0, 600)
	it := k.item(goodRequest())
	for i := range 600 {
		c := it
		c.Seq = uint64(i + 1)
		big = append(big, c)
	}
	status, body := e.do(k.signed(syncproto.PathPush, k.id, syncproto.PushRequest{Version: 1, KioskID: k.id, Items: big}, false))
	if env, _ := syncproto.DecodeError(body); status != 413 || env.Code != city.CodeTooLarge {
		t.Fatalf("600 items raw: %d %.200s", status, body)
	}
	status, body = e.do(k.signed(syncproto.PathPush, k.id, syncproto.PushRequest{Version: 1, KioskID: k.id, Items: big}, true))
	if env, _ := syncproto.DecodeError(body); status != 413 || env.Code != city.CodeTooLarge {
		t.Fatalf("600 items gzip: %d %.200s", status, body)
	}
	if e.count() != 0 {
		t.Fatal("stored something")
	}
}

func TestHeartbeatFleet(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	status, body := e.do(k.signed(syncproto.PathHeartbeat, k.id, syncproto.Heartbeat{Version: 1, KioskID: k.id, QueueDepth: 4, OldestUnsentSecs: 900, AppVersion: "1.2.3"}, false))
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if _, err := syncproto.DecodeHeartbeatResponse(body); err != nil {
		t.Fatal(err)
	}
	status, body = e.op("GET", "/v1/operator/kiosks", nil)
	var fleet []city.KioskView
	if err := json.Unmarshal(body, &fleet); err != nil || status != 200 || len(fleet) != 1 {
		t.Fatalf("%d %s", status, body)
	}
	if f := fleet[0]; f.QueueDepth != 4 || f.OldestUnsentSecs != 900 || !f.LastHeartbeatAt.Equal(cityNow) || f.AppVersion != "1.2.3" {
		t.Fatalf("fleet %+v", f)
	}
}

func TestBadVersionAndGarbage(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	for _, tc := range []struct {
		body string
		code string
	}{{`{"version":2,"kiosk_id":"x","items":[]}`, city.CodeBadVersion}, {`<html>`, city.CodeBadRequest}} {
		t.Run(tc.code, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.http.URL+syncproto.PathPush, bytes.NewReader([]byte(tc.body)))
			syncproto.Sign(req, []byte(tc.body), k.id, k.key, cityNow)
			status, body := e.do(req)
			if env, _ := syncproto.DecodeError(body); status != 400 || env.Code != tc.code {
				t.Fatalf("%s: %d %s", tc.body, status, body)
			}
		})
	}
}

func TestPushLargeBatch(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	items := make([]syncproto.Item, 64)
	for i := range items {
		items[i] = k.item(goodRequest())
	}
	items[17].SHA256 = strings.Repeat("0", 64)
	resp := k.push(items...)
	for i, r := range resp.Results {
		want := syncproto.Accepted
		if i == 17 {
			want = syncproto.Rejected
		}
		if r.Outcome != want || r.RequestID != items[i].RequestID {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if e.count() != 63 {
		t.Fatalf("city holds %d", e.count())
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(o *city.Options) { o.KioskRate, o.KioskBurst = 1, 2 })
	k := e.enrol("00004")
	hb := func() *http.Request {
		return k.signed(syncproto.PathHeartbeat, k.id, syncproto.Heartbeat{Version: 1, KioskID: k.id}, false)
	}
	for i := range 2 {
		if status, body := e.do(hb()); status != 200 {
			t.Fatalf("call %d: %d %s", i, status, body)
		}
	}
	resp, err := e.http.Client().Do(hb())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("third call: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	e.now = e.now.Add(time.Second) // the city's clock moves: a token is back
	if status, body := e.do(hb()); status != 200 {
		t.Fatalf("after a second: %d %s", status, body)
	}
	other := e.enrol("00008") // other kiosks have their own bucket
	if status, _ := e.do(other.signed(syncproto.PathHeartbeat, other.id, syncproto.Heartbeat{Version: 1, KioskID: other.id}, false)); status != 200 {
		t.Fatalf("other kiosk: %d", status)
	}
}

func TestGzipBombAndBadGzip(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(bytes.Repeat([]byte{' '}, 20<<20)) // 20 MiB of spaces, a few KB gzipped
	zw.Close()
	tests := []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{"bomb", bomb.Bytes(), 413, city.CodeTooLarge},
		{"not gzip", []byte("plain text"), 400, city.CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.http.URL+syncproto.PathPush, bytes.NewReader(tt.body))
			req.Header.Set("Content-Encoding", "gzip")
			if err := syncproto.Sign(req, tt.body, k.id, k.key, k.clock); err != nil {
				t.Fatal(err)
			}
			k.clock = k.clock.Add(time.Second)
			status, body := e.do(req)
			if env, _ := syncproto.DecodeError(body); status != tt.status || env.Code != tt.code {
				t.Fatalf("%d %s", status, body)
			}
		})
	}
}
