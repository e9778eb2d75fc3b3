package kioskdb

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

// submitN stores n requests at t0 + i minutes and returns their receipts.
func submitN(t *testing.T, db *DB, n int) []Receipt {
	t.Helper()
	var out []Receipt
	for i := range n {
		rc, err := db.Submit(sampleRequest(string(rune('A'+i%26))), t0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rc)
	}
	return out
}

func TestPendingLimits(t *testing.T) {
	db := openEnrolled(t, Options{})
	rcs := submitN(t, db, 5)
	all, err := db.Pending(0, 0)
	if err != nil || len(all) != 5 {
		t.Fatalf("Pending(0,0) = %d items, %v", len(all), err)
	}
	size := len(all[0].Sealed)
	tests := []struct {
		name               string
		maxItems, maxBytes int
		want               int
	}{
		{"no limits", 0, 0, 5},
		{"items", 2, 0, 2},
		{"bytes", 0, 3*size + size/2, 3},
		{"first item alone too big", 0, 1, 1},
		{"both", 4, 2 * size, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Pending(tt.maxItems, tt.maxBytes)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Fatalf("%d items, want %d", len(got), tt.want)
			}
			for i, it := range got {
				if it.Seq != rcs[i].Seq {
					t.Errorf("item %d seq %d, want %d (seq order)", i, it.Seq, rcs[i].Seq)
				}
			}
		})
	}
}

func TestApplyPushResults(t *testing.T) {
	db := openEnrolled(t, Options{})
	rcs := submitN(t, db, 5)
	recv := t0.Add(time.Hour)
	results := []syncproto.ItemResult{
		{RequestID: rcs[0].RequestID, Outcome: syncproto.Accepted, CityRef: "HN-1", ReceivedAt: recv},
		{RequestID: rcs[1].RequestID, Outcome: syncproto.Duplicate, CityRef: "HN-2", ReceivedAt: recv},
		{RequestID: rcs[2].RequestID, Outcome: syncproto.Rejected, Reason: "personal ID does not match"},
		{RequestID: rcs[3].RequestID, Outcome: syncproto.Conflict, Reason: "different payload"},
		{RequestID: "0190c0de-0000-7000-8000-000000000000", Outcome: syncproto.Accepted},
	}
	now := t0.Add(2 * time.Hour)
	if err := db.ApplyPushResults(results, now); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	// Applying the same results again, later, changes nothing at all.
	if err := db.ApplyPushResults(results, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("second ApplyPushResults changed the store")
	}

	wantState := []string{StateSent, StateSent, StateQuarantined, StateQuarantined, StateQueued}
	for i, rc := range rcs {
		rec, err := db.LookupID(rc.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.State != wantState[i] {
			t.Errorf("request %d state %s, want %s", i, rec.State, wantState[i])
		}
		if rec.State == StateSent && (rec.CityRef == "" || !rec.AckedAt.Equal(now) || !rec.ReceivedAt.Equal(recv)) {
			t.Errorf("request %d ack not recorded: %+v", i, rec)
		}
	}
	pend, _ := db.Pending(0, 0)
	if len(pend) != 1 || pend[0].RequestID != rcs[4].RequestID {
		t.Errorf("Pending = %+v, want only the unanswered request", pend)
	}
	q, err := db.Quarantined()
	if err != nil || len(q) != 2 {
		t.Fatalf("Quarantined = %+v, %v", q, err)
	}
	if q[0].Reason != "personal ID does not match" || q[0].Outcome != syncproto.Rejected || q[0].Code != rcs[2].Code {
		t.Errorf("quarantine item %+v", q[0])
	}
	c, err := db.Counts()
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Queued: 1, Sent: 2, Quarantined: 2, OldestUnsent: rcs[4].CreatedAt}
	if c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
}

