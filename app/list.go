package app

import (
	"fmt"
	"io"
	"text/tabwriter"

	"communekiosk/kiosk/kioskdb"
)

// List writes the plaintext index of the latest requests (newest last):
// code, state, city status, service, time. It shows no personal data.
func (n *Node) List(w io.Writer, limit int) error {
	entries, err := n.db.Audit(1 << 30) // newest first
	if err != nil {
		return err
	}
	var recs []kioskdb.Record
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Action != kioskdb.AuditSubmit {
			continue
		}
		r, err := n.db.LookupID(e.RequestID)
		if err != nil {
			return fmt.Errorf("app: list %s: %w", e.Code, err)
		}
		recs = append(recs, r)
	}
	if limit > 0 && len(recs) > limit {
		recs = recs[len(recs)-limit:]
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tSTATE\tSTATUS\tSERVICE\tCREATED")
	for _, r := range recs {
		st := r.Status
		if st == "" {
			st = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Code, r.State, st, r.Service, r.CreatedAt.UTC().Format("2006-01-02 15:04:05Z"))
	}
	return tw.Flush()
}
