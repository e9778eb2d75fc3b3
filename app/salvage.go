package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"communekiosk/kiosk/kioskdb"
)

// SalvageReadTimeout bounds the child process that reads a damaged file.
const SalvageReadTimeout = 2 * time.Minute

// SalvageReader reads a damaged store file; ChildSalvageReader is the one
// kioskd uses.
type SalvageReader func(ctx context.Context, damaged string) (kioskdb.Salvaged, error)

// ChildSalvageReader reads the damaged file in a child process (exe
// salvage --dump DAMAGED), stopped by its PID after timeout: bbolt
// can loop, run out of stack or fault on pages that point to themselves,
// and none of that must take the import down with it or hang it.
func ChildSalvageReader(exe string, timeout time.Duration) SalvageReader {
	return func(ctx context.Context, damaged string) (kioskdb.Salvaged, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, exe, "salvage", "--dump", damaged)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if ctx.Err() != nil {
			return kioskdb.Salvaged{}, fmt.Errorf("salvage: reading %s stopped after %s (its pages may loop); nothing imported", damaged, timeout)
		}
		var s kioskdb.Salvaged
		if jerr := json.Unmarshal(stdout.Bytes(), &s); jerr != nil {
			msg := strings.TrimSpace(stderr.String())
			if len(msg) > 400 {
				msg = msg[:400] + "…"
			}
			return kioskdb.Salvaged{}, fmt.Errorf("salvage: the reader of %s failed (%v): %s: nothing imported", damaged, err, msg)
		}
		if err != nil {
			return s, fmt.Errorf("salvage: %s: %s", damaged, strings.TrimSpace(stderr.String()))
		}
		return s, nil
	}
}

// DumpDamaged is the reading half of salvage ("salvage --dump
// DAMAGED.db", what ChildSalvageReader runs): it reads what it can of a
// damaged store file and prints it to out as JSON.
func DumpDamaged(out io.Writer, damaged string) error {
	s, err := kioskdb.ReadDamaged(damaged)
	if jerr := json.NewEncoder(out).Encode(s); jerr != nil {
		return jerr
	}
	return err
}

// Salvage is "kioskd salvage [--data DIR] DAMAGED.db" once its command
// line is read (internal/kioskshell): with the kiosk stopped and a backup
// restored into dataDir (docs/store.md, "Restore"), it reads what it can
// of the damaged file (with read) and imports into dataDir's store every
// request the restored store lacks, then prints what it kept to out.
// Running it again changes nothing.
func Salvage(dataDir, damaged string, out io.Writer, read SalvageReader, log *slog.Logger) error {
	store := filepath.Join(dataDir, "kiosk.db")
	if same(store, damaged) {
		return fmt.Errorf("salvage: %s is the store itself; move it aside (mv %s %s.corrupt), restore a backup, then salvage the moved file", damaged, store, store)
	}
	if _, err := os.Stat(damaged); err != nil {
		return fmt.Errorf("salvage: %w", err)
	}
	db, err := kioskdb.Open(store, kioskdb.Options{Logger: log, BackupDir: filepath.Join(dataDir, "backups")})
	if err != nil {
		return fmt.Errorf("salvage: open the restored store: %w", err)
	}
	defer db.Close()
	s, err := read(context.Background(), damaged)
	if err != nil && len(s.Requests) == 0 {
		writeSalvageReport(out, store, kioskdb.SalvageReport{Damaged: damaged, Problems: s.Problems})
		return err
	}
	rep, ierr := db.ImportSalvaged(s, damaged, time.Now())
	writeSalvageReport(out, store, rep)
	return errors.Join(err, ierr)
}

// InProcessSalvageReader reads the damaged file in this process (tests).
func InProcessSalvageReader(_ context.Context, damaged string) (kioskdb.Salvaged, error) {
	return kioskdb.ReadDamaged(damaged)
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
