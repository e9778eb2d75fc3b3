package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"communekiosk/city"
	"communekiosk/internal/atomicfile"
	"communekiosk/sync/syncproto"
)

// clientCmds are the commands that talk to a running cityd, in the order
// of the usage text, which is made from this table.
var clientCmds = []clientCmd{
	{name: "enrol-code", synopsis: "--commune CODE --name NAME", help: "make a one-time enrolment code", nargs: -1, setup: enrolCodeCmd},
	{name: "kiosks", help: "list kiosks and their health", nargs: -1, run: kiosksCmd},
	{name: "revoke", synopsis: "KIOSK", help: "revoke a kiosk", nargs: 1, run: revokeCmd},
	{name: "reset-clock", synopsis: "KIOSK", help: "accept a kiosk whose clock jumped ahead and came back", nargs: 1, run: resetClockCmd},
	{name: "import", synopsis: "FILE", help: "ingest a kiosk's USB bundle", nargs: 1, run: importCmd},
	{name: "export-receipt", synopsis: "KIOSK FILE", help: "write a kiosk's signed receipt file", nargs: 2, run: exportReceiptCmd},
	{name: "provision", synopsis: "--commune CODE --name NAME --out FILE", help: "offline enrolment: a provisioning file", nargs: -1, setup: provisionCmd},
	{name: "backup", synopsis: "FILE", help: "a hot backup of the store (bbolt file)", nargs: 1, run: backupCmd},
	{name: "catalogue", synopsis: "publish FILE | list", nargs: -1, run: catalogueCmd,
		help: "publish a new service catalogue (fees, holidays, notice;\nkiosks get it on their next sync), or list the one in force\nand every published version"},
}

// enrolFlags are the flags of enrol-code and provision.
type enrolFlags struct{ commune, name, publicURL *string }

func addEnrolFlags(fs *flag.FlagSet) enrolFlags {
	return enrolFlags{
		commune:   fs.String("commune", "", "commune/ward code the kiosk serves (e.g. 00004)"),
		name:      fs.String("name", "", "its name, for display (e.g. \""+demoCommuneName+"\")"),
		publicURL: fs.String("city-url", "", "the city's address as the kiosk should reach it (optional; enrol-code then also prints the text of an enrolment QR code)"),
	}
}

func (f enrolFlags) request() []byte {
	return jsonBody(city.EnrolCodeRequest{Commune: *f.commune, CommuneName: *f.name, CityURL: *f.publicURL})
}

func enrolCodeCmd(fs *flag.FlagSet) func(x *clientRun) error {
	f := addEnrolFlags(fs)
	return func(x *clientRun) error {
		if *f.commune == "" {
			return errors.New("enrol-code needs --commune")
		}
		var resp city.EnrolCodeResponse
		if err := x.c.call("POST", "/v1/operator/enrol-codes", f.request(), &resp); err != nil {
			return err
		}
		fmt.Fprintf(x.stdout, "%s\n", resp.Code)
		if resp.QR != "" {
			fmt.Fprintf(x.stderr, "Enrolment QR text (for a QR code the staff screen scans): %s\n", resp.QR)
		}
		fmt.Fprintf(x.stderr, "One-time enrolment code for %s %s, valid until %s. Type it on the kiosk's staff screen.\n", resp.Commune, resp.CommuneName, resp.ExpiresAt.Format(time.RFC3339))
		return nil
	}
}

func kiosksCmd(x *clientRun) error {
	var ks []city.KioskView
	if err := x.c.call("GET", "/v1/operator/kiosks", nil, &ks); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(x.stdout, 2, 4, 2, ' ', 0)
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
}

func revokeCmd(x *clientRun) error {
	if err := x.c.call("POST", "/v1/operator/kiosks/"+x.args[0]+"/revoke", nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(x.stdout, "revoked %s\n", x.args[0])
	return nil
}

func resetClockCmd(x *clientRun) error {
	if err := x.c.call("POST", "/v1/operator/kiosks/"+x.args[0]+"/reset-clock", nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(x.stdout, "reset the clock state of %s: its next signed call is accepted whatever its clock says\n", x.args[0])
	return nil
}

func importCmd(x *clientRun) error {
	data, err := os.ReadFile(x.args[0])
	if err != nil {
		return err
	}
	var resp syncproto.PushResponse
	if err := x.c.call("POST", "/v1/operator/import", data, &resp); err != nil {
		return err
	}
	counts := map[syncproto.Outcome]int{}
	for _, r := range resp.Results {
		counts[r.Outcome]++
	}
	fmt.Fprintf(x.stdout, "imported %d items: %d accepted, %d duplicate, %d rejected, %d conflict\n", len(resp.Results),
		counts[syncproto.Accepted], counts[syncproto.Duplicate], counts[syncproto.Rejected], counts[syncproto.Conflict])
	for _, r := range resp.Results {
		if r.Outcome == syncproto.Rejected || r.Outcome == syncproto.Conflict {
			fmt.Fprintf(x.stdout, "  %s seq %d %s: %s\n", r.RequestID, r.Seq, r.Outcome, r.Reason)
		}
	}
	return nil
}

func exportReceiptCmd(x *clientRun) error {
	data, err := x.c.raw("GET", "/v1/operator/kiosks/"+x.args[0]+"/receipt", nil)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(x.args[1], data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(x.stdout, "wrote the receipt file of %s to %s\n", x.args[0], x.args[1])
	return nil
}

func backupCmd(x *clientRun) error {
	data, err := x.c.raw("GET", "/v1/operator/backup", nil)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(x.args[0], data, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(x.stdout, "wrote a backup of the store (%d bytes) to %s\n", len(data), x.args[0])
	return nil
}

func catalogueCmd(x *clientRun) error {
	return catalogueCommand(x.c, x.args, x.stdout, x.usage)
}

func provisionCmd(fs *flag.FlagSet) func(x *clientRun) error {
	f := addEnrolFlags(fs)
	out := fs.String("out", "", "where to write the provisioning file (a USB drive)")
	return func(x *clientRun) error {
		if *f.commune == "" || *out == "" {
			return errors.New("provision needs --commune and --out")
		}
		data, h, err := x.c.rawH("POST", "/v1/operator/provision", f.request())
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
		fmt.Fprintf(x.stdout, "wrote the provisioning file of kiosk %s (number %d, %s) to %s\n", p.Enrol.KioskID, p.Enrol.Number, p.Enrol.Commune, *out)
		fmt.Fprintf(x.stdout, "code: %s\n", code)
		fmt.Fprintln(x.stderr, "Hand the code over apart from the drive (on paper, by phone): staff type it on the kiosk when they import the file, and the kiosk refuses a file that does not match it.")
		fmt.Fprintln(x.stderr, "The file holds the kiosk's private key: delete it from the drive once the kiosk has imported it.")
		return nil
	}
}
