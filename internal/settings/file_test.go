package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFile(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr string
	}{
		{name: "empty", in: "", want: map[string]string{}},
		{name: "comments and blanks", in: "# a\n\n   # b\n", want: map[string]string{}},
		{name: "spaces trimmed", in: "  data   =   /x  \n", want: map[string]string{"data": "/x"}},
		{name: "quotes dropped", in: `city = "http://h"` + "\n", want: map[string]string{"city": "http://h"}},
		{name: "value may hold =", in: "spec = a=b\n", want: map[string]string{"spec": "a=b"}},
		{name: "empty value", in: "token =\n", want: map[string]string{"token": ""}},
		{name: "last line without newline", in: "a = 1\nb = 2", want: map[string]string{"a": "1", "b": "2"}},
		{name: "later line wins", in: "a = 1\na = 2\n", want: map[string]string{"a": "2"}},
		{name: "no equals", in: "# ok\njust a line\n", wantErr: "line 2: want name = value"},
		{name: "empty name", in: " = 1\n", wantErr: "line 1: empty name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFile([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("%s = %q (present %v), want %q", k, g, ok, v)
				}
			}
		})
	}
}

// TestShippedConfigFiles parses the config files the packages install,
// as shipped and with every commented setting uncommented.
func TestShippedConfigFiles(t *testing.T) {
	for _, p := range []string{"../../build/linux/kioskd/kioskd.conf", "../../build/linux/cityd/cityd.conf", "../../build/linux/commune-kiosk/commune-kiosk.conf"} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseFile(data); err != nil {
				t.Fatalf("as shipped: %v", err)
			}
			var lines []string
			for _, l := range strings.Split(string(data), "\n") {
				if s, ok := strings.CutPrefix(strings.TrimSpace(l), "#"); ok && strings.Contains(s, " = ") {
					lines = append(lines, s)
				}
			}
			if len(lines) == 0 {
				t.Fatal("no commented settings found")
			}
			m, err := ParseFile([]byte(strings.Join(lines, "\n")))
			if err != nil {
				t.Fatalf("uncommented: %v", err)
			}
			if len(m) == 0 {
				t.Error("uncommented settings parse to nothing")
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		if _, err := ReadFile(filepath.Join(t.TempDir(), "none")); err == nil || !strings.HasPrefix(err.Error(), "config file: ") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("bad line names the file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "c.conf")
		if err := os.WriteFile(p, []byte("nope\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), p+": line 1") {
			t.Fatalf("err = %v", err)
		}
	})
}

func FuzzParseFile(f *testing.F) {
	for _, name := range []string{"kioskd.conf", "cityd.conf", "edge.conf"} {
		seed, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed)
	}
	f.Add([]byte("=\n"))
	f.Add([]byte("a = \"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseFile(data)
		if err != nil {
			return
		}
		for k, v := range m {
			if k == "" || strings.ContainsAny(k, "\n=") || strings.Contains(v, "\n") {
				t.Fatalf("accepted %q = %q", k, v)
			}
			if k != strings.TrimSpace(k) {
				t.Fatalf("name %q not trimmed", k)
			}
		}
	})
}

// TestConfigFileExample reads the example of cityd's config file.
func TestConfigFileExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "cityd.conf"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseFile(data)
	if err != nil || m["data"] != "/var/lib/cityd" || m["replay-window"] != "24h" {
		t.Fatalf("%v %v", m, err)
	}
}
