package app

import (
	"encoding/json"
	"testing"

	"communekiosk/kiosk/kioskdb"
)

// TestReprintKeepsTerms: a reprint shows the fee with the waiver claimed
// at submit and the notice version and purposes accepted then, not the
// catalogue's current ones.
func TestReprintKeepsTerms(t *testing.T) {
	n, _ := newTestNode(t, true)
	d := sampleDraft(t)
	if d.Extra == nil {
		d.Extra = map[string]string{}
	}
	d.Extra["digital_citizen"] = "true"
	rv, err := n.Requests.Submit(d)
	if err != nil {
		t.Fatal(err)
	}
	if rv.Quote.TotalVND != 0 || rv.Quote.Waiver == nil || !rv.Quote.Waiver.Applied {
		t.Fatalf("submit quote %+v", rv.Quote)
	}
	// The catalogue moves on: a new notice version.
	n.mu.Lock()
	cat := *n.cat
	cat.NoticeVersion = "2027.1.1"
	n.cat = &cat
	n.mu.Unlock()

	u, err := n.Staff.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}
	again, err := n.Staff.Reprint(u.Token, rv.Code)
	if err != nil {
		t.Fatal(err)
	}
	if again.Quote.TotalVND != rv.Quote.TotalVND || again.NoticeVersion != rv.NoticeVersion || again.TermsUnknown {
		t.Fatalf("reprint fee %d notice %q (unknown %v), receipt fee %d notice %q",
			again.Quote.TotalVND, again.NoticeVersion, again.TermsUnknown, rv.Quote.TotalVND, rv.NoticeVersion)
	}
	if len(again.Purposes) == 0 || len(again.Purposes) != len(d.Consent.Purposes) || again.Purposes[0] != d.Consent.Purposes[0] {
		t.Fatalf("reprint purposes %v, accepted %v", again.Purposes, d.Consent.Purposes)
	}
}

// TestReprintOldRecordSaysSo: a record stored before the terms were kept
// is reprinted with a note, not with today's notice version.
func TestReprintOldRecordSaysSo(t *testing.T) {
	n, _ := newTestNode(t, true)
	rv, err := n.Requests.Submit(sampleDraft(t))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := n.db.Lookup(rv.Code)
	if err != nil {
		t.Fatal(err)
	}
	rec.Terms = nil // as records were written before
	b, _ := json.Marshal(rec)
	var old kioskdb.Record
	if err := json.Unmarshal(b, &old); err != nil || old.Terms != nil {
		t.Fatalf("old record %+v, %v", old, err)
	}
	v := n.indexReceipt(old)
	if !v.TermsUnknown || v.NoticeVersion != "" || words(t, v.Note).EN == "" || words(t, v.Note).VI == "" {
		t.Fatalf("old record reprint %+v", v)
	}
}
