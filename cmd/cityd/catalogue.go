package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"communekiosk/city"
)

// catalogueCommand runs "cityd catalogue publish FILE" and "cityd
// catalogue list" against a running cityd. The server checks a published
// file with the kiosk's own catalogue checks and refuses a version that is
// not newer than the one in force.
func catalogueCommand(c *opClient, rest []string, stdout io.Writer, usage func() error) error {
	switch {
	case len(rest) == 2 && rest[0] == "publish":
		doc, err := os.ReadFile(rest[1])
		if err != nil {
			return err
		}
		var pc city.PublishedCatalogue
		if err := c.call("POST", "/v1/operator/catalogue", doc, &pc); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "published catalogue %s (notice %s, sha256 %s); kiosks get it on their next sync\n", pc.Version, pc.NoticeVersion, pc.SHA256)
		return nil
	case len(rest) == 1 && rest[0] == "list":
		var hist struct {
			Current       string                    `json:"current"`
			NoticeVersion string                    `json:"notice_version"`
			Published     []city.PublishedCatalogue `json:"published"`
		}
		if err := c.call("GET", "/v1/operator/catalogue", nil, &hist); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "in force: %s (notice %s)\n", hist.Current, hist.NoticeVersion)
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tNOTICE\tPUBLISHED\tBY\tSHA256")
		for _, p := range hist.Published {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Version, p.NoticeVersion, p.PublishedAt.Format(time.RFC3339), p.PublishedBy, p.SHA256)
		}
		return tw.Flush()
	}
	return usage()
}
