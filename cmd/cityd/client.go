package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"communekiosk/city"
	"communekiosk/internal/atomicfile"
	"communekiosk/sync/syncproto"
)

// client runs an operator command against a running cityd.
func client(cmd string, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("cityd "+cmd, stderr, getenv)
	fs := s.fs
	cityURL := fs.String("city", "http://127.0.0.1:8480", "URL of the running cityd")
	token := fs.String("token", "", "operator token")
	tokenFile := fs.String("token-file", "", "file holding the operator token")
	data := fs.String("data", "./cityd-data", "data directory of the server, to find operator-token when neither --token nor --token-file is given")
	fs.String("config", "", "config file of \"flag = value\" lines (env CITYD_CONFIG)")
	var commune, name, out, publicURL *string
	var positional string
	switch cmd {
	case "enrol-code", "provision":
		commune = fs.String("commune", "", "commune/ward code the kiosk serves (e.g. 00004)")
		name = fs.String("name", "", "its name, for display (e.g. \"Phường Ba Đình\")")
		publicURL = fs.String("city-url", "", "the city's address as the kiosk should reach it (optional; enrol-code then also prints the text of an enrolment QR code)")
		if cmd == "provision" {
			out = fs.String("out", "", "where to write the provisioning file (a USB drive)")
		}
	case "revoke", "reset-clock":
		positional = " KIOSK"
	case "import":
		positional = " FILE"
	case "export-receipt":
		positional = " KIOSK FILE"
	case "backup":
		positional = " FILE"
	case "catalogue":
		positional = " publish FILE | list"
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: cityd %s [flags]%s\n\n", cmd, positional)
		fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	if *token == "" {
		if *tokenFile == "" {
			*tokenFile = filepath.Join(*data, "operator-token")
		}
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return fmt.Errorf("operator token: %w (give --token or --token-file)", err)
		}
		*token = strings.TrimSpace(string(b))
	}
	c := &opClient{base: strings.TrimRight(*cityURL, "/"), token: *token, hc: &http.Client{Timeout: 5 * time.Minute}}
	rest := fs.Args()
	need := func(n int) error {
		if len(rest) != n {
			fs.Usage()
			return fmt.Errorf("%s needs%s", cmd, positional)
		}
		return nil
	}

	switch cmd {
	case "enrol-code":
		if *commune == "" {
			return errors.New("enrol-code needs --commune")
		}
		var resp city.EnrolCodeResponse
		if err := c.call("POST", "/v1/operator/enrol-codes", jsonBody(city.EnrolCodeRequest{Commune: *commune, CommuneName: *name, CityURL: *publicURL}), &resp); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", resp.Code)
		if resp.QR != "" {
			fmt.Fprintf(stderr, "Enrolment QR text (for a QR code the staff screen scans): %s\n", resp.QR)
		}
		fmt.Fprintf(stderr, "One-time enrolment code for %s %s, valid until %s. Type it on the kiosk's staff screen.\n", resp.Commune, resp.CommuneName, resp.ExpiresAt.Format(time.RFC3339))
	case "kiosks":
		var ks []city.KioskView
		if err := c.call("GET", "/v1/operator/kiosks", nil, &ks); err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNUMBER\tCOMMUNE\tSTATE\tLAST HEARTBEAT\tQUEUE\tOLDEST UNSENT\tQUARANTINED\tVERSION")
		for _, k := range ks {
			state, hb := "active", "never"
			if k.Revoked {
				state = "revoked"
			}
			if !k.LastHeartbeatAt.IsZero() {
				hb = k.LastHeartbeatAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s %s\t%s\t%s\t%d\t%s\t%d\t%s\n", k.ID, k.Number, k.Commune, k.CommuneName, state, hb,
				k.QueueDepth, time.Duration(k.OldestUnsentSecs)*time.Second, k.Quarantined, k.AppVersion)
		}
		return tw.Flush()
	case "revoke":
		if err := need(1); err != nil {
			return err
		}
		if err := c.call("POST", "/v1/operator/kiosks/"+rest[0]+"/revoke", nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s\n", rest[0])
	case "reset-clock":
		if err := need(1); err != nil {
			return err
		}
		if err := c.call("POST", "/v1/operator/kiosks/"+rest[0]+"/reset-clock", nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "reset the clock state of %s: its next signed call is accepted whatever its clock says\n", rest[0])
	case "import":
		if err := need(1); err != nil {
			return err
		}
		data, err := os.ReadFile(rest[0])
		if err != nil {
			return err
		}
		var resp syncproto.PushResponse
		if err := c.call("POST", "/v1/operator/import", data, &resp); err != nil {
			return err
		}
		counts := map[syncproto.Outcome]int{}
		for _, r := range resp.Results {
			counts[r.Outcome]++
		}
		fmt.Fprintf(stdout, "imported %d items: %d accepted, %d duplicate, %d rejected, %d conflict\n", len(resp.Results),
			counts[syncproto.Accepted], counts[syncproto.Duplicate], counts[syncproto.Rejected], counts[syncproto.Conflict])
		for _, r := range resp.Results {
			if r.Outcome == syncproto.Rejected || r.Outcome == syncproto.Conflict {
				fmt.Fprintf(stdout, "  %s seq %d %s: %s\n", r.RequestID, r.Seq, r.Outcome, r.Reason)
			}
		}
	case "export-receipt":
		if err := need(2); err != nil {
			return err
		}
		data, err := c.raw("GET", "/v1/operator/kiosks/"+rest[0]+"/receipt", nil)
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(rest[1], data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote the receipt file of %s to %s\n", rest[0], rest[1])
	case "backup":
		if err := need(1); err != nil {
			return err
		}
		data, err := c.raw("GET", "/v1/operator/backup", nil)
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(rest[0], data, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote a backup of the store (%d bytes) to %s\n", len(data), rest[0])
	case "catalogue":
		return catalogueCommand(c, rest, stdout, func() error { fs.Usage(); return fmt.Errorf("catalogue needs%s", positional) })
	case "provision":
		if *commune == "" || *out == "" {
			return errors.New("provision needs --commune and --out")
		}
		data, h, err := c.rawH("POST", "/v1/operator/provision", jsonBody(city.EnrolCodeRequest{Commune: *commune, CommuneName: *name, CityURL: *publicURL}))
		if err != nil {
			return err
		}
		p, err := syncproto.DecodeProvisioning(data)
		if err != nil {
			return err
		}
		code := h.Get(city.HeaderProvisioningCode)
		if err := p.VerifyCode(code); err != nil {
			return fmt.Errorf("the file and its code do not match: %w", err)
		}
		if err := atomicfile.WriteFile(*out, data, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote the provisioning file of kiosk %s (number %d, %s) to %s\n", p.Enrol.KioskID, p.Enrol.Number, p.Enrol.Commune, *out)
		fmt.Fprintf(stdout, "code: %s\n", code)
		fmt.Fprintln(stderr, "Hand the code over apart from the drive (on paper, by phone): staff type it on the kiosk when they import the file, and the kiosk refuses a file that does not match it.")
		fmt.Fprintln(stderr, "The file holds the kiosk's private key: delete it from the drive once the kiosk has imported it.")
	}
	return nil
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
