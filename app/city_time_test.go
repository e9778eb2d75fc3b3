package app

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
)

// TestDatesFollowTheCitysClock: a kiosk whose clock is a year ahead
// prices and dates its receipts by the city's time once it has synced,
// keeps that on a reprint, and shows staff a clock alarm.
func TestDatesFollowTheCitysClock(t *testing.T) {
	cityNow := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC) // Tuesday 08:00 in Ha Noi
	dir := t.TempDir()
	store, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := city.New(city.Options{Store: store, DataDir: dir, OperatorToken: "test", Now: func() time.Time { return cityNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	n, clk := newTestNode(t, false)
	clk.t = cityNow.AddDate(1, 0, 0) // a year ahead
	u := enrolNode(t, n, srv, ts.URL)
	if _, err := n.sync.current().RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	rv, err := n.Requests.Submit(sampleDraft(t))
	if err != nil {
		t.Fatal(err)
	}
	if rv.Quote.Date != "2026-12-01" || !strings.HasPrefix(rv.ExpectedDate, "2026-12") {
		t.Fatalf("fee date %s, expected %s: not the city's date", rv.Quote.Date, rv.ExpectedDate)
	}
	again, err := n.Staff.Reprint(u.Token, rv.Code)
	if err != nil || again.Quote.Date != rv.Quote.Date || again.ExpectedDate != rv.ExpectedDate {
		t.Fatalf("reprint %s %s, receipt %s %s (%v)", again.Quote.Date, again.ExpectedDate, rv.Quote.Date, rv.ExpectedDate, err)
	}
	o, err := n.Staff.Overview(u.Token)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAlarm(t, o, "off the city server's") {
		t.Fatalf("no clock alarm: %+v", o.Alarms)
	}
}
