package logsetup

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		ok   bool
	}{
		{"auto", Auto, true},
		{"", Auto, true},
		{"text", Text, true},
		{"json", JSON, true},
		{"JSON", "", false},
		{"xml", "", false},
	}
	for _, tt := range tests {
		t.Run("in="+tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseFormat(%q) = %q, %v", tt.in, got, err)
			}
		})
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
		ok   bool
	}{
		{"debug", slog.LevelDebug, true},
		{"info", slog.LevelInfo, true},
		{"WARN", slog.LevelWarn, true},
		{"error", slog.LevelError, true},
		{"loud", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLevel(tt.in)
			if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
				t.Errorf("ParseLevel(%q) = %v, %v", tt.in, got, err)
			}
			if !tt.ok && (err == nil || !strings.Contains(err.Error(), tt.in)) {
				t.Errorf("error %v does not name %q", err, tt.in)
			}
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name     string
		format   Format
		wantJSON bool
	}{
		{"json", JSON, true},
		{"text", Text, false},
		{"auto off a terminal is JSON", Auto, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := New(&buf, tt.format, slog.LevelWarn)
			log.Info("Dropped below the level")
			log.Warn("Kept", "request_id", "r1")
			out := strings.TrimSpace(buf.String())
			if strings.Contains(out, "Dropped") || !strings.Contains(out, "Kept") {
				t.Fatalf("level not applied: %q", out)
			}
			if isJSON := json.Valid([]byte(out)); isJSON != tt.wantJSON {
				t.Errorf("JSON = %v, want %v: %q", isJSON, tt.wantJSON, out)
			}
		})
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		w    io.Writer
	}{
		{"regular file", f},
		{"buffer", &bytes.Buffer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if IsTerminal(tt.w) {
				t.Error("reported as a terminal")
			}
		})
	}
	t.Run("pseudo-terminal", func(t *testing.T) {
		ptmx, tty, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		defer ptmx.Close()
		defer tty.Close()
		if !IsTerminal(tty) {
			t.Error("a terminal not reported as one")
		}
		if _, ok := New(tty, Auto, slog.LevelInfo).Handler().(*slog.TextHandler); !ok {
			t.Error("auto on a terminal is not text")
		}
		if _, ok := New(tty, JSON, slog.LevelInfo).Handler().(*slog.JSONHandler); !ok {
			t.Error("json on a terminal is not JSON")
		}
	})
}

func TestFromSettings(t *testing.T) {
	tests := []struct {
		name, format, level string
		wantErr             string
	}{
		{"both good", "json", "debug", ""},
		{"bad level", "json", "loud", `log level "loud"`},
		{"bad format", "xml", "info", `log format "xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, err := FromSettings(&bytes.Buffer{}, tt.format, tt.level)
			if tt.wantErr == "" {
				if err != nil || log == nil {
					t.Fatalf("FromSettings = %v, %v", log, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
