package city_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// scene is one city with a dossier D of commune 00004 (delivered by post,
// accepted, processing) and a ready one R, and people of every role.
type scene struct {
	e                  *env
	k                  *testKiosk
	d, r, batchOfR     string
	admin, offA, offB  *browser
	viewer, anon       *browser
	tAdmin, tA, tB, tV string
	code               string
	personal           []string // strings that are personal data of D
}

func newScene(t *testing.T) *scene {
	t.Helper()
	e := officeEnv(t)
	s := &scene{e: e, k: e.enrol("00004")}
	req := goodRequest()
	req.Delivery = postDelivery()
	s.d = s.k.submit(req)
	s.r = s.k.submit(req)
	admin, apw := e.user("admin", city.RoleAdmin, "00004") // a scope does not let an admin read dossiers
	a, pa := e.user("lan", city.RoleOfficer, "00004")
	b, pb := e.user("binh", city.RoleOfficer, "00008")
	v, pv := e.user("vien", city.RoleViewer, "00004")
	s.tAdmin, s.tA, s.tB, s.tV = e.apiToken(admin), e.apiToken(a), e.apiToken(b), e.apiToken(v)
	s.admin, s.offA, s.offB, s.viewer, s.anon = e.browser(), e.browser(), e.browser(), e.browser(), e.browser()
	s.admin.login("admin", apw)
	s.offA.login("lan", pa)
	s.offB.login("binh", pb)
	s.viewer.login("vien", pv)
	for _, st := range []struct{ id, action string }{{s.d, "accept"}, {s.d, "process"}, {s.r, "accept"}, {s.r, "ready"}} {
		if status, body, _ := s.offA.post("/office/dossiers/"+st.id+"/actions/"+st.action, nil); status != 303 {
			t.Fatalf("%s %s: %d %s", st.id, st.action, status, body)
		}
	}
	status, body, h := s.offA.post("/office/post", url.Values{"id": {s.r}, "tracking_" + s.r: {"EB123456785VN"}})
	if status != 303 {
		t.Fatalf("hand-over: %d %s", status, body)
	}
	s.batchOfR = strings.TrimPrefix(h.Get("Location"), "/office/post/batches/")
	dd, _ := e.store.Request(t.Context(), s.d)
	s.code = dd.Code
	s.personal = []string{"Nguyễn Thị Hoa", "001190012345", "0912345678", "Quán Thánh", dd.MaskedName, "Trần Minh Khôi"}
	return s
}

// snapshot is everything a refused call must leave as it was.
func (s *scene) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, id := range []string{s.d, s.r} {
		r, err := s.e.store.Request(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		r.Sealed = nil
		j, _ := json.Marshal(r)
		b.Write(j)
	}
	ch, head, _, _ := s.e.store.Feed(t.Context(), s.k.id, 0, 1000)
	j, _ := json.Marshal(struct {
		N    int
		Head uint64
	}{len(ch), head})
	b.Write(j)
	return b.String()
}

