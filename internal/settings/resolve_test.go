package settings

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnvName(t *testing.T) {
	tests := []struct{ prefix, flag, want string }{
		{"CITYD_", "key-file", "CITYD_KEY_FILE"},
		{"KIOSK_", "data", "KIOSK_DATA"},
		{"KIOSK_", "allow-insecure-city", "KIOSK_ALLOW_INSECURE_CITY"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := EnvName(tt.prefix, tt.flag); got != tt.want {
				t.Errorf("EnvName(%q, %q) = %q", tt.prefix, tt.flag, got)
			}
		})
	}
}

func TestParse(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	full := write("full.conf", "# c\naddr = file-addr\ndata = \"file-data\"\nref = file-ref\n")
	other := write("other.conf", "addr = other-addr\n")
	unknown := write("unknown.conf", "colour = blue\n")
	badValue := write("bad.conf", "n = many\n")
	oneOff := write("oneoff.conf", "set-pin = 9999\n")
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    map[string]string // flag -> value after Parse
		wantErr string
	}{
		{name: "defaults", want: map[string]string{"addr": "def", "data": "def", "ref": "def"}},
		{
			name: "flag over env over file over default",
			args: []string{"--ref", "flag-ref"},
			env:  map[string]string{"T_DATA": "env-data", "T_CONFIG": full},
			want: map[string]string{"addr": "file-addr", "data": "env-data", "ref": "flag-ref"},
		},
		{
			name: "empty env is unset",
			env:  map[string]string{"T_DATA": "", "T_CONFIG": full},
			want: map[string]string{"data": "file-data"},
		},
		{
			name: "config flag over config env",
			args: []string{"--config", other},
			env:  map[string]string{"T_CONFIG": full},
			want: map[string]string{"addr": "other-addr", "data": "def"},
		},
		{
			name: "flag given with its default still wins",
			args: []string{"--addr", "def"},
			env:  map[string]string{"T_ADDR": "env-addr"},
			want: map[string]string{"addr": "def"},
		},
		{
			name: "command-line-only flag ignores env and file",
			env:  map[string]string{"T_SET_PIN": "1234", "T_CONFIG": oneOff},
			want: map[string]string{"set-pin": ""},
		},
		{name: "unknown setting", env: map[string]string{"T_CONFIG": unknown}, wantErr: `unknown setting "colour"`},
		{name: "bad env value names the variable", env: map[string]string{"T_N": "x"}, wantErr: `T_N="x": `},
		{name: "bad file value names the file", env: map[string]string{"T_CONFIG": badValue}, wantErr: badValue + `: n = "many": `},
		{name: "missing file", args: []string{"--config", filepath.Join(dir, "none")}, wantErr: "config file: "},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			fs.String("addr", "def", "")
			fs.String("data", "def", "")
			fs.String("ref", "def", "")
			fs.String("set-pin", "", "")
			fs.Int("n", 1, "")
			fs.String("config", "", "")
			err := Parse(fs, tt.args, func(k string) string { return tt.env[k] }, Options{EnvPrefix: "T_", CommandLineOnly: []string{"set-pin"}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if got := fs.Lookup(k).Value.String(); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestParseHelp(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := Parse(fs, []string{"--help"}, func(string) string { return "" }, Options{}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
}

func TestParseNoConfigFlag(t *testing.T) {
	// A flag set without a config flag reads the environment only.
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	addr := fs.String("addr", "def", "")
	env := map[string]string{"T_ADDR": "env", "T_CONFIG": "/nonexistent"}
	if err := Parse(fs, nil, func(k string) string { return env[k] }, Options{EnvPrefix: "T_"}); err != nil {
		t.Fatal(err)
	}
	if *addr != "env" {
		t.Errorf("addr = %q", *addr)
	}
}