func TestAcceptedAfterQuarantineLeavesQuarantine(t *testing.T) {
	db := openEnrolled(t, Options{})
	rc := submitN(t, db, 1)[0]
	must(t, db.ApplyPushResults([]syncproto.ItemResult{{RequestID: rc.RequestID, Outcome: syncproto.Conflict}}, t0))
	must(t, db.ApplyPushResults([]syncproto.ItemResult{{RequestID: rc.RequestID, Outcome: syncproto.Accepted, CityRef: "X"}}, t0))
	if q, _ := db.Quarantined(); len(q) != 0 {
		t.Errorf("still quarantined: %+v", q)
	}
	if c, _ := db.Counts(); c != (Counts{Sent: 1}) {
		t.Errorf("Counts = %+v", c)
	}
	// An ack is final: a later conflict does not undo it.
	must(t, db.ApplyPushResults([]syncproto.ItemResult{{RequestID: rc.RequestID, Outcome: syncproto.Conflict}}, t0))
	if rec, _ := db.LookupID(rc.RequestID); rec.State != StateSent {
		t.Errorf("state %s after late conflict", rec.State)
	}
}

func TestRequeue(t *testing.T) {
	db := openEnrolled(t, Options{})
	rcs := submitN(t, db, 3)
	must(t, db.ApplyPushResults([]syncproto.ItemResult{{RequestID: rcs[0].RequestID, Outcome: syncproto.Rejected, Reason: "r"}}, t0))
	if err := db.Requeue(rcs[1].RequestID, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("Requeue(not quarantined) err = %v, want ErrNotFound", err)
	}
	must(t, db.Requeue(rcs[0].RequestID, t0.Add(time.Minute)))
	pend, _ := db.Pending(0, 0)
	if len(pend) != 3 || pend[0].RequestID != rcs[0].RequestID || pend[0].Seq != rcs[0].Seq {
		t.Fatalf("after requeue Pending = %+v, want the request first under its original seq", pend)
	}
	openPayload(t, pend[0].Sealed)
	if q, _ := db.Quarantined(); len(q) != 0 {
		t.Errorf("Quarantined after requeue = %+v", q)
	}
	audit, _ := db.Audit(1)
	if len(audit) != 1 || audit[0].Action != AuditRequeue || audit[0].RequestID != rcs[0].RequestID {
		t.Errorf("last audit line %+v", audit)
	}
	if c, _ := db.Counts(); c.Queued != 3 || c.Quarantined != 0 || c.Sent != 0 {
		t.Errorf("Counts = %+v", c)
	}
}

func TestApplyStatusesAndCursor(t *testing.T) {
	db := openEnrolled(t, Options{})
	rcs := submitN(t, db, 3)
	if c, err := db.Cursor(); err != nil || c != (syncproto.Cursor{}) {
		t.Fatalf("initial cursor %+v, %v", c, err)
	}
	changed := t0.Add(3 * time.Hour)
	must(t, db.ApplyStatuses([]syncproto.StatusChange{
		{RequestID: rcs[0].RequestID, Code: rcs[0].Code, Status: "processing", ChangedAt: changed},
		{Code: rcs[1].Code, Status: "ready", Note: "come on Monday", ChangedAt: changed}, // by code only
		{RequestID: rcs[0].RequestID, Code: rcs[0].Code, Status: "ready", ChangedAt: changed.Add(time.Minute)},
	}, syncproto.Cursor{Epoch: "e1", Seq: 3}, false, t0))
	if c, _ := db.Cursor(); c != (syncproto.Cursor{Epoch: "e1", Seq: 3}) {
		t.Errorf("cursor %+v", c)
	}
	// A stale delivery (an old USB receipt, a page applied before) changes
	// nothing: no older status over a newer one, no cursor going back.
	must(t, db.ApplyStatuses([]syncproto.StatusChange{
		{RequestID: rcs[0].RequestID, Code: rcs[0].Code, Status: "received", ChangedAt: changed.Add(-time.Hour)},
	}, syncproto.Cursor{Epoch: "e1", Seq: 1}, false, t0))
	must(t, db.ApplyStatuses([]syncproto.StatusChange{
		{RequestID: rcs[0].RequestID, Code: rcs[0].Code, Status: "received", ChangedAt: changed.Add(-time.Hour)},
	}, syncproto.Cursor{Epoch: "e1", Seq: 3}, false, t0))
	if c, _ := db.Cursor(); c != (syncproto.Cursor{Epoch: "e1", Seq: 3}) {
		t.Errorf("cursor after a stale delivery %+v", c)
	}
	r0, _ := db.Lookup(rcs[0].Code)
	r1, _ := db.Lookup(rcs[1].Code)
	if r0.Status != "ready" || !r0.StatusChangedAt.Equal(changed.Add(time.Minute)) {
		t.Errorf("record 0 status %q at %v", r0.Status, r0.StatusChangedAt)
	}
	if r1.Status != "ready" || r1.StatusNote != "come on Monday" {
		t.Errorf("record 1 status %q %q", r1.Status, r1.StatusNote)
	}

	// A reset replaces every status with the snapshot.
	must(t, db.ApplyStatuses([]syncproto.StatusChange{
		{RequestID: rcs[2].RequestID, Code: rcs[2].Code, Status: "received", ChangedAt: changed},
	}, syncproto.Cursor{Epoch: "e2", Seq: 1}, true, t0))
	r0, _ = db.Lookup(rcs[0].Code)
	r2, _ := db.Lookup(rcs[2].Code)
	if r0.Status != "" || r2.Status != "received" {
		t.Errorf("after reset: %q, %q", r0.Status, r2.Status)
	}
	if c, _ := db.Cursor(); c != (syncproto.Cursor{Epoch: "e2", Seq: 1}) {
		t.Errorf("cursor %+v", c)
	}
}