// TestOfficeOutsideScope: an officer of another commune tries to read,
// list, count, export and change the dossiers of 00004 through every page
// and API route, and gets 404 (or a list without them), with nothing
// changed and nothing of them revealed.
func TestOfficeOutsideScope(t *testing.T) {
	s := newScene(t)
	before := s.snapshot(t)
	d, r := s.d, s.r
	reads := []string{
		"/dossiers/" + d, "/dossiers/" + d + "/slips/01", "/dossiers/" + r + "/slips/01", "/post/batches/" + s.batchOfR,
	}
	lists := []string{
		"/queue", "/queue?q=" + s.code, "/queue?office=00004", "/queue?status=processing", "/queue?due=soon", "/queue?delivery=post",
		"/counts", "/post", "/post?office=00004", "/register", "/register?office=00004", "/register?format=csv",
		"/due", "/due?format=csv", "/register?print=1", "/report",
	}
	changes := []struct {
		path string
		form url.Values
	}{
		{"/dossiers/" + d + "/view", nil},
		{"/post", url.Values{"id": {r}, "tracking_" + r: {"EE123456789VN"}}},
		{"/post", url.Values{"all": {"1"}, "office": {"00004"}}},
	}
	for a := range map[string]bool{"accept": true, "process": true, "supplement": true, "ready": true, "pickup": true, "post": true,
		"delivered": true, "returned": true, "done": true, "not_accept": true, "refuse": true, "withdraw": true, "reschedule": true,
		"assign": true, "release": true} {
		for _, id := range []string{d, r} {
			changes = append(changes, struct {
				path string
				form url.Values
			}{"/dossiers/" + id + "/actions/" + a, url.Values{"reason": {"x"}, "reason_code": {"other"}, "tracking": {"EE123456789VN"}, "new_due": {"2027-01-05"}}})
		}
	}
	// leak fails when body holds something of the dossiers that the call
	// did not carry itself (a page may echo the URL or the search typed).
	leak := func(t *testing.T, where, body string) {
		for _, p := range append(s.personal, s.code, d, r, "EB123456785VN") {
			if p != "" && !strings.Contains(where, p) && strings.Contains(body, p) {
				t.Fatalf("%s reveals %q", where, p)
			}
		}
	}
	t.Run("pages", func(t *testing.T) {
		for _, p := range reads {
			status, body := s.offB.get("/office" + p)
			if status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, status)
			}
			leak(t, p, body)
		}
		for _, p := range lists {
			status, body := s.offB.get("/office" + p)
			if status != http.StatusOK {
				t.Errorf("GET %s: %d", p, status)
			}
			leak(t, p, body)
		}
		for _, c := range changes {
			t.Run(c.path, func(t *testing.T) {
				form := url.Values{}
				for k, v := range c.form {
					form[k] = v
				}
				status, body, _ := s.offB.post("/office"+c.path, form)
				if status != http.StatusNotFound && status != http.StatusBadRequest {
					t.Errorf("POST %s %v: %d, want 404 (or 400 for an empty hand-over)", c.path, c.form, status)
				}
				leak(t, c.path, body)
			})
		}
	})
	t.Run("api", func(t *testing.T) {
		for _, p := range reads {
			status, body := s.e.api(s.tB, "GET", "/v1/office"+p, nil)
			if status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, status)
			}
			leak(t, p, body)
		}
		for _, p := range lists {
			status, body := s.e.api(s.tB, "GET", "/v1/office"+p, nil)
			if status != http.StatusOK {
				t.Errorf("GET %s: %d", p, status)
			}
			leak(t, p, body)
		}
		for _, c := range changes {
			t.Run(c.path, func(t *testing.T) {
				status, body := s.e.api(s.tB, "POST", "/v1/office"+c.path, c.form)
				if status != http.StatusNotFound && status != http.StatusBadRequest {
					t.Errorf("POST %s: %d, want 404/400", c.path, status)
				}
				leak(t, c.path, body)
			})
		}
	})
	if after := s.snapshot(t); after != before {
		t.Fatalf("a refused call changed something:\n%s\n%s", before, after)
	}
	for _, q := range []string{"/v1/office/queue?q=" + s.code, "/v1/office/queue?office=00004", "/v1/office/register"} {
		var list struct {
			Total    int               `json:"total"`
			Dossiers []json.RawMessage `json:"dossiers"`
		}
		_, body := s.e.api(s.tB, "GET", q, nil)
		if err := json.Unmarshal([]byte(body), &list); err != nil || list.Total != 0 || len(list.Dossiers) != 0 {
			t.Fatalf("%s for another commune's officer: %s", q, body)
		}
	}
	audit, _ := s.e.store.Audit(t.Context(), city.AuditFilter{RequestID: d})
	for _, a := range audit {
		if a.UserName == "binh" {
			t.Fatalf("an out-of-scope call left a dossier audit entry: %+v", a)
		}
	}
	// The same calls as the officer of 00004 do reach the dossiers (the
	// table above is not empty for a wrong reason).
	if status, body := s.offA.get("/office/queue?q=" + s.code); status != 200 || !strings.Contains(body, d) {
		t.Fatalf("own officer's search: %d", status)
	}
	if status, body := s.e.api(s.tA, "GET", "/v1/office/dossiers/"+d, nil); status != 200 || !strings.Contains(body, d) {
		t.Fatalf("own officer's API read: %d %s", status, body)
	}
}

