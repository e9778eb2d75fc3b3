package citypg_test

import (
	"context"
	"log/slog"
	"testing"

	"communekiosk/city"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/city/storetest"
)

var quiet = slog.New(slog.DiscardHandler)

// open opens a store on a fresh schema, migrated.
func open(t testing.TB, dsn string) *citypg.Store {
	t.Helper()
	s, err := citypg.Open(context.Background(), dsn, citypg.Options{Migrate: true, MaxConns: 8, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) city.Store { return open(t, citypgtest.Schema(t)) })
}

// TestConformanceExecMode runs the suite without prepared statements, as
// behind PgBouncer in transaction mode without prepared-statement support.
func TestConformanceExecMode(t *testing.T) {
	storetest.Run(t, func(t *testing.T) city.Store {
		return open(t, citypgtest.WithParam(citypgtest.Schema(t), "default_query_exec_mode", "exec"))
	})
}
