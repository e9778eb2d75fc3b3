package city

import "communekiosk/sync/syncproto"

// moves lists the allowed status changes: received → processing → ready →
// sent_by_post / picked_up → done, and rejected from any open status.
var moves = map[syncproto.Status][]syncproto.Status{
	syncproto.StatusReceived:   {syncproto.StatusProcessing, syncproto.StatusRejected},
	syncproto.StatusProcessing: {syncproto.StatusReady, syncproto.StatusRejected},
	syncproto.StatusReady:      {syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusRejected},
	syncproto.StatusPosted:     {syncproto.StatusDone},
	syncproto.StatusPickedUp:   {syncproto.StatusDone},
}

// CanMove reports whether a request may go from one status to another.
func CanMove(from, to syncproto.Status) bool {
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}
