package app

import (
	"errors"
	"time"

	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// Lookup is the facade of "look up my request".
type Lookup struct {
	n     *Node
	facts lookupFacts
}

// LookupQuery is what the citizen gives to look a request up: the code on
// the receipt and, to see more than "found", the last 4 digits of the
// requester's personal ID number.
type LookupQuery struct {
	Code    string `json:"code"`
	IDLast4 string `json:"id_last4,omitempty"`
}

// StatusView is what the citizen sees of a request: no personal data.
type StatusView struct {
	Found bool   `json:"found"`
	Code  string `json:"code"`
	// NeedIDLast4: found, but nothing more is shown until the last 4
	// digits of the personal ID are given; IDLast4Wrong: they were given
	// and do not match; AskStaff: the kiosk cannot check them (a request
	// from before they were kept), so only staff can show it.
	NeedIDLast4  bool `json:"need_id_last4,omitempty"`
	IDLast4Wrong bool `json:"id_last4_wrong,omitempty"`
	AskStaff     bool `json:"ask_staff,omitempty"`
	// Source is "city" when the answer comes from the city (a request
	// made at another kiosk); Offline: the city could not be reached, the
	// text says so.
	Source          string           `json:"source,omitempty"`
	Offline         bool             `json:"offline,omitempty"`
	ServiceName     kiosk.Text       `json:"service_name"`
	State           string           `json:"state"` // queued, sent, quarantined
	Status          syncproto.Status `json:"status,omitempty"`
	StatusText      Message          `json:"status_text"`
	StatusNote      string           `json:"status_note,omitempty"`
	StatusChangedAt time.Time        `json:"status_changed_at,omitzero"`
	CreatedAt       time.Time        `json:"created_at,omitzero"`
	ReceivedAt      time.Time        `json:"received_at,omitzero"`
}

// Status finds a request by its code (typed or scanned; case and
// separators do not matter). Without the right last 4 digits of the
// requester's personal ID it says only whether the code was found.
func (l *Lookup) Status(q LookupQuery) (StatusView, error) {
	code := q.Code
	if _, _, err := kiosk.ParseReceiptCode(code); err != nil {
		e := newError(CodeBadInput, msg("lookup_code_invalid"), err)
		return StatusView{}, e
	}
	rec, err := l.n.db.Lookup(code)
	if errors.Is(err, kioskdb.ErrNotFound) {
		// Made at another kiosk, perhaps: the city knows.
		if canon, err := kiosk.FormatReceiptCode(code); err == nil {
			code = canon
		}
		return l.atCity(code, q.IDLast4)
	}
	if err != nil {
		return StatusView{}, err
	}
	if !isLast4(q.IDLast4) {
		return StatusView{Found: true, Code: rec.Code, NeedIDLast4: true}, nil
	}
	switch ok, err := l.facts.check(l.n.db, rec.Code, q.IDLast4, l.n.now()); {
	case err != nil:
		return StatusView{}, err
	case ok == factWrong:
		return StatusView{Found: true, Code: rec.Code, NeedIDLast4: true, IDLast4Wrong: true}, nil
	case ok == factMissing:
		return StatusView{Found: true, Code: rec.Code, AskStaff: true}, nil
	}
	v := StatusView{
		Found:           true,
		Code:            rec.Code,
		State:           rec.State,
		Status:          rec.Status,
		StatusNote:      rec.StatusNote,
		StatusChangedAt: rec.StatusChangedAt,
		CreatedAt:       rec.CreatedAt,
		ReceivedAt:      rec.ReceivedAt,
	}
	if svc, ok := l.n.catalogue().Service(rec.Service); ok {
		v.ServiceName = svc.Name
	}
	v.StatusText = statusText(rec)
	return v, nil
}

// statusText says in plain words where the request is: by its status at
// the city, else by where it is on this kiosk (the UI words each key,
// status_<status> and state_<state>).
func statusText(rec kioskdb.Record) Message {
	switch rec.Status {
	case syncproto.StatusReceived, syncproto.StatusAccepted, syncproto.StatusNeedsSupplement, syncproto.StatusNotAccepted,
		syncproto.StatusRefused, syncproto.StatusWithdrawn, syncproto.StatusProcessing, syncproto.StatusReady,
		syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusDone, syncproto.StatusRejected:
		return msg("status_" + string(rec.Status))
	}
	switch rec.State {
	case kioskdb.StateQuarantined, kioskdb.StateSent:
		return msg("state_" + rec.State)
	}
	return msg("state_queued")
}

func isLast4(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
