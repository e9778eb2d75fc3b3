package city_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// TestDossierLifeReachesKiosk drives one dossier through the JSON API and
// checks each status reaches the kiosk's feed with what the citizen reads.
func TestDossierLifeReachesKiosk(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	req := goodRequest()
	req.Delivery = postDelivery()
	id := k.submit(req)
	u, _ := e.user("lan", city.RoleOfficer, "00004")
	tok := e.apiToken(u)
	act := func(action string, form url.Values, want int) string {
		t.Helper()
		status, body := e.api(tok, "POST", "/v1/office/dossiers/"+id+"/actions/"+action, form)
		if status != want {
			t.Fatalf("%s: %d %s, want %d", action, status, body, want)
		}
		return body
	}
	act("supplement", url.Values{"reason": {"x"}}, http.StatusConflict) // not accepted yet
	act("accept", nil, 200)
	act("supplement", nil, http.StatusBadRequest) // a supplement says what
	act("supplement", url.Values{"reason": {"Ảnh chụp giấy khai sinh bản chính"}}, 200)
	act("process", nil, 200)
	act("reschedule", url.Values{"new_due": {"2026-11-20"}, "reason": {"x"}}, http.StatusBadRequest) // before the due date
	act("reschedule", url.Values{"new_due": {"2026-12-10"}, "reason": {"Cần xác minh tại nơi đăng ký"}}, 200)
	act("ready", nil, 200)
	act("post", url.Values{"tracking": {"bad"}}, http.StatusBadRequest)
	act("post", url.Values{"tracking": {"eb 1234 5678 5vn"}}, 200)
	act("post", url.Values{"tracking": {"EB123456785VN"}}, http.StatusConflict)
	act("delivered", nil, 200)
	act("withdraw", url.Values{"reason": {"x"}}, http.StatusConflict) // done is final

	r, _ := e.store.Request(t.Context(), id)
	if r.Status != syncproto.StatusDone || r.Tracking != "EB123456785VN" || r.DueAt.IsZero() || r.NewDueAt.IsZero() ||
		r.ResultAt.IsZero() || r.PostResult != "delivered" || r.AcceptedAt.IsZero() {
		t.Fatalf("stored %+v", r)
	}
	pull := k.pull(syncproto.Cursor{}, 100)
	var got []syncproto.Status
	notes := map[syncproto.Status]string{}
	for _, c := range pull.Changes {
		got = append(got, c.Status)
		notes[c.Status] = c.Note
	}
	want := []syncproto.Status{"received", "accepted", "needs_supplement", "processing", "processing", "ready", "sent_by_post", "done"}
	if strings.Join(statusStrings(got), ",") != strings.Join(statusStrings(want), ",") {
		t.Fatalf("feed %v, want %v", got, want)
	}
	if notes["needs_supplement"] != "Ảnh chụp giấy khai sinh bản chính" || !strings.Contains(notes["accepted"], "30/11/2026") ||
		!strings.Contains(notes["sent_by_post"], "EB123456785VN") {
		t.Fatalf("notes %v", notes)
	}
	hist, _ := e.store.Audit(t.Context(), city.AuditFilter{RequestID: id})
	if len(hist) != 7 || hist[0].Action != "status.done" || hist[0].UserName != "lan" {
		t.Fatalf("history %+v", hist)
	}
}

func statusStrings(s []syncproto.Status) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

