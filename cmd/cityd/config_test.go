package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestSettingsPrecedence(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "cityd.conf")
	os.WriteFile(cfg, []byte("# comment\naddr = 127.0.0.1:1\ndata = \"/from/file\"\nref-prefix = FILE\n"), 0o644)
	env := map[string]string{"CITYD_DATA": "/from/env", "CITYD_CONFIG": cfg}
	s := newSettings("t", io.Discard, func(k string) string { return env[k] })
	addr := s.fs.String("addr", "default", "")
	data := s.fs.String("data", "default", "")
	ref := s.fs.String("ref-prefix", "default", "")
	s.fs.String("config", "", "")
	if err := s.parse([]string{"--ref-prefix", "FLAG"}); err != nil {
		t.Fatal(err)
	}
	if *addr != "127.0.0.1:1" || *data != "/from/env" || *ref != "FLAG" {
		t.Fatalf("addr %q data %q ref %q", *addr, *data, *ref)
	}
}

func TestConfigRejectsUnknownAndBadLines(t *testing.T) {
	for _, body := range []string{"nope = 1\n", "just a line\n"} {
		cfg := filepath.Join(t.TempDir(), "c")
		os.WriteFile(cfg, []byte(body), 0o644)
		s := newSettings("t", io.Discard, func(string) string { return "" })
		s.fs.String("addr", "", "")
		s.fs.String("config", "", "")
		if err := s.parse([]string{"--config", cfg}); err == nil {
			t.Errorf("%q accepted", body)
		}
	}
}
