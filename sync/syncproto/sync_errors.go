package syncproto

// Codes of a failed sync, as the kiosk's sync engine names them: a
// heartbeat carries the last one (Heartbeat.LastError), and the kiosk's
// staff screen shows it. The set is stable and its words are kept by
// whoever shows them (the kiosk's UI, the city's fleet page), never sent:
// a reader shows a code it does not know as it is.
const (
	SyncUnreachable  = "unreachable"  // no answer from the city: the network, DNS, a refused connection
	SyncTimeout      = "timeout"      // the city did not answer in time
	SyncNotCity      = "not_city"     // an answer that is not the city's (a captive portal's page)
	SyncServerError  = "server_error" // a 5xx from the city
	SyncBusy         = "busy"         // 429 (or 503 with Retry-After): come back later
	SyncTooLarge     = "too_large"    // 413 for a request within the city's own limit: a proxy in between
	SyncUnauthorized = "unauthorized" // 401/403: the kiosk must be enrolled again, or was revoked
	SyncReplay       = "replay"       // 401 replay: the kiosk's clock went back; the operator resets it
	SyncNotEnrolled  = "not_enrolled" // the kiosk has no identity yet
	SyncRefused      = "refused"      // another refusal of the call (a 4xx with our envelope, a 413 on a pull)
	SyncProtocol     = "protocol"     // an answer that breaks the protocol
	SyncStore        = "store"        // the kiosk's own store failed
	SyncCancelled    = "cancelled"    // the sync was stopped (the kiosk shut down)
)

// SyncErrorCodes returns every code of a failed sync, in the order above.
func SyncErrorCodes() []string {
	return []string{SyncUnreachable, SyncTimeout, SyncNotCity, SyncServerError, SyncBusy, SyncTooLarge,
		SyncUnauthorized, SyncReplay, SyncNotEnrolled, SyncRefused, SyncProtocol, SyncStore, SyncCancelled}
}
