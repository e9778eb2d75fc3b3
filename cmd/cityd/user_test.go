package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/city/citybolt"
)

func TestUserAndTokenAdd(t *testing.T) {
	dir := t.TempDir()
	noenv := func(string) string { return "" }
	var out, errOut bytes.Buffer
	if err := users("user", []string{"add", "--data", dir, "--role", "admin", "root"}, strings.NewReader(""), &out, &errOut, noenv); err != nil {
		t.Fatal(err, errOut.String())
	}
	m := regexp.MustCompile(`one-time password \(shown once; change it after signing in\): (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no password printed: %q", out.String())
	}
	out.Reset()
	err := users("user", []string{"add", "--data", dir, "--role", "officer", "--commune", "00004", "--password-stdin", "lan"},
		strings.NewReader("a long enough password\n"), &out, &errOut, noenv)
	if err != nil || strings.Contains(out.String(), "password") {
		t.Fatalf("stdin password: %v %q", err, out.String())
	}
	if err := users("user", []string{"add", "--data", dir, "--role", "boss", "x1"}, strings.NewReader(""), &out, &errOut, noenv); err == nil {
		t.Fatal("an unknown role was accepted")
	}
	if err := users("user", []string{"add", "--data", dir, "--role", "officer", "--commune", "99999", "x2"}, strings.NewReader(""), &out, &errOut, noenv); err == nil {
		t.Fatal("a commune outside the city was accepted")
	}
	if err := users("user", []string{"add", "--data", dir, "--role", "admin", "root"}, strings.NewReader(""), &out, &errOut, noenv); err == nil {
		t.Fatal("a second root was made")
	}
	out.Reset()
	if err := users("token", []string{"add", "--data", dir, "--user", "lan", "--name", "nightly"}, strings.NewReader(""), &out, &errOut, noenv); err != nil {
		t.Fatal(err)
	}
	tok := regexp.MustCompile(`ck_\S+`).FindString(out.String())
	if tok == "" {
		t.Fatalf("no token printed: %q", out.String())
	}
	// --save writes it to a file (0600) instead of printing it.
	out.Reset()
	saved := filepath.Join(dir, "operator-token")
	if err := users("token", []string{"add", "--data", dir, "--user", "root", "--name", "cityd commands", "--save", saved}, strings.NewReader(""), &out, &errOut, noenv); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(saved)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("saved token file: %v %v", fi, err)
	}
	b, _ := os.ReadFile(saved)
	savedTok := strings.TrimSpace(string(b))
	if !strings.HasPrefix(savedTok, "ck_") || strings.Contains(out.String(), savedTok) || !strings.Contains(out.String(), saved) {
		t.Fatalf("token add --save: file %q, printed %q", b, out.String())
	}

	st, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	root, err := st.UserByName(ctx, "root")
	if err != nil || root.Role != city.RoleAdmin || !city.CheckPassword(root.PasswordHash, m[1]) || len(root.Communes) != 0 {
		t.Fatalf("root %+v, %v", root, err)
	}
	if !root.MustChange {
		t.Fatal("a printed one-time password is not marked to change")
	}
	if !strings.HasPrefix(root.PasswordHash, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Fatalf("hash parameters: %s", root.PasswordHash)
	}
	lan, err := st.UserByName(ctx, "lan")
	if err != nil || !city.CheckPassword(lan.PasswordHash, "a long enough password") || lan.Communes[0] != "00004" {
		t.Fatalf("lan %+v, %v", lan, err)
	}
	if lan.MustChange {
		t.Fatal("a password set from stdin is marked one-time")
	}
	if strings.Contains(lan.PasswordHash, "long enough") {
		t.Fatal("the password is stored in clear")
	}
	toks, err := st.Tokens(ctx, lan.ID)
	if err != nil || len(toks) != 1 || toks[0].Name != "nightly" || strings.Contains(toks[0].Hash, tok) {
		t.Fatalf("tokens %+v, %v", toks, err)
	}
	// (that the saved token opens the API: TestRealBinaryEnrolAndSIGTERM)
	if rt, err := st.Tokens(ctx, root.ID); err != nil || len(rt) != 1 || rt[0].Name != "cityd commands" || strings.Contains(rt[0].Hash, savedTok) {
		t.Fatalf("the saved token in the store: %+v, %v", rt, err)
	}
	if audit, _ := st.Audit(ctx, city.AuditFilter{}); len(audit) != 4 {
		t.Fatalf("audit %+v", audit)
	}
}

// TestTokenListAndRevoke: a user's tokens are listed by ID without their
// secret; a revoked one opens nothing and shows as revoked; an unknown ID
// is an error.
func TestTokenListAndRevoke(t *testing.T) {
	dir := t.TempDir()
	noenv := func(string) string { return "" }
	run := func(cmd string, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := users(cmd, append(args[:1:1], append([]string{"--data", dir}, args[1:]...)...), strings.NewReader("a long enough password\n"), &out, &errOut, noenv)
		return out.String(), err
	}
	if _, err := run("user", "add", "--role", "admin", "--password-stdin", "root"); err != nil {
		t.Fatal(err)
	}
	out, err := run("token", "add", "--user", "root", "--name", "nightly")
	if err != nil {
		t.Fatal(err)
	}
	secret := regexp.MustCompile(`ck_\S+`).FindString(out)
	list, err := run("token", "list", "--user", "root")
	if err != nil || !strings.Contains(list, `"nightly"`) || !strings.Contains(list, "active") || strings.Contains(list, secret) {
		t.Fatalf("list: %v %q", err, list)
	}
	id := strings.Fields(list)[0]
	if _, err := run("token", "revoke", id); err != nil {
		t.Fatal(err)
	}
	if list, _ := run("token", "list", "--user", "root"); !strings.Contains(list, "revoked ") {
		t.Fatalf("after revoke: %q", list)
	}
	if _, err := run("token", "revoke", "tok_nope"); err == nil {
		t.Fatal("an unknown token was revoked")
	}
	if _, err := run("token", "revoke"); err == nil {
		t.Fatal("revoke with no ID")
	}
	st, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum := sha256.Sum256([]byte(secret))
	tok, err := st.TokenByHash(context.Background(), hex.EncodeToString(sum[:]))
	if err != nil || tok.RevokedAt.IsZero() {
		t.Fatalf("stored token %+v %v", tok, err)
	}
	if a, _ := st.Audit(context.Background(), city.AuditFilter{Action: "token.revoke"}); len(a) != 1 || a[0].Detail != id {
		t.Fatalf("revocation audit %+v", a)
	}
}
