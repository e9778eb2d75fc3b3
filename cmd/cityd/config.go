package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// settings are resolved in this order: flag, environment variable
// CITYD_<NAME>, config file line "name = value", default.
type settings struct {
	fs       *flag.FlagSet
	getenv   func(string) string
	file     map[string]string
	explicit map[string]bool
}

func newSettings(name string, stderr io.Writer, getenv func(string) string) *settings {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &settings{fs: fs, getenv: getenv}
}

// envName is the environment variable of a flag: --key-file → CITYD_KEY_FILE.
func envName(flagName string) string {
	return "CITYD_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse parses args, then fills every flag not given on the command line
// from the environment, then from the config file (--config or
// CITYD_CONFIG).
func (s *settings) parse(args []string) error {
	if err := s.fs.Parse(args); err != nil {
		return err
	}
	s.explicit = map[string]bool{}
	s.fs.Visit(func(f *flag.Flag) { s.explicit[f.Name] = true })
	path := ""
	if f := s.fs.Lookup("config"); f != nil {
		path = f.Value.String()
		if !s.explicit["config"] {
			if v := s.getenv(envName("config")); v != "" {
				path = v
			}
		}
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("config file: %w", err)
		}
		if s.file, err = parseConfig(data); err != nil {
			return fmt.Errorf("config file %s: %w", path, err)
		}
	}
	var err error
	s.fs.VisitAll(func(f *flag.Flag) {
		if err != nil || s.explicit[f.Name] || f.Name == "config" {
			return
		}
		v, ok := s.getenv(envName(f.Name)), false
		if v != "" {
			ok = true
		} else if fv, in := s.file[f.Name]; in {
			v, ok = fv, true
		}
		if ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("setting %s: %w", f.Name, e)
			}
		}
	})
	if err != nil {
		return err
	}
	for k := range s.file {
		if s.fs.Lookup(k) == nil {
			return fmt.Errorf("config file %s: unknown setting %q", path, k)
		}
	}
	return nil
}

// parseConfig reads "name = value" lines; # starts a comment line. Names
// are the flag names (addr, data, token-file, ...).
func parseConfig(data []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: want name = value", n)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			return nil, errors.New("empty name")
		}
		out[k] = strings.Trim(v, `"`)
	}
	return out, sc.Err()
}
