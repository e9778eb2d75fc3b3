package kioskshell

import (
	"flag"
	"fmt"
	"io"
	"os"

	"communekiosk/app"
	"communekiosk/internal/logsetup"
)

// runSalvage reads the command line of "NAME salvage [--data DIR]
// [--dump] DAMAGED.db" and runs app.Salvage (or, with --dump, the reading
// half, app.DumpDamaged). DIR comes from --data, else KIOSK_DATA, else
// kiosk-data.
func runSalvage(name string, args []string, getenv func(string) string, out io.Writer, read app.SalvageReader) error {
	fs := flag.NewFlagSet(name+" salvage", flag.ContinueOnError)
	fs.SetOutput(out)
	data := fs.String("data", "kiosk-data", "data `folder` of the restored store (env KIOSK_DATA)")
	dump := fs.Bool("dump", false, "only read the damaged file and print what was read as JSON")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: %s salvage [--data DIR] DAMAGED.db\n\n"+
			"Imports into DIR's store (a restored backup; the kiosk stopped) every request\n"+
			"still readable in the damaged file that the store lacks. See docs/store.md.\n\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("salvage: name the damaged file")
	}
	damaged := fs.Arg(0)
	if *dump {
		return app.DumpDamaged(out, damaged)
	}
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "data" })
	if v := getenv("KIOSK_DATA"); v != "" && !set {
		*data = v
	}
	return app.Salvage(*data, damaged, out, read, logsetup.New(os.Stderr, logsetup.Text, 0))
}
