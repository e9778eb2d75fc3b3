package kioskshell

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	dir := t.TempDir()
	cfg := dir + "/kiosk.conf"
	os.WriteFile(cfg, []byte("# comment\ndata = /from/file\ncity = http://file\nidle-timeout = 2m\n"), 0o600)
	env := map[string]string{"KIOSK_CITY": "http://env", "KIOSK_CONFIG": cfg}
	sc, err := ParseFlags("kioskd", []string{"--sync-spec", "*/5 * * * *"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Node.DataDir != "/from/file" || sc.Node.CityURL != "http://env" || sc.Node.SyncSpec != "*/5 * * * *" || sc.Node.IdleTimeout != 2*time.Minute {
		t.Errorf("precedence flags > env > file broken: %+v", sc.Node)
	}
	os.WriteFile(cfg, []byte("colour = blue\n"), 0o600)
	if _, err := ParseFlags("kioskd", nil, func(k string) string { return env[k] }, io.Discard); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("unknown config key: %v", err)
	}
	var help bytes.Buffer
	if _, err := ParseFlags("kioskd", []string{"--help"}, func(string) string { return "" }, &help); !IsHelp(err) || !strings.Contains(help.String(), "KIOSK_DATA") {
		t.Errorf("--help: %v %q", err, help.String())
	}
}
