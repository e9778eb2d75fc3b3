package app

import (
	"testing"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// TestEveryCityStatusHasWords: each status the city can send has its own
// plain Vietnamese and English, not the generic "sent" text.
func TestEveryCityStatusHasWords(t *testing.T) {
	generic := words(t, statusText(kioskdb.Record{State: "sent"}))
	seen := map[string]string{}
	for _, st := range []syncproto.Status{syncproto.StatusReceived, syncproto.StatusAccepted, syncproto.StatusProcessing,
		syncproto.StatusNeedsSupplement, syncproto.StatusReady, syncproto.StatusPosted, syncproto.StatusPickedUp,
		syncproto.StatusDone, syncproto.StatusNotAccepted, syncproto.StatusRefused, syncproto.StatusWithdrawn, syncproto.StatusRejected} {
		got := words(t, statusText(kioskdb.Record{State: "sent", Status: st}))
		if got.VI == "" || got.EN == "" || got == generic {
			t.Errorf("%s: %+v", st, got)
		}
		if other, dup := seen[got.VI]; dup {
			t.Errorf("%s and %s say the same: %q", st, other, got.VI)
		}
		seen[got.VI] = string(st)
	}
}
