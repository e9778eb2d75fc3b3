package main

import (
	"context"
	"fmt"
	"io"

	"communekiosk/city/citypg"
)

// migrate brings a PostgreSQL database's schema to this cityd's version
// (serve does it at start too); several at once are safe.
func migrate(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("cityd migrate", stderr, getenv)
	dbf := addDBFlags(s.fs)
	s.fs.String("config", "", "config file")
	s.fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: cityd migrate --db URL\n\nBrings the PostgreSQL schema up to this cityd's version, one transaction\nper version. A schema newer than this cityd is refused.\n\n")
		s.fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	if *dbf.db == "" {
		return fmt.Errorf("migrate: --db is required (the embedded store migrates itself at start)")
	}
	ctx := context.Background()
	cfg, err := citypg.Config(*dbf.db, dbf.pgOptions("", false, nil))
	if err != nil {
		return err
	}
	pool, err := citypg.OpenPool(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	from, to, err := citypg.Migrate(ctx, pool)
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(stdout, "schema is at version %d: nothing to do\n", to)
	} else {
		fmt.Fprintf(stdout, "schema migrated from version %d to %d\n", from, to)
	}
	return nil
}
