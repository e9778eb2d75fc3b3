package logsetup

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

// Format is how log records are written.
type Format string

const (
	Auto Format = "auto" // text on a terminal, JSON otherwise
	Text Format = "text"
	JSON Format = "json"
)

// ParseFormat reads a log-format setting; empty means Auto.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Auto, Text, JSON:
		return f, nil
	case "":
		return Auto, nil
	}
	return "", fmt.Errorf("log format %q: want auto, text or json", s)
}

// ParseLevel reads a log-level setting: debug, info, warn or error (as
// slog.Level reads it, so "warn+2" too).
func ParseLevel(s string) (slog.Level, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log level %q: %w", s, err)
	}
	return lv, nil
}

// New makes a logger writing to w at level. Auto (or any other value)
// writes text when w is a terminal and JSON otherwise.
func New(w io.Writer, f Format, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	switch {
	case f == JSON:
		return slog.New(slog.NewJSONHandler(w, opts))
	case f == Text, IsTerminal(w):
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// FromSettings parses the two settings and makes the logger.
func FromSettings(w io.Writer, format, level string) (*slog.Logger, error) {
	lv, err := ParseLevel(level)
	if err != nil {
		return nil, err
	}
	f, err := ParseFormat(format)
	if err != nil {
		return nil, err
	}
	return New(w, f, lv), nil
}

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
