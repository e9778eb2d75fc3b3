package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// officeStore is a store that serves the back office too.
type officeStore interface {
	city.Store
	city.OfficeStore
}

// officeTests cover the back office's stores: users, sessions, tokens,
// audit, calendar and the scoped dossier queries.
var officeTests = []struct {
	name string
	fn   func(t *testing.T, s officeStore)
}{
	{"Users", testUsers},
	{"UserUpdateAborts", testUserUpdateAborts},
	{"Sessions", testSessions},
	{"Tokens", testTokens},
	{"AuditAppendOnlyAndFilters", testAudit},
	{"Calendar", testCalendar},
	{"NationalStatuses", testNationalStatuses},
	{"DossierOfficeFromIngest", testDossierOffice},
	{"DossierScope", testDossierScope},
	{"DossierScopeUpdateRefused", testDossierScopeUpdate},
	{"DossierUpdateAllOrNothing", testDossierAllOrNothing},
	{"DossierUpdateKeepsIdentity", testDossierIdentity},
	{"DossierFiltersAndCounts", testDossierFilters},
	{"DossierPaging", testDossierPaging},
}

func testUsers(t *testing.T, s officeStore) {
	u := city.User{ID: "u1", Name: "lan", DisplayName: "Lan", Role: city.RoleOfficer, Communes: []string{"00004"},
		PasswordHash: "$argon2id$x", Active: true, MustChange: true, CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, city.User{ID: "u2", Name: "lan", Role: city.RoleViewer}); !errors.Is(err, city.ErrExists) {
		t.Fatalf("second user named lan: %v", err)
	}
	if err := s.CreateUser(ctx, city.User{ID: "u0", Name: "an", Role: city.RoleAdmin, Active: true, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, "u1")
	if err != nil || got.Name != "lan" || got.Role != city.RoleOfficer || !slices.Equal(got.Communes, []string{"00004"}) ||
		got.PasswordHash != "$argon2id$x" || !got.Active || !got.MustChange || !got.CreatedAt.Equal(t0) {
		t.Fatalf("user %+v, %v", got, err)
	}
	if got, err := s.UserByName(ctx, "lan"); err != nil || got.ID != "u1" {
		t.Fatalf("by name %+v, %v", got, err)
	}
	if _, err := s.UserByName(ctx, "nobody"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("unknown name: %v", err)
	}
	if _, err := s.User(ctx, "nope"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
	all, err := s.Users(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "an" || all[1].Name != "lan" {
		t.Fatalf("users %+v, %v", all, err)
	}
	up, err := s.UpdateUser(ctx, "u1", func(u *city.User) error {
		u.ID, u.Name = "changed", "changed" // must not stick
		u.Role, u.Communes, u.Active, u.Failed = city.RoleViewer, []string{"00004", "00008"}, false, 3
		return nil
	})
	if err != nil || up.ID != "u1" || up.Name != "lan" || up.Role != city.RoleViewer || up.Failed != 3 {
		t.Fatalf("update %+v, %v", up, err)
	}
	got, _ = s.User(ctx, "u1")
	if got.Role != city.RoleViewer || got.Active || len(got.Communes) != 2 || got.Failed != 3 {
		t.Fatalf("after update %+v", got)
	}
	if _, err := s.UserByName(ctx, "changed"); !errors.Is(err, city.ErrNotFound) {
		t.Fatal("the name changed through UpdateUser")
	}
	if _, err := s.UpdateUser(ctx, "nope", func(*city.User) error { return nil }); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("update unknown: %v", err)
	}
}

func testUserUpdateAborts(t *testing.T, s officeStore) {
	if err := s.CreateUser(ctx, city.User{ID: "u1", Name: "lan", Role: city.RoleOfficer, Active: true}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	_, err := s.UpdateUser(ctx, "u1", func(u *city.User) error { u.Active = false; return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("fn's error: %v", err)
	}
	if u, _ := s.User(ctx, "u1"); !u.Active {
		t.Fatal("an aborted update was written")
	}
}

func testSessions(t *testing.T, s officeStore) {
	a := city.Session{Hash: "ha", UserID: "u1", CSRF: "ca", Addr: "10.0.0.1", CreatedAt: t0, LastSeen: t0}
	b := city.Session{Hash: "hb", UserID: "u1", CSRF: "cb", CreatedAt: t0.Add(time.Minute), LastSeen: t0}
	c := city.Session{Hash: "hc", UserID: "u2", CSRF: "cc", CreatedAt: t0, LastSeen: t0}
	for _, se := range []city.Session{a, b, c} {
		if err := s.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, a); !errors.Is(err, city.ErrExists) {
		t.Fatalf("same hash twice: %v", err)
	}
	got, err := s.Session(ctx, "ha")
	if err != nil || got.UserID != "u1" || got.CSRF != "ca" || got.Addr != "10.0.0.1" {
		t.Fatalf("session %+v, %v", got, err)
	}
	if err := s.TouchSession(ctx, "ha", t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Session(ctx, "ha"); !got.LastSeen.Equal(t0.Add(5*time.Minute)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("touched %+v", got)
	}
	if err := s.TouchSession(ctx, "nope", t0); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("touch unknown: %v", err)
	}
	list, err := s.Sessions(ctx, "u1")
	if err != nil || len(list) != 2 || list[0].Hash != "ha" || list[1].Hash != "hb" {
		t.Fatalf("sessions %+v, %v", list, err)
	}
	if err := s.DeleteSession(ctx, "hb"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, "hb"); err != nil {
		t.Fatalf("deleting an absent session: %v", err)
	}
	if _, err := s.Session(ctx, "hb"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
	if err := s.CreateSession(ctx, city.Session{Hash: "hd", UserID: "u1", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteSessions(ctx, "u1")
	if err != nil || n != 2 {
		t.Fatalf("sign out everywhere: %d, %v", n, err)
	}
	if list, _ := s.Sessions(ctx, "u1"); len(list) != 0 {
		t.Fatalf("left %+v", list)
	}
	if _, err := s.Session(ctx, "hc"); err != nil {
		t.Fatal("another user's session was ended")
	}
}

func testTokens(t *testing.T, s officeStore) {
	tk := city.APIToken{ID: "t1", Hash: "th1", UserID: "u1", Name: "backup script", CreatedAt: t0}
	if err := s.CreateToken(ctx, tk); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateToken(ctx, city.APIToken{ID: "t2", Hash: "th1", UserID: "u1"}); !errors.Is(err, city.ErrExists) {
		t.Fatalf("same hash twice: %v", err)
	}
	if err := s.CreateToken(ctx, city.APIToken{ID: "t3", Hash: "th3", UserID: "u1", Name: "report", CreatedAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateToken(ctx, city.APIToken{ID: "t4", Hash: "th4", UserID: "u2", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := s.TokenByHash(ctx, "th1")
	if err != nil || got.ID != "t1" || got.UserID != "u1" || got.Name != "backup script" || !got.RevokedAt.IsZero() {
		t.Fatalf("token %+v, %v", got, err)
	}
	if _, err := s.TokenByHash(ctx, "nope"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("unknown hash: %v", err)
	}
	list, err := s.Tokens(ctx, "u1")
	if err != nil || len(list) != 2 || list[0].ID != "t1" || list[1].ID != "t3" {
		t.Fatalf("tokens %+v, %v", list, err)
	}
	if err := s.RevokeToken(ctx, "t1", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TokenByHash(ctx, "th1"); !got.RevokedAt.Equal(t0.Add(2 * time.Hour)) {
		t.Fatalf("revoked %+v", got)
	}
	if err := s.RevokeToken(ctx, "nope", t0); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
}

func testAudit(t *testing.T, s officeStore) {
	var seqs []uint64
	for i, e := range []city.AuditEntry{
		{At: t0, UserID: "u1", Action: "login", Addr: "10.0.0.1"},
		{At: t0.Add(time.Minute), UserID: "u1", Action: "dossier.view", RequestID: "r1", Commune: "00004"},
		{At: t0.Add(2 * time.Minute), UserID: "u2", Action: "login_failed"},
		{At: t0.Add(3 * time.Minute), UserID: "u1", Action: "status.accepted", RequestID: "r1", Detail: "due 2026-11-28"},
		{At: t0.Add(4 * time.Minute), UserID: "u2", Action: "dossier.view", RequestID: "r2"},
	} {
		got, err := s.AppendAudit(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if got.Seq == 0 || (i > 0 && got.Seq <= seqs[i-1]) || got.Action != e.Action || !got.At.Equal(e.At) {
			t.Fatalf("appended %+v", got)
		}
		seqs = append(seqs, got.Seq)
	}
	tests := []struct {
		name string
		f    city.AuditFilter
		want []string // actions, newest first
	}{
		{"all", city.AuditFilter{}, []string{"dossier.view", "status.accepted", "login_failed", "dossier.view", "login"}},
		{"by user", city.AuditFilter{UserID: "u1"}, []string{"status.accepted", "dossier.view", "login"}},
		{"by dossier", city.AuditFilter{RequestID: "r1"}, []string{"status.accepted", "dossier.view"}},
		{"by action", city.AuditFilter{Action: "dossier.view"}, []string{"dossier.view", "dossier.view"}},
		{"from", city.AuditFilter{From: t0.Add(3 * time.Minute)}, []string{"dossier.view", "status.accepted"}},
		{"to", city.AuditFilter{To: t0.Add(time.Minute)}, []string{"login"}},
		{"before", city.AuditFilter{Before: seqs[2]}, []string{"dossier.view", "login"}},
		{"limit", city.AuditFilter{Limit: 2}, []string{"dossier.view", "status.accepted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Audit(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var acts []string
			for _, e := range got {
				acts = append(acts, e.Action)
			}
			if !slices.Equal(acts, tt.want) {
				t.Fatalf("got %v, want %v", acts, tt.want)
			}
		})
	}
	// Paging by Before walks the whole log once.
	var all []uint64
	before := uint64(0)
	for range 10 {
		page, err := s.Audit(ctx, city.AuditFilter{Before: before, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			all = append(all, e.Seq)
		}
		before = page[len(page)-1].Seq
	}
	if len(all) != 5 || all[0] != seqs[4] || all[4] != seqs[0] {
		t.Fatalf("paged %v, appended %v", all, seqs)
	}
}

func testCalendar(t *testing.T, s officeStore) {
	days := []city.CalendarDay{
		{Date: "2027-02-08", Kind: city.DayHoliday, Note: "Tết"},
		{Date: "2026-09-02", Kind: city.DayHoliday, Note: "Quốc khánh"},
		{Date: "2027-01-30", Kind: city.DayWorkday, Note: "làm bù"},
	}
	for _, d := range days {
		if err := s.PutCalendarDay(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutCalendarDay(ctx, city.CalendarDay{Date: "2026-09-02", Kind: city.DayHoliday, Note: "Quốc khánh 2/9"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CalendarDays(ctx)
	if err != nil || len(got) != 3 || got[0].Date != "2026-09-02" || got[0].Note != "Quốc khánh 2/9" || got[1].Date != "2027-01-30" || got[1].Kind != city.DayWorkday {
		t.Fatalf("calendar %+v, %v", got, err)
	}
	if err := s.DeleteCalendarDay(ctx, "2027-01-30"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.CalendarDays(ctx); len(got) != 2 || got[1].Date != "2027-02-08" {
		t.Fatalf("after delete %+v", got)
	}
}

func testNationalStatuses(t *testing.T, s officeStore) {
	k := mustKiosk(t, s, "00004", 1)
	if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(1, "r1", "h1")}, t0); err != nil {
		t.Fatal(err)
	}
	path := []syncproto.Status{syncproto.StatusAccepted, syncproto.StatusNeedsSupplement, syncproto.StatusProcessing,
		syncproto.StatusReady, syncproto.StatusPosted, syncproto.StatusReady, syncproto.StatusPosted, syncproto.StatusDone}
	for i, st := range path {
		if _, err := s.SetStatus(ctx, "r1", st, "n", t0.Add(time.Duration(i+1)*time.Minute)); err != nil {
			t.Fatalf("step %d → %s: %v", i, st, err)
		}
	}
	ch, _, _, _ := s.Feed(ctx, k.ID, 0, 100)
	if len(ch) != len(path)+1 || ch[2].Status != syncproto.StatusNeedsSupplement {
		t.Fatalf("feed %+v", ch)
	}
	if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(2, "r2", "h2")}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, "r2", syncproto.StatusNotAccepted, "thiếu", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, "r2", syncproto.StatusProcessing, "", t0); !errors.Is(err, city.ErrBadTransition) {
		t.Fatalf("out of not_accepted: %v", err)
	}
	n, err := s.CountDossiers(ctx, city.Scope{Communes: []string{"00004"}}, city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusNotAccepted}})
	if err != nil || n != 1 {
		t.Fatalf("count of not_accepted after SetStatus: %d, %v", n, err)
	}
}

// dossiers ingests n dossiers from a kiosk of commune with office as the
// responsible office; codes are unique: prefix + seq.
func dossiers(t *testing.T, s officeStore, k city.Kiosk, office, prefix string, n int, at time.Time) []string {
	t.Helper()
	var items []city.IngestItem
	var ids []string
	for i := 1; i <= n; i++ {
		it := item(uint64(i), fmt.Sprintf("%s%d", prefix, i), "h")
		it.Code = fmt.Sprintf("%s-%03d", prefix, i)
		it.Commune, it.Office, it.MaskedName = k.Commune, office, "N**** V** A"
		it.Delivery = "pickup"
		if i%2 == 0 {
			it.Delivery = "post"
		}
		items = append(items, it)
		ids = append(ids, it.RequestID)
	}
	if _, err := s.Ingest(ctx, k.ID, items, at); err != nil {
		t.Fatal(err)
	}
	return ids
}

func testDossierOffice(t *testing.T, s officeStore) {
	k := mustKiosk(t, s, "00004", 1)
	dossiers(t, s, k, "00008", "A", 1, t0)
	it := item(2, "B1", "h")
	it.Code = "B-001"
	if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{it}, t0); err != nil {
		t.Fatal(err)
	}
	a, err := s.Dossier(ctx, city.Scope{Communes: []string{"00008"}}, "A1")
	if err != nil || a.Office != "00008" || a.Commune != "00004" || a.MaskedName != "N**** V** A" || a.Delivery != "pickup" || string(a.Sealed) != "sealed-h" {
		t.Fatalf("dossier %+v, %v", a, err)
	}
	b, err := s.Dossier(ctx, city.Scope{Communes: []string{"00004"}}, "B1")
	if err != nil || b.Office != "00004" {
		t.Fatalf("an item without office belongs to its kiosk's commune: %+v, %v", b, err)
	}
	if _, err := s.Dossier(ctx, city.Scope{Communes: []string{"00004"}}, "A1"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("the kiosk's commune is not the office: %v", err)
	}
}

func testDossierScope(t *testing.T, s officeStore) {
	ka := mustKiosk(t, s, "00004", 1)
	kb := mustKiosk(t, s, "00008", 2)
	dossiers(t, s, ka, "00004", "A", 3, t0)
	dossiers(t, s, kb, "00008", "B", 2, t0)
	scopes := []struct {
		name  string
		sc    city.Scope
		f     city.DossierFilter
		want  int
		alien bool // may see B's
	}{
		{"empty scope sees nothing", city.Scope{}, city.DossierFilter{}, 0, false},
		{"empty commune in scope", city.Scope{Communes: []string{""}}, city.DossierFilter{}, 0, false},
		{"own commune", city.Scope{Communes: []string{"00004"}}, city.DossierFilter{}, 3, false},
		{"office filter outside scope", city.Scope{Communes: []string{"00004"}}, city.DossierFilter{Office: "00008"}, 0, false},
		{"query outside scope", city.Scope{Communes: []string{"00004"}}, city.DossierFilter{Query: "B-001"}, 0, false},
		{"query ref outside scope", city.Scope{Communes: []string{"00004"}}, city.DossierFilter{Query: refOf(t, s, "B1")}, 0, false},
		{"status filter outside scope", city.Scope{Communes: []string{"00004"}}, city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusReceived}}, 3, false},
		{"two communes", city.Scope{Communes: []string{"00008", "00004"}}, city.DossierFilter{}, 5, true},
		{"unknown commune", city.Scope{Communes: []string{"99999"}}, city.DossierFilter{}, 0, false},
	}
	for _, tt := range scopes {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Dossiers(ctx, tt.sc, tt.f)
			if err != nil || len(got) != tt.want {
				t.Fatalf("list: %d, %v; want %d", len(got), err, tt.want)
			}
			for _, r := range got {
				if !tt.alien && r.Office == "00008" {
					t.Fatalf("saw %s of another commune", r.RequestID)
				}
				if len(r.Sealed) != 0 {
					t.Fatal("the list carries sealed payloads")
				}
			}
			n, err := s.CountDossiers(ctx, tt.sc, tt.f)
			if err != nil || n != tt.want {
				t.Fatalf("count: %d, %v; want %d", n, err, tt.want)
			}
		})
	}
	if _, err := s.Dossier(ctx, city.Scope{Communes: []string{"00004"}}, "B1"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("read outside scope: %v", err)
	}
	if _, err := s.Dossier(ctx, city.Scope{}, "A1"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("read with empty scope: %v", err)
	}
	if _, err := s.Dossier(ctx, city.Scope{Communes: []string{"00004"}}, "nope"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("read unknown: %v", err)
	}
}

func refOf(t *testing.T, s officeStore, id string) string {
	t.Helper()
	r, err := s.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r.CityRef
}

func testDossierScopeUpdate(t *testing.T, s officeStore) {
	kb := mustKiosk(t, s, "00008", 2)
	dossiers(t, s, kb, "00008", "B", 1, t0)
	_, head, _, _ := s.Feed(ctx, kb.ID, 0, 100)
	called := false
	_, err := s.UpdateDossiers(ctx, city.Scope{Communes: []string{"00004"}}, []city.DossierChange{{
		RequestID: "B1",
		Apply:     func(r *city.Request) error { called = true; r.Status = syncproto.StatusAccepted; return nil },
		Audit:     city.AuditEntry{UserID: "u1", Action: "status.accepted"},
	}}, t0.Add(time.Hour))
	if !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("update outside scope: %v", err)
	}
	if called {
		t.Fatal("Apply saw a dossier outside the scope")
	}
	r, _ := s.Request(ctx, "B1")
	if r.Status != syncproto.StatusReceived || !r.UpdatedAt.Equal(t0) {
		t.Fatalf("changed outside scope: %+v", r)
	}
	if _, h, _, _ := s.Feed(ctx, kb.ID, 0, 100); h != head {
		t.Fatal("the feed moved")
	}
	if a, _ := s.Audit(ctx, city.AuditFilter{}); len(a) != 0 {
		t.Fatalf("audit written for a refused change: %+v", a)
	}
}

func testDossierAllOrNothing(t *testing.T, s officeStore) {
	k := mustKiosk(t, s, "00004", 1)
	dossiers(t, s, k, "00004", "A", 2, t0)
	sc := city.Scope{Communes: []string{"00004"}}
	accept := func(r *city.Request) error {
		if !city.CanMove(r.Status, syncproto.StatusAccepted) {
			return city.ErrBadTransition
		}
		r.Status, r.DueAt = syncproto.StatusAccepted, t0.Add(24*time.Hour)
		return nil
	}
	boom := errors.New("second one fails")
	_, err := s.UpdateDossiers(ctx, sc, []city.DossierChange{
		{RequestID: "A1", Apply: accept, Audit: city.AuditEntry{Action: "status.accepted"}},
		{RequestID: "A2", Apply: func(*city.Request) error { return boom }},
	}, t0.Add(time.Hour))
	if !errors.Is(err, boom) {
		t.Fatalf("batch: %v", err)
	}
	if r, _ := s.Request(ctx, "A1"); r.Status != syncproto.StatusReceived || !r.DueAt.IsZero() {
		t.Fatalf("first change kept after the batch failed: %+v", r)
	}
	if a, _ := s.Audit(ctx, city.AuditFilter{}); len(a) != 0 {
		t.Fatalf("audit kept: %+v", a)
	}
	if n, _ := s.CountDossiers(ctx, sc, city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusAccepted}}); n != 0 {
		t.Fatalf("counters moved: %d accepted", n)
	}
	_, err = s.UpdateDossiers(ctx, sc, []city.DossierChange{
		{RequestID: "A1", Apply: accept, Audit: city.AuditEntry{UserID: "u1", Action: "status.accepted", Detail: "d"}},
		{RequestID: "A2", Apply: accept, Audit: city.AuditEntry{UserID: "u1", Action: "status.accepted"}},
		{RequestID: "A1", Apply: func(r *city.Request) error { r.Assignee = "u1"; return nil }, Audit: city.AuditEntry{UserID: "u1", Action: "assign"}},
	}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Request(ctx, "A1")
	if r.Status != syncproto.StatusAccepted || r.Assignee != "u1" || !r.DueAt.Equal(t0.Add(24*time.Hour)) || !r.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after batch %+v", r)
	}
	a, _ := s.Audit(ctx, city.AuditFilter{RequestID: "A1"})
	if len(a) != 2 || a[0].Action != "assign" || a[1].Commune != "00004" || !a[1].At.Equal(t0.Add(time.Hour)) {
		t.Fatalf("audit of A1 %+v", a)
	}
	ch, _, _, _ := s.Feed(ctx, k.ID, 0, 100)
	// 2 received + 2 accepted; the assignment is no status change.
	if len(ch) != 4 || ch[2].Status != syncproto.StatusAccepted || ch[3].RequestID != "A2" {
		t.Fatalf("feed %+v", ch)
	}
	n, err := s.CountDossiers(ctx, sc, city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusAccepted}})
	if err != nil || n != 2 {
		t.Fatalf("accepted count %d, %v", n, err)
	}
	if n, _ := s.CountDossiers(ctx, sc, city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusReceived}}); n != 0 {
		t.Fatalf("received count %d", n)
	}
}

func testDossierIdentity(t *testing.T, s officeStore) {
	k := mustKiosk(t, s, "00004", 1)
	dossiers(t, s, k, "00004", "A", 1, t0)
	before, _ := s.Request(ctx, "A1")
	got, err := s.UpdateDossiers(ctx, city.Scope{Communes: []string{"00004"}}, []city.DossierChange{{RequestID: "A1",
		Apply: func(r *city.Request) error {
			r.Office, r.CityRef, r.Code, r.KioskID, r.SHA256, r.ReceivedAt = "00008", "X", "X", "X", "X", t0.Add(time.Hour)
			r.Tracking = "EB123456785VN"
			return nil
		}}}, t0.Add(time.Hour))
	if err != nil || len(got) != 1 {
		t.Fatal(err)
	}
	r, _ := s.Request(ctx, "A1")
	if r.Office != "00004" || r.CityRef != before.CityRef || r.Code != before.Code || r.KioskID != k.ID || r.SHA256 != "h" ||
		!r.ReceivedAt.Equal(t0) || r.Tracking != "EB123456785VN" || string(r.Sealed) != "sealed-h" {
		t.Fatalf("identity changed: %+v", r)
	}
	if got[0].Office != "00004" || len(got[0].Sealed) != 0 {
		t.Fatalf("returned %+v", got[0])
	}
}

func testDossierFilters(t *testing.T, s officeStore) {
	ka := mustKiosk(t, s, "00004", 1)
	kb := mustKiosk(t, s, "00008", 2)
	dossiers(t, s, ka, "00004", "A", 6, t0)
	dossiers(t, s, kb, "00004", "C", 2, t0.Add(48*time.Hour)) // another kiosk, same office
	dossiers(t, s, kb, "00008", "B", 3, t0)
	sc := city.Scope{Communes: []string{"00004"}}
	due := func(id string, at time.Time, st syncproto.Status) {
		_, err := s.UpdateDossiers(ctx, sc, []city.DossierChange{{RequestID: id, Apply: func(r *city.Request) error {
			r.Status, r.DueAt, r.Assignee = st, at, "u1"
			if st == syncproto.StatusReady {
				r.PostBatch = "PB1"
			}
			return nil
		}}}, t0)
		if err != nil {
			t.Fatal(err)
		}
	}
	due("A1", t0.Add(24*time.Hour), syncproto.StatusAccepted)
	due("A2", t0.Add(72*time.Hour), syncproto.StatusProcessing)
	due("A3", t0.Add(-24*time.Hour), syncproto.StatusNeedsSupplement)
	due("A4", t0.Add(-24*time.Hour), syncproto.StatusReady) // no longer open
	tests := []struct {
		name string
		f    city.DossierFilter
		want []string
	}{
		{"all", city.DossierFilter{}, []string{"A1", "A2", "A3", "A4", "A5", "A6", "C1", "C2"}},
		{"statuses", city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusAccepted, syncproto.StatusReady}}, []string{"A1", "A4"}},
		{"received", city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusReceived}}, []string{"A5", "A6", "C1", "C2"}},
		{"service", city.DossierFilter{Service: "birth_extract_copy"}, []string{"A1", "A2", "A3", "A4", "A5", "A6", "C1", "C2"}},
		{"other service", city.DossierFilter{Service: "death_extract_copy"}, nil},
		{"post", city.DossierFilter{Delivery: "post"}, []string{"A2", "A4", "A6", "C2"}},
		{"received from", city.DossierFilter{ReceivedFrom: t0.Add(time.Hour)}, []string{"C1", "C2"}},
		{"received to", city.DossierFilter{ReceivedTo: t0.Add(time.Hour)}, []string{"A1", "A2", "A3", "A4", "A5", "A6"}},
		{"overdue", city.DossierFilter{DueTo: t0}, []string{"A3"}},
		{"due soon", city.DossierFilter{DueFrom: t0, DueTo: t0.Add(48 * time.Hour)}, []string{"A1"}},
		{"due any", city.DossierFilter{DueFrom: t0.Add(-100 * time.Hour)}, []string{"A1", "A2", "A3"}},
		{"due and status", city.DossierFilter{DueFrom: t0.Add(-100 * time.Hour), Statuses: []syncproto.Status{syncproto.StatusProcessing}}, []string{"A2"}},
		{"assignee", city.DossierFilter{Assignee: "u1"}, []string{"A1", "A2", "A3", "A4"}},
		{"post batch", city.DossierFilter{PostBatch: "PB1"}, []string{"A4"}},
		{"query code", city.DossierFilter{Query: "c-002"}, []string{"C2"}},
		{"query ref", city.DossierFilter{Query: refOf(t, s, "A5")}, []string{"A5"}},
		{"query and status mismatch", city.DossierFilter{Query: "C-002", Statuses: []syncproto.Status{syncproto.StatusReady}}, nil},
		{"query unknown", city.DossierFilter{Query: "ZZZ"}, nil},
		{"office", city.DossierFilter{Office: "00004", Delivery: "pickup"}, []string{"A1", "A3", "A5", "C1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Dossiers(ctx, sc, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, r.RequestID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("got %v, want %v", ids, tt.want)
			}
			n, err := s.CountDossiers(ctx, sc, tt.f)
			if err != nil || n != len(tt.want) {
				t.Fatalf("count %d, %v; want %d", n, err, len(tt.want))
			}
			// By status (for a store that counts so): the same filter
			// without its statuses, grouped.
			counter, ok := s.(city.StatusCounter)
			if !ok {
				return
			}
			by, err := counter.CountByStatus(ctx, sc, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			g := tt.f
			g.Statuses = nil
			all, _ := s.Dossiers(ctx, sc, g)
			want := map[syncproto.Status]int{}
			for _, r := range all {
				want[r.Status]++
			}
			if len(by) != len(want) {
				t.Fatalf("by status %v, want %v", by, want)
			}
			for st, n := range want {
				if by[st] != n {
					t.Fatalf("by status %v, want %v", by, want)
				}
			}
		})
	}
	if counter, ok := s.(city.StatusCounter); ok {
		if by, err := counter.CountByStatus(ctx, city.Scope{}, city.DossierFilter{}); err != nil || len(by) != 0 {
			t.Fatalf("empty scope by status: %v, %v", by, err)
		}
	}
}

func testDossierPaging(t *testing.T, s officeStore) {
	ka := mustKiosk(t, s, "00004", 1)
	kb := mustKiosk(t, s, "00008", 2)
	// Interleave two offices so a page merges both.
	for i := range 4 {
		dossiers(t, s, ka, "00004", fmt.Sprintf("A%d_", i), 2, t0)
		dossiers(t, s, kb, "00008", fmt.Sprintf("B%d_", i), 1, t0)
	}
	sc := city.Scope{Communes: []string{"00004", "00008"}}
	for _, f := range []city.DossierFilter{{}, {Statuses: []syncproto.Status{syncproto.StatusReceived}}, {Delivery: "pickup"}} {
		want, err := s.CountDossiers(ctx, sc, f)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		f.Limit = 5
		for range 20 {
			page, err := s.Dossiers(ctx, sc, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, r := range page {
				refs = append(refs, r.CityRef)
			}
			f.After = page[len(page)-1].CityRef
		}
		if len(refs) != want || !slices.IsSorted(refs) || len(slices.Compact(slices.Clone(refs))) != len(refs) {
			t.Fatalf("filter %+v: paged %v (count %d)", f, refs, want)
		}
	}
}
