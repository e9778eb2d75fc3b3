package storetest

import (
	"errors"
	"testing"
	"time"

	"communekiosk/city"
)

func testCatalogues(t *testing.T, store city.Store) {
	s, ok := store.(city.CatalogueStore)
	if !ok {
		t.Fatal("this store does not implement city.CatalogueStore: every store must, or what it keeps is lost")
	}
	if got, err := s.Catalogues(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %+v, %v", got, err)
	}
	if _, err := s.Catalogue(ctx, "2026.12.0"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("unknown version: %v, want ErrNotFound", err)
	}
	pub := func(version, doc string, at time.Time) error {
		return s.PublishCatalogue(ctx, city.PublishedCatalogue{Version: version, NoticeVersion: "2026.11.1", SHA256: "h-" + version,
			PublishedAt: at, PublishedBy: "admin", Document: []byte(doc)})
	}
	// Publication order is kept even when it is not version order.
	for _, v := range []struct{ version, doc string }{{"2026.12.0", `{"v":1}`}, {"2026.11.5", `{"v":2}`}, {"2027.1.0", `{"v":3}`}} {
		if err := pub(v.version, v.doc, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := pub("2026.12.0", `{"v":9}`, t0.Add(time.Hour)); !errors.Is(err, city.ErrCatalogueExists) {
		t.Fatalf("second publication of a version: %v, want ErrCatalogueExists", err)
	}
	list, err := s.Catalogues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].Version != "2026.12.0" || list[1].Version != "2026.11.5" || list[2].Version != "2027.1.0" {
		t.Fatalf("history %+v", list)
	}
	for _, c := range list {
		if c.Document != nil || c.PublishedBy != "admin" || !c.PublishedAt.Equal(t0) || c.SHA256 != "h-"+c.Version || c.NoticeVersion != "2026.11.1" {
			t.Errorf("listed %+v", c)
		}
	}
	c, err := s.Catalogue(ctx, "2026.12.0")
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Document) != `{"v":1}` || c.Version != "2026.12.0" || c.SHA256 != "h-2026.12.0" {
		t.Fatalf("read back %+v (%s)", c, c.Document)
	}
}
