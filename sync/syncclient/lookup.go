package syncclient

import (
	"context"
	"fmt"

	"communekiosk/sync/syncproto"
)

// Lookup asks the city about a request made at another kiosk: its code
// and the last four digits of the requester's personal ID number. The
// answer holds the status and dates, or Found false; errors are those of
// any signed call (a syncproto.TransientError when the city cannot be reached).
func (c *Client) Lookup(ctx context.Context, code, idLast4 string) (syncproto.LookupResponse, error) {
	id, err := c.identity()
	if err != nil {
		return syncproto.LookupResponse{}, fmt.Errorf("syncclient: lookup: %w", err)
	}
	var resp syncproto.LookupResponse
	err = c.call(ctx, "lookup", syncproto.PathLookup, syncproto.LookupRequest{Version: syncproto.Version, KioskID: id.KioskID, Code: code, IDLast4: idLast4},
		func(b []byte) (err error) {
			resp, err = syncproto.DecodeLookupResponse(b)
			return err
		})
	return resp, err
}
