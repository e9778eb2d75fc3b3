package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"communekiosk/sync/syncproto"
)

// clientCmd is a command that talks to a running cityd through its
// operator API (client_cmds.go lists them).
type clientCmd struct {
	name string
	// synopsis follows "cityd NAME" in the usage text: its own flags
	// that matter and its arguments.
	synopsis string
	// help is one line (or a few, split by \n) for the usage text.
	help string
	// nargs is how many arguments it takes; -1: it checks them itself
	// (or takes none, and ignores any).
	nargs int
	// setup declares the command's own flags and returns what runs it
	// once they are parsed; nil: no flags of its own.
	setup func(fs *flag.FlagSet) func(x *clientRun) error
	run   func(x *clientRun) error // when setup is nil
}

// clientRun is what a client command runs with.
type clientRun struct {
	c              *opClient
	args           []string
	stdout, stderr io.Writer
	// usage prints the command's usage and returns the error to give.
	usage func() error
}

// findClientCmd is the client command called name, or nil.
func findClientCmd(name string) *clientCmd {
	for i := range clientCmds {
		if clientCmds[i].name == name {
			return &clientCmds[i]
		}
	}
	return nil
}

// usageLine is the command's line (or lines) of the usage text.
func (cmd *clientCmd) usageLine() string {
	const col = 44
	head := "  cityd " + cmd.name
	if cmd.synopsis != "" {
		head += " " + cmd.synopsis
	}
	lines := strings.Split(cmd.help, "\n")
	var b strings.Builder
	if len(head) >= col-1 {
		b.WriteString(head + "\n" + strings.Repeat(" ", col))
	} else {
		b.WriteString(head + strings.Repeat(" ", col-len(head)))
	}
	b.WriteString(lines[0] + "\n")
	for _, l := range lines[1:] {
		b.WriteString(strings.Repeat(" ", col) + l + "\n")
	}
	return b.String()
}

// clientUsage is the usage text's lines of every client command.
func clientUsage() string {
	var b strings.Builder
	for i := range clientCmds {
		b.WriteString(clientCmds[i].usageLine())
	}
	return b.String()
}

// client runs the operator command cmd against a running cityd, with the
// API token from --token, --token-file or DATA/operator-token: a named
// token of an admin (cityd token add), or the shared token of a --demo
// city.
func client(cmd *clientCmd, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("cityd "+cmd.name, stderr, getenv)
	fs := s.fs
	cityURL := fs.String("city", "http://127.0.0.1:8480", "URL of the running cityd")
	token := fs.String("token", "", "API token: a named token of an admin (cityd token add), or the shared token of a --demo city")
	tokenFile := fs.String("token-file", "", "file holding the API token (cityd token add --save FILE writes one)")
	data := fs.String("data", "./cityd-data", "data directory of the server, to find operator-token when neither --token nor --token-file is given")
	fs.String("config", "", "config file of \"flag = value\" lines (env CITYD_CONFIG)")
	run := cmd.run
	if cmd.setup != nil {
		run = cmd.setup(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: cityd %s [flags] %s\n\n%s\n\n", cmd.name, cmd.synopsis, strings.ReplaceAll(cmd.help, "\n", " "))
		fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	tok, err := clientToken(*token, *tokenFile, *data)
	if err != nil {
		return err
	}
	x := &clientRun{
		c:    &opClient{base: strings.TrimRight(*cityURL, "/"), token: tok, hc: &http.Client{Timeout: 5 * time.Minute}},
		args: fs.Args(), stdout: stdout, stderr: stderr,
		usage: func() error { fs.Usage(); return fmt.Errorf("%s needs %s", cmd.name, cmd.synopsis) },
	}
	if cmd.nargs >= 0 && len(x.args) != cmd.nargs {
		return x.usage()
	}
	return run(x)
}

// clientToken is the token the command sends: --token, else the first
// line of --token-file, else of DATA/operator-token.
func clientToken(token, tokenFile, data string) (string, error) {
	if token != "" {
		return token, nil
	}
	given := tokenFile != ""
	if !given {
		tokenFile = filepath.Join(data, "operator-token")
	}
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		if !given && errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("no API token: give --token or --token-file, or save an admin's named token where the commands look for it: cityd token add --data %s --user NAME --name LABEL --save %s", data, tokenFile)
		}
		return "", fmt.Errorf("API token: %w", err)
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("API token file %s is empty", tokenFile)
	}
	return t, nil
}

func jsonBody(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

type opClient struct {
	base, token string
	hc          *http.Client
}

func (c *opClient) raw(method, path string, body []byte) ([]byte, error) {
	data, _, err := c.rawH(method, path, body)
	return data, err
}

// rawH is raw with the answer's headers.
func (c *opClient) rawH(method, path string, body []byte) ([]byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("is cityd running at %s? %w", c.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		if e, err := syncproto.DecodeError(data); err == nil {
			return nil, nil, fmt.Errorf("%s %s: %s: %s", method, path, e.Code, e.Message)
		}
		return nil, nil, fmt.Errorf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
	return data, resp.Header, nil
}

func (c *opClient) call(method, path string, body []byte, out any) error {
	data, err := c.raw(method, path, body)
	if err != nil || out == nil {
		return err
	}
	return json.Unmarshal(data, out)
}
