package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
)

// dbFlags are the store settings serve, migrate and new-epoch share.
type dbFlags struct {
	db               *string
	maxConns         *int
	statementTimeout *time.Duration
}

func addDBFlags(fs *flag.FlagSet) dbFlags {
	return dbFlags{
		db:               fs.String("db", "", "PostgreSQL URL (postgres://user@host:5432/db?sslmode=…) to keep the store in; empty: the embedded store DATA/city.db (see docs/city.md)"),
		maxConns:         fs.Int("db-max-conns", 8, "PostgreSQL connections this cityd may open at most"),
		statementTimeout: fs.Duration("db-statement-timeout", 30*time.Second, "PostgreSQL statement_timeout for this cityd's connections (0: the server's; set 0 behind PgBouncer and use ALTER ROLE … SET)"),
	}
}

func (f dbFlags) pgOptions(refPrefix string, migrate bool, log *slog.Logger) citypg.Options {
	return citypg.Options{Migrate: migrate, MaxConns: int32(*f.maxConns), StatementTimeout: *f.statementTimeout,
		ApplicationName: "cityd", RefPrefix: refPrefix, Logger: log}
}

// store is what cityd needs of a store; both stores are all of it.
type store interface {
	city.Store
	city.OfficeStore
}

var (
	_ store = (*citybolt.Store)(nil)
	_ store = (*citypg.Store)(nil)
)

// openStore opens PostgreSQL when --db is set (migrating an older schema,
// refusing a newer one), else the embedded bbolt store in data.
func openStore(ctx context.Context, f dbFlags, data, refPrefix string, log *slog.Logger) (store, error) {
	if *f.db != "" {
		s, err := citypg.Open(ctx, *f.db, f.pgOptions(refPrefix, true, log))
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := citybolt.Open(filepath.Join(data, "city.db"), citybolt.Options{RefPrefix: refPrefix})
	if err != nil {
		return nil, err
	}
	if err := s.Check(); err != nil {
		s.Close()
		return nil, fmt.Errorf("%w (restore DATA/city.db from a backup, then run cityd new-epoch)", err)
	}
	return s, nil
}