// TestOfficeRoles: each route as each role, pages and API.
func TestOfficeRoles(t *testing.T) {
	s := newScene(t)
	d := s.d
	type want struct{ admin, officer, viewer int }
	routes := []struct {
		path string
		w    want
	}{
		{"/queue", want{403, 200, 403}},
		{"/counts", want{403, 200, 200}},
		{"/dossiers/" + d, want{403, 200, 403}},
		{"/dossiers/" + d + "/slips/01", want{403, 200, 403}},
		{"/post", want{403, 200, 403}},
		{"/post/batches/" + s.batchOfR, want{403, 200, 403}},
		{"/register", want{403, 200, 403}},
		{"/due", want{403, 200, 403}},
		{"/audit", want{200, 403, 403}},
		{"/users", want{200, 403, 403}},
		{"/calendar", want{200, 403, 403}},
		{"/fleet", want{200, 403, 403}},
		{"/report", want{200, 200, 200}},
		{"/account", want{200, 200, 200}},
	}
	for _, rt := range routes {
		t.Run(rt.path, func(t *testing.T) {
			for _, c := range []struct {
				name string
				b    *browser
				tok  string
				want int
			}{{"admin", s.admin, s.tAdmin, rt.w.admin}, {"officer", s.offA, s.tA, rt.w.officer}, {"viewer", s.viewer, s.tV, rt.w.viewer}} {
				if status, _ := c.b.get("/office" + rt.path); status != c.want {
					t.Errorf("page as %s: %d, want %d", c.name, status, c.want)
				}
				if status, _ := s.e.api(c.tok, "GET", "/v1/office"+rt.path, nil); status != c.want {
					t.Errorf("API as %s: %d, want %d", c.name, status, c.want)
				}
			}
			if status, _ := s.anon.get("/office" + rt.path); status != http.StatusSeeOther {
				t.Errorf("page signed out: %d, want 303 to the login", status)
			}
			if status, _ := s.e.api("ck_nonsense", "GET", "/v1/office"+rt.path, nil); status != http.StatusUnauthorized {
				t.Errorf("API with a wrong token: %d", status)
			}
		})
	}
	// Changes by a role that may not: nothing moves.
	before := s.snapshot(t)
	for _, b := range []*browser{s.admin, s.viewer} {
		if status, _, _ := b.post("/office/dossiers/"+d+"/actions/supplement", url.Values{"reason": {"x"}}); status != 403 {
			t.Errorf("action by a non-officer: %d", status)
		}
	}
	for _, b := range []*browser{s.offA, s.viewer} {
		if status, _, _ := b.post("/office/users", url.Values{"name": {"mallory"}, "role": {"admin"}}); status != 403 {
			t.Errorf("user creation by a non-admin: %d", status)
		}
		if status, _, _ := b.post("/office/calendar", url.Values{"op": {"put"}, "date": {"2026-12-01"}, "kind": {"holiday"}}); status != 403 {
			t.Errorf("calendar change by a non-admin: %d", status)
		}
	}
	if _, err := s.e.store.UserByName(t.Context(), "mallory"); err == nil {
		t.Fatal("a non-admin made a user")
	}
	if after := s.snapshot(t); after != before {
		t.Fatal("a refused action changed a dossier")
	}
}

// TestViewerNeverGetsPersonalData walks every route a viewer may open.
func TestViewerNeverGetsPersonalData(t *testing.T) {
	s := newScene(t)
	for _, p := range []string{"/counts", "/report", "/account", "/queue", "/dossiers/" + s.d, "/register?format=csv", "/due", "/audit", "/fleet"} {
		for _, body := range []string{get(s.viewer, p), apiGet(s, s.tV, p)} {
			for _, pd := range append(s.personal, s.code) {
				if strings.Contains(body, pd) {
					t.Fatalf("%s gave a viewer %q", p, pd)
				}
			}
		}
	}
	// The counts are real: the viewer sees the two dossiers as numbers.
	status, body := s.e.api(s.tV, "GET", "/v1/office/counts", nil)
	var c struct {
		Offices []struct {
			Office string         `json:"office"`
			Counts map[string]int `json:"counts"`
			Total  int            `json:"total"`
		} `json:"offices"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &c) != nil || len(c.Offices) != 1 || c.Offices[0].Total != 2 ||
		c.Offices[0].Counts[string(syncproto.StatusProcessing)] != 1 || c.Offices[0].Counts[string(syncproto.StatusPosted)] != 1 {
		t.Fatalf("counts %d %s", status, body)
	}
}

func get(b *browser, p string) string { _, body := b.get("/office" + p); return body }

func apiGet(s *scene, tok, p string) string {
	_, body := s.e.api(tok, "GET", "/v1/office"+p, nil)
	return body
}
