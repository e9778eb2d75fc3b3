package citybolt_test

import (
	"path/filepath"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/storetest"
	"communekiosk/sync/syncproto"
)

func open(t *testing.T) *citybolt.Store {
	t.Helper()
	s, err := citybolt.Open(filepath.Join(t.TempDir(), "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Error(err)
		}
		s.Close()
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) city.Store { return open(t) })
}

func TestSecondProcessGetsClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "city.db")
	s, err := citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// bbolt's flock is per file descriptor: a second Open in this process
	// meets the same lock a second cityd would.
	if _, err := citybolt.Open(path, citybolt.Options{Timeout: 50_000_000}); err == nil {
		t.Fatal("second open succeeded")
	}
}

func TestNewEpoch(t *testing.T) {
	s := open(t)
	e1, _ := s.Epoch(t.Context())
	if err := s.NewEpoch(); err != nil {
		t.Fatal(err)
	}
	e2, _ := s.Epoch(t.Context())
	if e1 == e2 {
		t.Fatal("epoch unchanged")
	}
}

// A store made before the report index (schema 2) gets it built when it
// is opened: the report then counts what was there.
func TestReportIndexMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "city.db")
	s, err := citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.RegisterKiosk(t.Context(), "00004", "", make([]byte, 32), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 10, 3, 0, 0, 0, time.UTC)
	items := []city.IngestItem{
		{Item: syncproto.Item{Seq: 1, RequestID: "a", Code: "C1", Service: "birth_extract_copy", SHA256: "1"}, Commune: "00004", Channel: city.ChannelSync},
		{Item: syncproto.Item{Seq: 2, RequestID: "b", Code: "C2", Service: "birth_extract_copy", SHA256: "2"}, Commune: "00004", Channel: city.ChannelUSB},
	}
	if _, err := s.Ingest(t.Context(), k.ID, items, at); err != nil {
		t.Fatal(err)
	}
	count := func(s *citybolt.Store) city.Figures {
		p := city.MonthPeriod(2026, time.November)
		b := city.NewReportBuilder(p, at.Add(time.Hour))
		sc := city.Scope{Communes: []string{"00004"}}
		if err := s.UptakeRows(t.Context(), sc, p.From, p.To, b.Add); err != nil {
			t.Fatal(err)
		}
		return b.Report(sc, nil).Total
	}
	if f := count(s); f.Received != 2 || f.ReceivedUSB != 1 {
		t.Fatalf("before: %+v", f)
	}
	if err := citybolt.ForgetReportIndex(s); err != nil {
		t.Fatal(err)
	}
	if f := count(s); f.Received != 0 {
		t.Fatalf("index not emptied: %+v", f)
	}
	s.Close()
	s, err = citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if f := count(s); f.Received != 2 || f.ReceivedSync != 1 || f.ReceivedUSB != 1 || f.InProgress != 2 {
		t.Fatalf("after the migration: %+v", f)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