func TestOfficeAssignment(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	id := k.submit(goodRequest())
	a, _ := e.user("lan", city.RoleOfficer, "00004")
	b, _ := e.user("mai", city.RoleOfficer, "00004")
	ta, tb := e.apiToken(a), e.apiToken(b)
	if status, _ := e.api(ta, "POST", "/v1/office/dossiers/"+id+"/actions/assign", url.Values{}); status != 200 {
		t.Fatal(status)
	}
	if status, _ := e.api(tb, "POST", "/v1/office/dossiers/"+id+"/actions/assign", url.Values{}); status != http.StatusConflict {
		t.Fatalf("taking another's dossier: %d", status)
	}
	if status, _ := e.api(tb, "POST", "/v1/office/dossiers/"+id+"/actions/release", url.Values{}); status != http.StatusConflict {
		t.Fatalf("releasing another's dossier: %d", status)
	}
	_, body := e.api(ta, "GET", "/v1/office/queue?mine=1", nil)
	if !strings.Contains(body, id) {
		t.Fatalf("mine: %s", body)
	}
	_, body = e.api(tb, "GET", "/v1/office/queue?mine=1", nil)
	if strings.Contains(body, id) {
		t.Fatalf("someone else's in mine: %s", body)
	}
}

// TestPostHandoverAllOrNothing: one bad tracking number, or one number
// twice, and no dossier of the list moves.
func TestPostHandoverAllOrNothing(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	req := goodRequest()
	req.Delivery = postDelivery()
	var ids []string
	u, pw := e.user("lan", city.RoleOfficer, "00004")
	tok := e.apiToken(u)
	for range 3 {
		id := k.submit(req)
		for _, a := range []string{"accept", "ready"} {
			if status, body := e.api(tok, "POST", "/v1/office/dossiers/"+id+"/actions/"+a, url.Values{}); status != 200 {
				t.Fatal(status, body)
			}
		}
		ids = append(ids, id)
	}
	b := e.browser()
	b.login("lan", pw)
	for _, form := range []url.Values{
		{"id": ids, "tracking_" + ids[0]: {"EB000000001VN"}, "tracking_" + ids[1]: {"EB000000002VN"}, "tracking_" + ids[2]: {"nope"}},
		{"id": ids, "tracking_" + ids[0]: {"EB000000001VN"}, "tracking_" + ids[1]: {"EB000000001VN"}, "tracking_" + ids[2]: {"EB000000003VN"}},
		{},
	} {
		if status, _, _ := b.post("/office/post", form); status != http.StatusBadRequest {
			t.Fatalf("bad hand-over %v: %d", form, status)
		}
		n, _ := e.store.CountDossiers(t.Context(), u.Scope(), city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusPosted}})
		if n != 0 {
			t.Fatalf("%d dossiers moved in a refused hand-over", n)
		}
	}
	status, _, h := b.post("/office/post", url.Values{"id": ids, "tracking_" + ids[0]: {"EB000000001VN"},
		"tracking_" + ids[1]: {"EB000000002VN"}, "tracking_" + ids[2]: {"EB000000003VN"}})
	if status != http.StatusSeeOther {
		t.Fatal(status)
	}
	status, page := b.get(h.Get("Location"))
	if status != 200 || strings.Count(page, "VN</td>") != 3 || !strings.Contains(page, "Nguyễn Thị Hoa") || !strings.Contains(page, "Bảng kê") {
		t.Fatalf("bảng kê: %d", status)
	}
	batch := strings.TrimPrefix(h.Get("Location"), "/office/post/batches/")
	for _, id := range ids {
		r, _ := e.store.Request(t.Context(), id)
		if r.Status != syncproto.StatusPosted || r.PostBatch != batch || r.ResultAt.IsZero() {
			t.Fatalf("after the hand-over %+v", r)
		}
	}
	prints, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "dossier.print"})
	if len(prints) != 3 {
		t.Fatalf("the bảng kê shows personal data of 3 dossiers: %d audit entries", len(prints))
	}
}

func TestRegisterCSV(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	u, _ := e.user("lan", city.RoleOfficer, "00004")
	tok := e.apiToken(u)
	for range 3 {
		k.submit(goodRequest())
	}
	req, _ := http.NewRequest("GET", e.http.URL+"/v1/office/register?format=csv&from=2026-11-01&to=2026-11-30", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	status, body := e.do(req)
	if status != 200 || !strings.HasPrefix(string(body), "\ufeffstt,ma_ho_so") || strings.Count(string(body), "\n") != 4 {
		t.Fatalf("%d %q", status, body)
	}
	if strings.Contains(string(body), "Nguyễn Thị Hoa") || !strings.Contains(string(body), "N***** T** H**") || !strings.Contains(string(body), "2.000635") {
		t.Fatalf("csv %s", body)
	}
	if a, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "export.register"}); len(a) != 1 {
		t.Fatal("the export is not audited")
	}
}

