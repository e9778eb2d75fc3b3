package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

// Every client command of the table is in the usage text and is run by
// its name; a name not in it is refused.
func TestClientCommandsTable(t *testing.T) {
	noenv := func(string) string { return "" }
	var help bytes.Buffer
	if err := run([]string{"help"}, &help, &bytes.Buffer{}, noenv); err != nil {
		t.Fatal(err)
	}
	for _, c := range clientCmds {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(help.String(), "  cityd "+c.name+" ") && !strings.Contains(help.String(), "  cityd "+c.name+"\n") {
				t.Errorf("cityd help does not list %s:\n%s", c.name, help.String())
			}
			if !strings.Contains(help.String(), strings.Split(c.help, "\n")[0]) {
				t.Errorf("cityd help lacks the help of %s", c.name)
			}
			var stderr bytes.Buffer
			err := run([]string{c.name, "--help"}, &bytes.Buffer{}, &stderr, noenv)
			if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(stderr.String(), "Usage: cityd "+c.name+" [flags]") || !strings.Contains(stderr.String(), "-token-file") {
				t.Errorf("cityd %s --help: %v\n%s", c.name, err, stderr.String())
			}
		})
	}
	if err := run([]string{"no-such-command"}, &bytes.Buffer{}, &bytes.Buffer{}, noenv); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("an unknown command: %v", err)
	}
	// A command given the wrong number of arguments says what it needs.
	err := run([]string{"revoke", "--token", "x"}, &bytes.Buffer{}, &bytes.Buffer{}, noenv)
	if err == nil || !strings.Contains(err.Error(), "revoke needs KIOSK") {
		t.Fatalf("revoke without KIOSK: %v", err)
	}
}
