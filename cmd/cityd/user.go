package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"communekiosk/city"
	"communekiosk/internal/atomicfile"
)

// demoCommuneName is the demo kiosk's commune (demoCommune).
const demoCommuneName = "Phường Ba Đình"

// Demo accounts for make run: DEMO ONLY, printed at start.
var demoUsers = []struct {
	name, display, password string
	role                    city.Role
	communes                []string
}{
	{"demo-admin", "Quản trị (demo)", "demo-admin-2026", city.RoleAdmin, nil},
	{"demo-officer", "Cán bộ Ba Đình (demo)", "demo-officer-2026", city.RoleOfficer, []string{demoCommune}},
	{"demo-other", "Cán bộ Ngọc Hà (demo)", "demo-other-2026", city.RoleOfficer, []string{"00008"}},
	{"demo-viewer", "Sở Tư pháp, số liệu (demo)", "demo-viewer-2026", city.RoleViewer, []string{demoCommune, "00008"}},
}

// ensureDemoUsers makes the demo accounts once; they keep the passwords
// printed in the log.
func ensureDemoUsers(ctx context.Context, st city.OfficeStore, stderr io.Writer) error {
	for _, d := range demoUsers {
		u, err := city.NewUser(d.name, d.display, d.role, d.communes, d.password, city.DefaultPasswordParams, time.Now())
		if err != nil {
			return err
		}
		if err := st.CreateUser(ctx, u); err != nil && !errors.Is(err, city.ErrExists) {
			return err
		}
	}
	fmt.Fprintln(stderr, "cityd: DEMO accounts of the back office (demo only, never in production):")
	for _, d := range demoUsers {
		scope := strings.Join(d.communes, ",")
		if scope == "" {
			scope = "none"
		}
		fmt.Fprintf(stderr, "cityd:   %-13s password %-18s role %-7s communes %s\n", d.name, d.password, d.role, scope)
	}
	return nil
}

const userUsage = `Usage:
  cityd user add --data DIR | --db URL --role admin|officer|viewer [--commune CODE]... [--display NAME] [--password-stdin] NAME
  cityd user list --data DIR | --db URL
  cityd token add --data DIR | --db URL --user NAME --name LABEL [--save FILE]

These open the store directly: with the embedded store, stop the server
first (it holds the file's lock). "user add" prints a one-time password
unless --password-stdin reads one (at least 10 characters) from standard
input. "token add" makes a named API token for scripts and the cityd
commands, under the user's role and communes: it prints it once, or with
--save writes it to FILE (0600) instead; the cityd commands read
DATA/operator-token when given no --token or --token-file, so
--save DATA/operator-token is where an admin's token for them goes.
`

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// users runs "cityd user …" and "cityd token …".
func users(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("%s needs a subcommand", cmd)
	}
	sub, args := args[0], args[1:]
	s := newSettings("cityd "+cmd+" "+sub, stderr, getenv)
	fs := s.fs
	data := fs.String("data", "./cityd-data", "data directory of the (stopped) server")
	dbf := addDBFlags(fs)
	role := fs.String("role", "", "admin, officer or viewer")
	display := fs.String("display", "", "the name shown in the back office")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	userName := fs.String("user", "", "the user the token is for")
	label := fs.String("name", "", "what the token is for (e.g. \"nightly backup\")")
	save := fs.String("save", "", "token add: write the token to this file (0600, replaced atomically) instead of printing it")
	var communes multi
	fs.Var(&communes, "commune", "a commune of the user's scope (repeat for more)")
	fs.String("config", "", "config file")
	fs.Usage = func() { fmt.Fprint(stderr, userUsage) }
	if err := s.parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openStore(ctx, dbf, *data, "", slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	switch cmd + " " + sub {
	case "user add":
		if fs.NArg() != 1 {
			fs.Usage()
			return errors.New("user add needs NAME")
		}
		password, shown := city.NewPassword(), true
		if *fromStdin {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read password: %w", err)
			}
			password, shown = strings.TrimRight(line, "\r\n"), false
		}
		u, err := city.NewUser(fs.Arg(0), *display, city.Role(*role), communes, password, city.DefaultPasswordParams, now)
		u.MustChange = shown // a printed one-time password is changed at the first sign-in
		if err != nil {
			return fmt.Errorf("user add: %w (name: 2–32 of a-z 0-9 . _ -; role: admin, officer or viewer; communes: the city's codes; password: 10 characters or more)", err)
		}
		if err := st.CreateUser(ctx, u); err != nil {
			return err
		}
		if _, err := st.AppendAudit(ctx, city.AuditEntry{At: now, UserName: "cityd user add", Action: "user.create",
			Detail: u.Name + " role " + string(u.Role) + " communes " + strings.Join(u.Communes, ",")}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "made %s (%s", u.Name, u.Role)
		if len(u.Communes) > 0 {
			fmt.Fprintf(stdout, ", communes %s", strings.Join(u.Communes, ","))
		}
		fmt.Fprintln(stdout, ")")
		if shown {
			fmt.Fprintf(stdout, "one-time password (shown once; change it after signing in): %s\n", password)
		}
		return nil
	case "user list":
		list, err := st.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range list {
			state := "active"
			if !u.Active {
				state = "deactivated"
			}
			fmt.Fprintf(stdout, "%-20s %-8s %-12s %s\n", u.Name, u.Role, state, strings.Join(u.Communes, ","))
		}
		return nil
	case "token add":
		u, err := st.UserByName(ctx, *userName)
		if err != nil {
			return fmt.Errorf("token add: user %q: %w", *userName, err)
		}
		if strings.TrimSpace(*label) == "" {
			return errors.New("token add needs --name")
		}
		secret, tok := city.NewAPIToken(u.ID, *label, now)
		if err := st.CreateToken(ctx, tok); err != nil {
			return err
		}
		if _, err := st.AppendAudit(ctx, city.AuditEntry{At: now, UserID: u.ID, UserName: "cityd token add", Action: "token.create",
			Detail: tok.ID + " " + tok.Name}); err != nil {
			return err
		}
		if *save != "" {
			if err := atomicfile.WriteFile(*save, []byte(secret+"\n"), 0o600); err != nil {
				// Made but not saved: show it, once, rather than lose it.
				fmt.Fprintf(stdout, "API token %q of %s (shown once):\n%s\n", tok.Name, u.Name, secret)
				return fmt.Errorf("token add: save: %w", err)
			}
			fmt.Fprintf(stdout, "API token %q of %s (%s) written to %s\n", tok.Name, u.Name, u.Role, *save)
			return nil
		}
		fmt.Fprintf(stdout, "API token %q of %s (shown once):\n%s\n", tok.Name, u.Name, secret)
		return nil
	}
	fmt.Fprint(stderr, userUsage)
	return fmt.Errorf("unknown: cityd %s %s", cmd, sub)
}
