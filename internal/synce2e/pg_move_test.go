package synce2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/sync/syncproto"
)

// TestMoveToPostgres: a real kiosk syncs with a city on the embedded
// store; the city stops, cityd migrate-store's copy moves it to
// PostgreSQL (run twice: the second changes nothing), and a city on
// PostgreSQL takes over at the same address with the same keys. The
// kiosk carries on: no re-enrolment, its queued requests are accepted
// once, no reset of its feed, every status the city sets reaches it, and
// an enrolment code made before the move still works.
func TestMoveToPostgres(t *testing.T) {
	dsn := citypgtest.Schema(t)
	ctx := context.Background()
	dir := t.TempDir()
	bolt, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := city.New(city.Options{Store: bolt, DataDir: dir, OperatorToken: operatorToken, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	c := &cityEnv{t: t, srv: srv}
	c.up()
	t.Cleanup(c.down)

	k := newKiosk(t, c, kioskOpts{})
	first := k.submit(30)
	k.drain(5)
	move := func(ids []string, to syncproto.Status) {
		t.Helper()
		for _, id := range ids {
			if st := c.op("POST", "/v1/operator/requests/"+id+"/status", city.StatusChangeRequest{Status: to}, nil); st != 200 {
				t.Fatalf("status of %s → %s: %d", id, to, st)
			}
		}
	}
	var ids []string
	for _, r := range first {
		ids = append(ids, r.RequestID)
	}
	move(ids[:10], syncproto.StatusProcessing)
	k.drain(5) // pulls those ten
	queued := k.submit(10)
	code := c.enrolCode()
	// The back office's tables and a published catalogue move too.
	doc, err := os.ReadFile("../../kiosk/catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]any
	if err := json.Unmarshal(doc, &cat); err != nil {
		t.Fatal(err)
	}
	cat["version"] = "2099.1.0"
	doc, _ = json.Marshal(cat)
	if _, err := srv.PublishCatalogue(ctx, doc, "admin"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(bolt.CreateUser(ctx, city.User{ID: "u1", Name: "lan", Role: city.RoleOfficer, Communes: []string{"00004"}, Active: true, CreatedAt: now}))
	must(bolt.CreateSession(ctx, city.Session{Hash: "sh", UserID: "u1", CSRF: "c", CreatedAt: now, LastSeen: now}))
	must(bolt.CreateToken(ctx, city.APIToken{ID: "t1", Hash: "th", UserID: "u1", Name: "report", CreatedAt: now}))
	for _, a := range []string{"login", "dossier.view"} {
		_, err := bolt.AppendAudit(ctx, city.AuditEntry{At: now, UserID: "u1", Action: a, RequestID: ids[0]})
		must(err)
	}
	must(bolt.PutCalendarDay(ctx, city.CalendarDay{Date: "2027-02-08", Kind: city.DayHoliday, Note: "Tết"}))
	must(bolt.KeepHeartbeat(ctx, k.id(), syncproto.Heartbeat{Version: 1, KioskID: k.id(), QueueDepth: 10}, now, city.HeartbeatKeep))
	before, err := k.db.Cursor()
	if err != nil {
		t.Fatal(err)
	}

	// The move, with the city stopped.
	c.down()
	if err := bolt.Close(); err != nil {
		t.Fatal(err)
	}
	src, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A day's satisfaction answers, so that table is moved too.
	if err := src.PutSatisfaction(ctx, "K0001", "00004", []syncproto.SatisfactionDay{{Day: "2026-11-20", VerySatisfied: 1}}); err != nil {
		t.Fatal(err)
	}
	pg, err := citypg.Open(ctx, dsn, citypg.Options{Migrate: true, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	for run, wantCopied := range []bool{true, false} {
		rep, err := citypg.Copy(ctx, src, pg)
		if err != nil || rep.Copied != wantCopied {
			t.Fatalf("copy run %d: copied %v, %v; want copied %v", run, rep.Copied, err, wantCopied)
		}
		for i, d := range rep.Source {
			if d != rep.Target[i] || (d.Table == "requests" && d.Rows != 30) || d.Rows == 0 {
				t.Fatalf("run %d: table %s: %+v vs %+v", run, d.Table, d, rep.Target[i])
			}
		}
	}
	src.Close()

	srv2, err := city.New(city.Options{Store: pg, DataDir: dir, OperatorToken: operatorToken, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	c.srv = srv2
	c.up() // the same address

	res := k.drain(5)
	accepted, dup, statuses := 0, 0, 0
	for _, r := range res {
		accepted += r.Accepted
		dup += r.Duplicate
		statuses += r.Statuses
	}
	if accepted != 10 || dup != 0 {
		t.Fatalf("after the move: %d accepted, %d duplicate; want the 10 queued accepted once", accepted, dup)
	}
	if statuses != 10 { // their "received": no reset, which would resend all 40
		t.Fatalf("after the move the kiosk got %d statuses; want 10", statuses)
	}
	after, err := k.db.Cursor()
	if err != nil {
		t.Fatal(err)
	}
	if after.Epoch != before.Epoch || after.Seq != before.Seq+10 {
		t.Fatalf("cursor %+v before the move, %+v after; want the same epoch, 10 further", before, after)
	}
	move(ids[:10], syncproto.StatusReady)
	move([]string{queued[0].RequestID}, syncproto.StatusProcessing)
	k.drain(5)
	for _, r := range append(first, queued...) {
		want, err := pg.Request(ctx, r.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := k.db.LookupID(r.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != want.Status || got.CityRef != want.CityRef {
			t.Fatalf("%s: kiosk has %s %s, city %s %s", r.RequestID, got.Status, got.CityRef, want.Status, want.CityRef)
		}
	}
	var rows, distinct int
	var gaps bool
	err = pg.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM requests), (SELECT count(DISTINCT request_id) FROM requests),
		EXISTS (SELECT 1 FROM kiosks k WHERE k.feed_seq <> (SELECT count(*) FROM feed f WHERE f.kiosk_id = k.id)
			OR k.feed_seq <> coalesce((SELECT max(seq) FROM feed f WHERE f.kiosk_id = k.id), 0))`).Scan(&rows, &distinct, &gaps)
	if err != nil || rows != 40 || distinct != 40 || gaps {
		t.Fatalf("city on PostgreSQL: %d requests, %d distinct, feed gaps %v, %v", rows, distinct, gaps, err)
	}
	// A code made before the move enrols a new kiosk after it.
	k2 := openKiosk(t, filepath.Join(t.TempDir(), "kiosk.db"), kioskOpts{})
	t.Cleanup(func() { k2.db.Close() })
	if _, err := k2.sync.Enrol(ctx, c.URL(), code); err != nil {
		t.Fatalf("enrol with a code made before the move: %v", err)
	}
}