func TestPurgeKeepsTombstone(t *testing.T) {
	clk := newClock()
	db := openEnrolled(t, Options{Now: clk.Now, PurgeAfter: 10 * 24 * time.Hour})
	rcs := submitN(t, db, 5)
	day := 24 * time.Hour
	pend, _ := db.Pending(0, 0)
	sum0 := pend[0].SHA256

	// 0: acked + done → purged. 1: acked, not terminal. 2: terminal but not
	// acked (queued). 3: quarantined + rejected status. 4: acked + rejected,
	// status stored later.
	must(t, db.ApplyPushResults([]syncproto.ItemResult{
		{RequestID: rcs[0].RequestID, Outcome: syncproto.Accepted, CityRef: "HN-0"},
		{RequestID: rcs[1].RequestID, Outcome: syncproto.Accepted},
		{RequestID: rcs[3].RequestID, Outcome: syncproto.Rejected},
		{RequestID: rcs[4].RequestID, Outcome: syncproto.Accepted},
	}, t0))
	must(t, db.ApplyStatuses([]syncproto.StatusChange{
		{RequestID: rcs[0].RequestID, Status: syncproto.StatusDone},
		{RequestID: rcs[1].RequestID, Status: "ready"},
		{RequestID: rcs[2].RequestID, Status: syncproto.StatusDone},
		{RequestID: rcs[3].RequestID, Status: syncproto.StatusRejected},
	}, syncproto.Cursor{Seq: 4}, false, t0.Add(day)))
	must(t, db.ApplyStatuses([]syncproto.StatusChange{
		{RequestID: rcs[4].RequestID, Status: syncproto.StatusRejected},
	}, syncproto.Cursor{Seq: 5}, false, t0.Add(5*day)))

	tests := []struct {
		at   time.Time
		want int
	}{
		{t0.Add(10*day + day - time.Second), 0}, // 10 days after the later (status) not yet passed
		{t0.Add(11 * day), 1},                   // request 0
		{t0.Add(12 * day), 0},                   // idempotent
		{t0.Add(15 * day), 1},                   // request 4
		{t0.Add(400 * day), 0},                  // the others never
	}
	for _, tt := range tests {
		t.Run(tt.at.Sub(t0).String(), func(t *testing.T) {
			n, err := db.Purge(tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("Purge(%v) = %d, want %d", tt.at.Sub(t0), n, tt.want)
			}
		})
	}
	rec, err := db.Lookup(rcs[0].Code)
	if err != nil || !rec.Purged || rec.Status != syncproto.StatusDone || rec.CityRef != "HN-0" {
		t.Errorf("purged record %+v, %v", rec, err)
	}
	tomb, err := db.Tombstone(rcs[0].RequestID)
	if err != nil || tomb.SHA256 != sum0 || tomb.Code != rcs[0].Code {
		t.Errorf("tombstone %+v, %v (want sha %s)", tomb, err, sum0)
	}
	for _, i := range []int{1, 2, 3} {
		if rec, _ := db.LookupID(rcs[i].RequestID); rec.Purged {
			t.Errorf("request %d purged", i)
		}
		if _, err := db.Tombstone(rcs[i].RequestID); !errors.Is(err, ErrNotFound) {
			t.Errorf("request %d has a tombstone", i)
		}
	}
	// The queued one is still sendable, whole.
	pend, _ = db.Pending(0, 0)
	if len(pend) != 1 || pend[0].RequestID != rcs[2].RequestID {
		t.Fatalf("Pending %+v", pend)
	}
	openPayload(t, pend[0].Sealed)
	// No sealed bytes left for the purged ones.
	if v := dump(t, db)["requests/"+rcs[0].RequestID]; len(v) > 600 {
		t.Errorf("purged value still %d bytes", len(v))
	}
}

