package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"text/tabwriter"

	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
)

// migrateStore copies the embedded store of a stopped cityd into an empty
// PostgreSQL database, then compares them table by table (rows and a
// hash). Run again, it copies nothing and verifies. It streams (see
// citypg.Copy): its memory does not grow with the store.
func migrateStore(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("cityd migrate-store", stderr, getenv)
	from := s.fs.String("from", "./cityd-data", "data directory of the embedded store (its cityd stopped)")
	dbf := addDBFlags(s.fs)
	to := s.fs.String("to", "", "PostgreSQL URL of the empty database to copy into (default: --db)")
	s.fs.String("config", "", "config file")
	s.fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: cityd migrate-store --from DIR --to postgres://…\n\nCopies everything of the embedded store DIR/city.db (kiosks, enrolment codes,\nrequests with their acks and sealed payloads, feeds and their numbering, the\nfeeds' epoch, replay state) into an empty PostgreSQL database in one\ntransaction, row by row, then verifies the copy table by table. Safe to run again.\nKiosks carry on syncing with the city on PostgreSQL with no re-enrolment.\n\n")
		s.fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	if *to == "" {
		*to = *dbf.db
	}
	if *to == "" {
		return fmt.Errorf("migrate-store: --to postgres://… is required")
	}
	ctx := context.Background()
	src, err := citybolt.Open(filepath.Join(*from, "city.db"), citybolt.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := citypg.Open(ctx, *to, dbf.pgOptions("", true, slog.New(slog.NewTextHandler(stderr, nil))))
	if err != nil {
		return err
	}
	defer dst.Close()
	copied, err := citypg.Copy(ctx, src, dst)
	if err != nil && copied.Source == nil {
		return err
	}
	if copied.Copied {
		fmt.Fprintln(stdout, "copied the embedded store into PostgreSQL")
	} else {
		fmt.Fprintln(stdout, "PostgreSQL already holds this store: nothing copied")
	}
	tw := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "table\trows (embedded)\trows (postgresql)\thash (embedded)\thash (postgresql)\t")
	for i, t := range copied.Source {
		d := copied.Target[i]
		mark := "ok"
		if t != d {
			mark = "DIFFERS"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", t.Table, t.Rows, d.Rows, t.Hash, d.Hash, mark)
	}
	tw.Flush()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "verified: every table matches")
	return nil
}
