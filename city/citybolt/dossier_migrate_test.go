package citybolt_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/sync/syncproto"
)

// TestSchema1GetsDossierIndexes: a store written before the back office
// (schema 1) is indexed when opened: every request belongs to its kiosk's
// commune, and the scoped queries and counts find it.
func TestSchema1GetsDossierIndexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "city.db")
	s, err := citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	k, err := s.RegisterKiosk(ctx, "00004", "Phường Ba Đình", make([]byte, 32), t0)
	if err != nil {
		t.Fatal(err)
	}
	var items []city.IngestItem
	for i, code := range []string{"AAA-111-AAA", "AAA-111-AAB", "AAA-111-AAC"} {
		items = append(items, city.IngestItem{Item: syncproto.Item{Seq: uint64(i + 1), RequestID: code, Code: code, Service: "birth_extract_copy",
			CreatedAt: t0, Sealed: []byte("s"), SHA256: "h"}, Commune: "00004"})
	}
	if _, err := s.Ingest(ctx, k.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, "AAA-111-AAB", syncproto.StatusProcessing, "", t0); err != nil {
		t.Fatal(err)
	}
	if err := citybolt.ForgetDossierIndexes(s); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = citybolt.Open(path, citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	sc := city.Scope{Communes: []string{"00004"}}
	list, err := s.Dossiers(ctx, sc, city.DossierFilter{})
	if err != nil || len(list) != 3 || list[0].Office != "00004" {
		t.Fatalf("after the upgrade: %+v, %v", list, err)
	}
	if n, _ := s.CountDossiers(ctx, sc, city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusReceived}}); n != 2 {
		t.Fatalf("received count %d", n)
	}
	if got, _ := s.Dossiers(ctx, sc, city.DossierFilter{Query: "aaa-111-aac"}); len(got) != 1 {
		t.Fatalf("search by code after the upgrade: %v", got)
	}
	if got, _ := s.Dossiers(ctx, city.Scope{Communes: []string{"00008"}}, city.DossierFilter{}); len(got) != 0 {
		t.Fatalf("another commune sees %d", len(got))
	}
}