func TestIdentityAndSettings(t *testing.T) {
	db := openTest(t, Options{})
	id := testIdentity(t)
	must(t, db.SetIdentity(id))
	got, err := db.Identity()
	if err != nil || !reflect.DeepEqual(got, id) {
		t.Fatalf("Identity = %+v, %v", got, err)
	}
	// It survives a reopen.
	db2 := reopen(t, db)
	got, err = db2.Identity()
	if err != nil || !reflect.DeepEqual(got, id) {
		t.Fatalf("Identity after reopen = %+v, %v", got, err)
	}
	bad := id
	bad.SealKey = [32]byte{}
	if err := db2.SetIdentity(bad); err == nil {
		t.Errorf("SetIdentity without a sealing key succeeded")
	}

	if _, err := db2.Setting("idle_timeout"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing setting err = %v", err)
	}
	must(t, db2.SetSetting("idle_timeout", "90s"))
	must(t, db2.SetSetting("staff_pin_hash", "$argon2id$..."))
	if v, err := db2.Setting("idle_timeout"); err != nil || v != "90s" {
		t.Errorf("Setting = %q, %v", v, err)
	}
	audit, _ := db2.Audit(10)
	if len(audit) < 3 || audit[0].Action != AuditSetting || audit[0].Detail != "staff_pin_hash" || audit[2].Action != AuditIdentity {
		t.Errorf("audit %+v", audit)
	}
	for _, e := range audit {
		if e.Detail == "$argon2id$..." {
			t.Errorf("setting value in the audit")
		}
	}
}

func TestAuditNewestFirstWithLimit(t *testing.T) {
	db := openEnrolled(t, Options{})
	submitN(t, db, 4)
	got, err := db.Audit(3)
	if err != nil || len(got) != 3 {
		t.Fatalf("Audit(3) = %d, %v", len(got), err)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq >= got[i-1].Seq {
			t.Errorf("not newest first: %d then %d", got[i-1].Seq, got[i].Seq)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// reopen closes db and opens its file again; the new store is closed on
// cleanup (openTest's cleanup closes the old one, which is harmless).
func reopen(t *testing.T, db *DB) *DB {
	t.Helper()
	must(t, db.Close())
	db2, err := Open(db.Path(), Options{Logger: quietLogger(), Now: db.opts.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db2.Close() })
	return db2
}

// TestPurgeAfterTerminalStatusesOnly: the store purges the payload of an
// acked request after exactly the statuses the protocol calls terminal
// (syncproto.Status.Terminal), and keeps it after every other one.
func TestPurgeAfterTerminalStatusesOnly(t *testing.T) {
	all := []syncproto.Status{syncproto.StatusReceived, syncproto.StatusProcessing, syncproto.StatusReady,
		syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusDone, syncproto.StatusRejected,
		syncproto.StatusAccepted, syncproto.StatusNeedsSupplement, syncproto.StatusNotAccepted,
		syncproto.StatusRefused, syncproto.StatusWithdrawn}
	for _, st := range all {
		t.Run(string(st), func(t *testing.T) {
			if !st.Valid() {
				t.Fatalf("%s is not a valid status", st)
			}
			db := openEnrolled(t, Options{PurgeAfter: time.Hour})
			rc := submitN(t, db, 1)[0]
			must(t, db.ApplyPushResults([]syncproto.ItemResult{{RequestID: rc.RequestID, Outcome: syncproto.Accepted}}, t0))
			must(t, db.ApplyStatuses([]syncproto.StatusChange{{RequestID: rc.RequestID, Status: st}}, syncproto.Cursor{Epoch: "e", Seq: 1}, false, t0))
			n, err := db.Purge(t0.Add(2 * time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if want := st.Terminal(); (n == 1) != want {
				t.Errorf("purged %d after %s; terminal %v", n, st, want)
			}
		})
	}
}
