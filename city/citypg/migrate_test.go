package citypg_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
)

// TestMigrateConcurrently: three processes' pools migrate one empty
// schema at once. Each version is applied once (a second application of
// 0001 would fail on CREATE TABLE), and all end on the newest version.
func TestMigrateConcurrently(t *testing.T) {
	dsn := citypgtest.Schema(t)
	ctx := context.Background()
	const n = 3
	var wg sync.WaitGroup
	errs := make([]error, n)
	tos := make([]int, n)
	for i := range n {
		cfg, err := citypg.Config(dsn, citypg.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := citypg.OpenPool(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, tos[i], errs[i] = citypg.Migrate(ctx, s)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || tos[i] != citypg.SchemaVersion() {
			t.Fatalf("migrator %d: version %d, %v; want %d", i, tos[i], errs[i], citypg.SchemaVersion())
		}
	}
	// And a store opens on it without migrating.
	s, err := citypg.Open(ctx, dsn, citypg.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestSchemaVersionChecks(t *testing.T) {
	ctx := context.Background()
	t.Run("older is refused without Migrate", func(t *testing.T) {
		_, err := citypg.Open(ctx, citypgtest.Schema(t), citypg.Options{Logger: quiet})
		if !errors.Is(err, citypg.ErrSchemaOlder) {
			t.Fatalf("Open on an empty schema: %v; want ErrSchemaOlder", err)
		}
	})
	t.Run("newer is refused, even with Migrate", func(t *testing.T) {
		dsn := citypgtest.Schema(t)
		s := open(t, dsn)
		if _, err := s.Pool().Exec(ctx, `UPDATE citypg_schema SET version = version + 1`); err != nil {
			t.Fatal(err)
		}
		for _, migrate := range []bool{false, true} {
			if _, err := citypg.Open(ctx, dsn, citypg.Options{Migrate: migrate, Logger: quiet}); !errors.Is(err, citypg.ErrSchemaNewer) {
				t.Fatalf("Open (migrate %v) on a newer schema: %v; want ErrSchemaNewer", migrate, err)
			}
		}
		if _, _, err := citypg.Migrate(ctx, s.Pool()); !errors.Is(err, citypg.ErrSchemaNewer) {
			t.Fatalf("Migrate on a newer schema: %v", err)
		}
	})
}
