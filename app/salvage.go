package app

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"communekiosk/internal/logsetup"
	"communekiosk/kiosk/kioskdb"
)

// RunSalvage is "kioskd salvage [--data DIR] DAMAGED.db": with the kiosk
// stopped and a backup restored into DIR (docs/store.md, "Restore"), it
// reads what it can of the damaged file and imports into DIR's store every
// request the restored store lacks, then prints what it kept. Running it
// again changes nothing.
func RunSalvage(name string, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet(name+" salvage", flag.ContinueOnError)
	fs.SetOutput(out)
	data := fs.String("data", "kiosk-data", "data `folder` of the restored store (env KIOSK_DATA)")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: %s salvage [--data DIR] DAMAGED.db\n\n"+
			"Imports into DIR's store (a restored backup; the kiosk stopped) every request\n"+
			"still readable in the damaged file that the store lacks. See docs/store.md.\n\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "data" })
	if v := getenv("KIOSK_DATA"); v != "" && !set {
		*data = v
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("salvage: name the damaged file")
	}
	damaged := fs.Arg(0)
	store := filepath.Join(*data, "kiosk.db")
	if same(store, damaged) {
		return fmt.Errorf("salvage: %s is the store itself; move it aside (mv %s %s.corrupt), restore a backup, then salvage the moved file", damaged, store, store)
	}
	if _, err := os.Stat(damaged); err != nil {
		return fmt.Errorf("salvage: %w", err)
	}
	db, err := kioskdb.Open(store, kioskdb.Options{Logger: logsetup.New(os.Stderr, logsetup.Text, 0), BackupDir: filepath.Join(*data, "backups")})
	if err != nil {
		return fmt.Errorf("salvage: open the restored store: %w", err)
	}
	defer db.Close()
	rep, err := db.Salvage(damaged, time.Now())
	writeSalvageReport(out, store, rep)
	return err
}

func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func writeSalvageReport(w io.Writer, store string, rep kioskdb.SalvageReport) {
	fmt.Fprintf(w, "Damaged file: %s\n", rep.Damaged)
	fmt.Fprintf(w, "Restored store: %s\n", store)
	fmt.Fprintf(w, "Requests read in the damaged file: %d (%d not yet sent)\n", rep.Found, rep.FoundUnsent)
	fmt.Fprintf(w, "Already in the store (or purged): %d\n", rep.Present)
	fmt.Fprintf(w, "Imported: %d\n", len(rep.Imported))
	for _, c := range rep.Imported {
		fmt.Fprintf(w, "  %s\n", c)
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintf(w, "Could not be read (%d):\n", len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		fmt.Fprintln(w, "Keep the damaged file; tell the city which receipt codes may be missing (kioskd --list shows what the store holds).")
	}
}