func TestAuditViewAndExport(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	id := k.submit(goodRequest())
	u, _ := e.user("lan", city.RoleOfficer, "00004")
	adm, _ := e.user("admin", city.RoleAdmin)
	if status, body := e.api(e.apiToken(u), "POST", "/v1/office/dossiers/"+id+"/view", url.Values{}); status != 200 || !strings.Contains(body, "001190012345") {
		t.Fatalf("view %d %s", status, body)
	}
	ta := e.apiToken(adm)
	status, body := e.api(ta, "GET", "/v1/office/audit?user=lan", nil)
	var d struct {
		Entries []city.AuditEntry `json:"entries"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &d) != nil || len(d.Entries) != 1 || d.Entries[0].Action != "dossier.view" || d.Entries[0].RequestID != id {
		t.Fatalf("audit %d %s", status, body)
	}
	if strings.Contains(body, "001190012345") || strings.Contains(body, "Nguyễn") {
		t.Fatal("the audit log holds personal data")
	}
	status, body = e.api(ta, "GET", "/v1/office/audit?format=csv&from=2026-11-01&to=2026-11-30", nil)
	if status != 200 || !strings.HasPrefix(body, "\ufeffseq,") || !strings.Contains(body, "dossier.view") {
		t.Fatalf("csv %d %s", status, body)
	}
	if status, _ := e.api(ta, "GET", "/v1/office/audit?from=2026-13-01", nil); status != http.StatusBadRequest {
		t.Fatalf("bad date: %d", status)
	}
}

func TestQueueTotalsAndBuckets(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	u, _ := e.user("lan", city.RoleOfficer, "00004")
	tok := e.apiToken(u)
	post := goodRequest()
	post.Delivery = postDelivery()
	a := k.submit(goodRequest())
	k.submit(goodRequest())
	k.submit(post)
	if status, body := e.api(tok, "POST", "/v1/office/dossiers/"+a+"/actions/accept", url.Values{}); status != 200 {
		t.Fatal(status, body)
	}
	type queue struct {
		Total   int `json:"total"`
		Buckets []struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
		} `json:"buckets"`
		Dossiers []json.RawMessage `json:"dossiers"`
	}
	tests := []struct {
		query string
		total int
	}{
		{"", 3}, {"?status=accepted", 1}, {"?status=received", 2}, {"?delivery=post", 1}, {"?delivery=post&status=accepted", 0},
		{"?due=soon", 1}, {"?due=overdue", 0}, {"?q=" + url.QueryEscape(fmt.Sprintf("K%s-0003", k.id)), 1},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body := e.api(tok, "GET", "/v1/office/queue"+tt.query, nil)
			var q queue
			if status != 200 || json.Unmarshal([]byte(body), &q) != nil {
				t.Fatalf("%d %s", status, body)
			}
			if q.Total != tt.total || len(q.Dossiers) != tt.total {
				t.Fatalf("total %d, %d rows; want %d", q.Total, len(q.Dossiers), tt.total)
			}
			if tt.query == "" {
				got := map[string]int{}
				for _, b := range q.Buckets {
					got[b.Key] = b.Count
				}
				if got["received"] != 2 || got["accepted"] != 1 || got["due_soon"] != 1 || got["overdue"] != 0 || got["done"] != 0 {
					t.Fatalf("buckets %v", got)
				}
			}
		})
	}
	e.now = e.now.Add(5 * 24 * time.Hour)
	_, body := e.api(tok, "GET", "/v1/office/queue?due=overdue", nil)
	if !strings.Contains(body, a) || !strings.Contains(body, `"flag":"overdue"`) {
		t.Fatalf("overdue after 5 days: %s", body)
	}
}
