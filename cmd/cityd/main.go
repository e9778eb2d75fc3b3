// Command cityd is the city server: the kiosk API, the operator API and
// its command-line client (enrolment codes, kiosks, USB files).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"communekiosk/internal/logsetup"
)

var version = "dev"

// usage is the text of "cityd help": the server's commands, then the
// client commands' lines made from their table (client_cmds.go).
var usage = usageHead + clientUsage() + usageTail

const usageHead = `cityd: the Commune Kiosk city server.

Usage:
  cityd [serve] [flags]                     run the server (the default)
`

const usageTail = `  cityd new-epoch --data DIR | --db URL     after restoring a backup (server stopped)
  cityd migrate --db URL                    bring a PostgreSQL schema up to date (serve does it too)
  cityd migrate-store --from DIR --to URL   copy the embedded store into an empty PostgreSQL
                                            database, then verify the copy (server stopped)
  cityd user add --data DIR --role ROLE [--commune CODE]... NAME
                                            a back-office account (server stopped)
  cityd user list --data DIR
  cityd token add --data DIR --user NAME --name LABEL [--save FILE]
                                            a named API token for scripts and the commands above
  cityd token list --data DIR --user NAME  a user's tokens (IDs, names, state; never the secret)
  cityd token revoke --data DIR ID          revoke a token: it opens nothing from then on
  cityd version

With --db postgres://… (or CITYD_DB, or "db = …" in the config file) serve
keeps its store in PostgreSQL and several cityd may share the database;
without it, the embedded store DATA/city.db (see docs/city.md).

Every command but serve, new-epoch, migrate, migrate-store, user and token
talks to a running cityd through its operator API (serve holds the bbolt
file's lock): --city URL and an admin's named API token (--token, or
--token-file, or DIR/operator-token with --data; "cityd token add --save
DIR/operator-token" writes one there). The shared --token of serve is for
--demo only.

Each flag can also be set by an environment variable CITYD_<FLAG> (e.g.
CITYD_ADDR, CITYD_TOKEN_FILE) or a line "flag = value" in the file named by
--config / CITYD_CONFIG. A flag on the command line wins, then the
environment, then the file. "cityd COMMAND --help" lists a command's flags.
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "cityd:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stdout, stderr, getenv)
	case "new-epoch":
		return newEpoch(args, stdout, stderr, getenv)
	case "migrate":
		return migrate(args, stdout, stderr, getenv)
	case "migrate-store":
		return migrateStore(args, stdout, stderr, getenv)
	case "user", "token":
		return users(cmd, args, os.Stdin, stdout, stderr, getenv)
	case "version":
		fmt.Fprintln(stdout, "cityd", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if c := findClientCmd(cmd); c != nil {
		return client(c, args, stdout, stderr, getenv)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// newLogger: text on a terminal, JSON otherwise (or as asked).
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	return logsetup.FromSettings(w, format, level)
}
