package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/sync/syncproto"
)

// runCityd runs a cityd command to its end and returns its standard
// output, then its standard error.
func runCityd(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	c := exec.Command(cityBin, args...)
	c.Env = append(append(os.Environ(), "CITYD_CONFIG="), env...)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	return out.String() + errb.String(), err
}

func stopCityd(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("cityd exit after SIGTERM: %v", err)
	}
}

// enrolOne makes a code through the CLI and enrols a key with it.
func enrolOne(t *testing.T, url, data string) string {
	t.Helper()
	out, err := runCityd(t, nil, "enrol-code", "--city", url, "--data", data, "--commune", "00004", "--name", "Phường Ba Đình")
	if err != nil {
		t.Fatalf("enrol-code: %v\n%s", err, out)
	}
	code, _, _ := strings.Cut(out, "\n")
	sec, err := syncproto.DeriveEnrolSecret(strings.TrimSpace(code))
	if err != nil {
		t.Fatalf("code %q: %v", code, err)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	body, _ := json.Marshal(syncproto.EnrolRequest{Version: 1, CodeID: sec.ID, SigningKey: pub})
	req, _ := http.NewRequest("POST", url+syncproto.PathEnrol, bytes.NewReader(body))
	req.Header.Set(syncproto.HeaderEnrolMAC, syncproto.EnrolRequestMAC(sec.AuthKey, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	e, err := syncproto.DecodeEnrolResponse(raw)
	if err != nil {
		t.Fatalf("enrol: %v %s", err, raw)
	}
	return e.KioskID
}

// TestServeOnPostgres: cityd migrate, then serve with --db, then with
// CITYD_DB, then with "db" in the config file, all on one database; a
// schema newer than the binary is refused.
func TestServeOnPostgres(t *testing.T) {
	dsn := citypgtest.Schema(t)
	v := citypg.SchemaVersion()
	for i, want := range []string{fmt.Sprintf("schema migrated from version 0 to %d", v), fmt.Sprintf("schema is at version %d: nothing to do", v)} {
		out, err := runCityd(t, nil, "migrate", "--db", dsn)
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("migrate run %d: %v\n%s", i, err, out)
		}
	}
	// The first admin of a city on PostgreSQL.
	if out, err := runCityd(t, nil, "user", "add", "--db", dsn, "--role", "admin", "hoa"); err != nil || !strings.Contains(out, "made hoa (admin") {
		t.Fatalf("user add --db: %v\n%s", err, out)
	}
	if out, err := runCityd(t, nil, "user", "list", "--db", dsn); err != nil || !strings.Contains(out, "hoa") {
		t.Fatalf("user list --db: %v\n%s", err, out)
	}
	data := t.TempDir()
	// Her named token, saved where the commands look for one.
	if out, err := runCityd(t, nil, "token", "add", "--db", dsn, "--user", "hoa", "--name", "scripts", "--save", filepath.Join(data, "operator-token")); err != nil {
		t.Fatalf("token add --db: %v\n%s", err, out)
	}
	cmd, url, _ := startCityd(t, cityBin, data, "--db", dsn)
	id := enrolOne(t, url, data)
	stopCityd(t, cmd)
	if _, err := os.Stat(filepath.Join(data, "city.db")); err == nil {
		t.Fatal("cityd on PostgreSQL made an embedded store")
	}

	t.Setenv("CITYD_DB", dsn)
	cmd, url, _ = startCityd(t, cityBin, data)
	if out, err := runCityd(t, nil, "kiosks", "--city", url, "--data", data); err != nil || !strings.Contains(out, id) {
		t.Fatalf("kiosks through CITYD_DB: %v\n%s", err, out)
	}
	stopCityd(t, cmd)
	os.Unsetenv("CITYD_DB")

	conf := filepath.Join(t.TempDir(), "cityd.conf")
	os.WriteFile(conf, []byte("# test\ndb = "+dsn+"\n"), 0o600)
	cmd, url, _ = startCityd(t, cityBin, data, "--config", conf)
	if out, err := runCityd(t, nil, "kiosks", "--city", url, "--data", data); err != nil || !strings.Contains(out, id) {
		t.Fatalf("kiosks through the config file: %v\n%s", err, out)
	}
	stopCityd(t, cmd)

	s, err := citypg.Open(context.Background(), dsn, citypg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Epoch(context.Background())
	if out, err := runCityd(t, nil, "new-epoch", "--db", dsn); err != nil || !strings.Contains(out, "new epoch") {
		t.Fatalf("new-epoch --db: %v\n%s", err, out)
	}
	if after, _ := s.Epoch(context.Background()); after == before {
		t.Fatal("new-epoch --db left the epoch")
	}
	_, err = s.Pool().Exec(context.Background(), `UPDATE citypg_schema SET version = version + 1`)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := runCityd(t, nil, "serve", "--addr", "127.0.0.1:0", "--data", data, "--db", dsn)
	if err == nil || !strings.Contains(out, "newer than this cityd") {
		t.Fatalf("serve on a newer schema: %v\n%s", err, out)
	}
}

// TestMigrateStoreCommand: cityd migrate-store copies a stopped embedded
// store (a kiosk, a code not yet used), verifies, and run again copies
// nothing and verifies again; a cityd on the copy knows the kiosk.
func TestMigrateStoreCommand(t *testing.T) {
	dsn := citypgtest.Schema(t)
	data := t.TempDir()
	adminToken(t, data) // copied with the store: it opens the cityd on the copy too
	cmd, url, _ := startCityd(t, cityBin, data)
	id := enrolOne(t, url, data)
	if out, err := runCityd(t, nil, "enrol-code", "--city", url, "--data", data, "--commune", "00008", "--name", "Phường Cửa Nam"); err != nil {
		t.Fatalf("enrol-code: %v\n%s", err, out)
	}
	stopCityd(t, cmd)
	for i, want := range []string{"copied the embedded store into PostgreSQL", "already holds this store: nothing copied"} {
		out, err := runCityd(t, nil, "migrate-store", "--from", data, "--to", dsn)
		if err != nil || !strings.Contains(out, want) || !strings.Contains(out, "verified: every table matches") {
			t.Fatalf("migrate-store run %d: %v\n%s", i, err, out)
		}
		if i == 0 {
			t.Logf("migrate-store:\n%s", out)
		}
	}
	// Another database's content is refused.
	other := citypgtest.Schema(t)
	otherData := t.TempDir()
	adminToken(t, otherData, "--db", other)
	cmd, url, _ = startCityd(t, cityBin, otherData, "--db", other)
	enrolOne(t, url, otherData)
	stopCityd(t, cmd)
	if out, err := runCityd(t, nil, "migrate-store", "--from", data, "--to", other); err == nil || !strings.Contains(out, "already holds another city's data") {
		t.Fatalf("migrate-store into a used database: %v\n%s", err, out)
	}

	cmd, url, _ = startCityd(t, cityBin, data, "--db", dsn)
	if out, err := runCityd(t, nil, "kiosks", "--city", url, "--data", data); err != nil || !strings.Contains(out, id) {
		t.Fatalf("kiosks after the move: %v\n%s", err, out)
	}
	stopCityd(t, cmd)
}
