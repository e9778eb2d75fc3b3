package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
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
  cityd token list --data DIR | --db URL --user NAME
  cityd token revoke --data DIR | --db URL ID

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
	run, ok := map[string]func(userArgs) error{
		"user add": userAdd, "user list": userList,
		"token add": tokenAdd, "token list": tokenList, "token revoke": tokenRevoke,
	}[cmd+" "+sub]
	if !ok {
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("unknown: cityd %s %s", cmd, sub)
	}
	ctx := context.Background()
	st, err := openStore(ctx, dbf, *data, "", slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	defer st.Close()
	return run(userArgs{ctx: ctx, st: st, fs: fs, now: time.Now(), stdin: stdin, stdout: stdout,
		role: *role, display: *display, fromStdin: *fromStdin, user: *userName, label: *label, save: *save, communes: communes})
}

// userArgs is what a user or token subcommand works with.
type userArgs struct {
	ctx               context.Context
	st                store
	fs                *flag.FlagSet
	now               time.Time
	stdin             io.Reader
	stdout            io.Writer
	role, display     string
	fromStdin         bool
	user, label, save string
	communes          []string
}

func userAdd(a userArgs) error {
	if a.fs.NArg() != 1 {
		a.fs.Usage()
		return errors.New("user add needs NAME")
	}
	password, shown := city.NewPassword(), true
	if a.fromStdin {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		password, shown = strings.TrimRight(line, "\r\n"), false
	}
	u, err := city.NewUser(a.fs.Arg(0), a.display, city.Role(a.role), a.communes, password, city.DefaultPasswordParams, a.now)
	u.MustChange = shown // a printed one-time password is changed at the first sign-in
	if err != nil {
		return fmt.Errorf("user add: %w (name: 2–32 of a-z 0-9 . _ -; role: admin, officer or viewer; communes: the city's codes; password: 10 characters or more)", err)
	}
	if err := a.st.CreateUser(a.ctx, u); err != nil {
		return err
	}
	if _, err := a.st.AppendAudit(a.ctx, city.AuditEntry{At: a.now, UserName: "cityd user add", Action: "user.create",
		Detail: u.Name + " role " + string(u.Role) + " communes " + strings.Join(u.Communes, ",")}); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "made %s (%s", u.Name, u.Role)
	if len(u.Communes) > 0 {
		fmt.Fprintf(a.stdout, ", communes %s", strings.Join(u.Communes, ","))
	}
	fmt.Fprintln(a.stdout, ")")
	if shown {
		fmt.Fprintf(a.stdout, "one-time password (shown once; change it after signing in): %s\n", password)
	}
	return nil
}

func userList(a userArgs) error {
	list, err := a.st.Users(a.ctx)
	if err != nil {
		return err
	}
	for _, u := range list {
		state := "active"
		if !u.Active {
			state = "deactivated"
		}
		fmt.Fprintf(a.stdout, "%-20s %-8s %-12s %s\n", u.Name, u.Role, state, strings.Join(u.Communes, ","))
	}
	return nil
}

func tokenAdd(a userArgs) error {
	u, err := a.st.UserByName(a.ctx, a.user)
	if err != nil {
		return fmt.Errorf("token add: user %q: %w", a.user, err)
	}
	if strings.TrimSpace(a.label) == "" {
		return errors.New("token add needs --name")
	}
	secret, tok := city.NewAPIToken(u.ID, a.label, a.now)
	if err := a.st.CreateToken(a.ctx, tok); err != nil {
		return err
	}
	if _, err := a.st.AppendAudit(a.ctx, city.AuditEntry{At: a.now, UserID: u.ID, UserName: "cityd token add", Action: "token.create",
		Detail: tok.ID + " " + tok.Name}); err != nil {
		return err
	}
	if a.save != "" {
		if err := atomicfile.WriteFile(a.save, []byte(secret+"\n"), 0o600); err != nil {
			// Made but not saved: show it, once, rather than lose it.
			fmt.Fprintf(a.stdout, "API token %q of %s (shown once):\n%s\n", tok.Name, u.Name, secret)
			return fmt.Errorf("token add: save: %w", err)
		}
		fmt.Fprintf(a.stdout, "API token %q of %s (%s) written to %s\n", tok.Name, u.Name, u.Role, a.save)
		return nil
	}
	fmt.Fprintf(a.stdout, "API token %q of %s (shown once):\n%s\n", tok.Name, u.Name, secret)
	return nil
}

func tokenList(a userArgs) error {
	u, err := a.st.UserByName(a.ctx, a.user)
	if err != nil {
		return fmt.Errorf("token list: user %q: %w", a.user, err)
	}
	list, err := a.st.Tokens(a.ctx, u.ID)
	if err != nil {
		return err
	}
	for _, t := range list {
		state := "active"
		if !t.RevokedAt.IsZero() {
			state = "revoked " + t.RevokedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(a.stdout, "%-28s %-24q made %s  %s\n", t.ID, t.Name, t.CreatedAt.UTC().Format(time.RFC3339), state)
	}
	return nil
}

func tokenRevoke(a userArgs) error {
	if a.fs.NArg() != 1 {
		a.fs.Usage()
		return errors.New("token revoke needs the token's ID (cityd token list --user NAME)")
	}
	id := a.fs.Arg(0)
	if err := a.st.RevokeToken(a.ctx, id, a.now); err != nil {
		return fmt.Errorf("token revoke %s: %w", id, err)
	}
	if _, err := a.st.AppendAudit(a.ctx, city.AuditEntry{At: a.now, UserName: "cityd token revoke", Action: "token.revoke", Detail: id}); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "revoked API token %s\n", id)
	return nil
}
