package app

import (
	"errors"
	"time"

	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// Requests is the facade of the citizen's request flow.
type Requests struct{ n *Node }

// Catalogue returns the services, their steps and fields, fees and option
// lists the UI renders.
func (r *Requests) Catalogue() (*kiosk.Catalogue, error) {
	return r.n.catalogue(), nil
}

// Provinces lists the 34 provinces, Hanoi first.
func (r *Requests) Provinces() ([]kiosk.Unit, error) {
	return kiosk.Provinces(), nil
}

// Communes lists the communes and wards of a province.
func (r *Requests) Communes(province string) ([]kiosk.Unit, error) {
	return kiosk.Communes(province), nil
}

// Validate checks the draft; step limits the check to one step's fields
// ("" checks everything).
func (r *Requests) Validate(draft kiosk.Request, step string) ([]kiosk.Problem, error) {
	if step == "" {
		return nonNil(kiosk.Validate(draft, r.n.catalogue(), r.n.now())), nil
	}
	return nonNil(kiosk.ValidateStep(draft, r.n.catalogue(), step, r.n.now())), nil
}

// Quote returns the fee lines of the draft.
func (r *Requests) Quote(draft kiosk.Request) (kiosk.FeeQuote, error) {
	return kiosk.Quote(draft, r.n.catalogue(), r.n.now()), nil
}

// ReceiptView is what the receipt screen shows and prints.
type ReceiptView struct {
	Code           string         `json:"code"`
	RequestID      string         `json:"request_id"`
	Service        string         `json:"service"`
	ServiceName    kiosk.Text     `json:"service_name"`
	Copies         int            `json:"copies"`
	Quote          kiosk.FeeQuote `json:"quote"`
	DeliveryMethod string         `json:"delivery_method"`
	ExpectedDate   string         `json:"expected_date"` // YYYY-MM-DD, Asia/Ho_Chi_Minh
	CreatedAt      time.Time      `json:"created_at"`
	NoticeVersion  string         `json:"notice_version"`
	// Purposes are the processing purposes the citizen accepted (IDs of
	// the catalogue's purposes), named on the receipt.
	Purposes    []string `json:"purposes"`
	CommuneName string   `json:"commune_name"`
	Sent        bool     `json:"sent"`
	// TermsUnknown: a reprint of a request stored before the kiosk kept
	// the notice, purposes and fee claims with it; the fee shown leaves
	// any waiver out and the notice version is not known.
	TermsUnknown bool    `json:"terms_unknown,omitempty"`
	Note         Message `json:"note,omitzero"`
}

// Submit validates the draft and, when it has no errors, stores it. The
// receipt comes back only after the store committed it to disk.
func (r *Requests) Submit(draft kiosk.Request) (ReceiptView, error) {
	n := r.n
	id, err := n.db.Identity()
	if errors.Is(err, kioskdb.ErrNotEnrolled) {
		return ReceiptView{}, errNotReady()
	} else if err != nil {
		return ReceiptView{}, err
	}
	if d := n.db.Disk(); d.Low() {
		n.log.Error("Submit refused: disk too full", "free_bytes", d.Free, "floor_bytes", d.Floor)
		return ReceiptView{}, errDiskFull(kioskdb.ErrDiskFull)
	}
	cat := n.catalogue()
	now := n.now()
	// The consent is accepted on the review screen and submitted with it:
	// the node's clock stamps it, not the page's (a tablet on the kiosk's
	// network has a clock of its own), so the city can read it against the
	// times this kiosk signs with (docs/protocol.md §6).
	draft.Consent.AcceptedAt = now.UTC()
	draft = kiosk.NormalizeRequest(draft, cat)
	if probs := kiosk.Validate(draft, cat, now); kiosk.HasErrors(probs) {
		e := newError(CodeValidation, msg("validation"), nil)
		e.Problems = probs
		return ReceiptView{}, e
	}
	// The city checks the request with the catalogue and quote used here.
	draft.CatalogueVersion, draft.QuotedVND = cat.Version, kiosk.Quote(draft, cat, now).TotalVND
	// The fee and the expected date follow the city's clock when the
	// kiosk knows how far off its own is.
	dated := n.cityTime(now)
	rc, err := n.db.Submit(draft, now, kioskdb.DatedAt(dated))
	if errors.Is(err, kioskdb.ErrDiskFull) {
		n.log.Error("Submit failed: disk too full", "service", draft.Service, "err", err)
		return ReceiptView{}, errDiskFull(err)
	} else if err != nil {
		n.log.Error("Submit failed", "service", draft.Service, "err", err)
		return ReceiptView{}, err
	}
	n.log.Info("Request saved", "code", rc.Code, "request_id", rc.RequestID, "service", draft.Service)
	if err := n.Lookup.facts.remember(n.db, rc.Code, draft.Requester.PersonalID); err != nil {
		// The request is stored; only its lookup by the citizen needs staff now.
		n.log.Error("Lookup fact not stored", "code", rc.Code, "err", err)
	}
	n.sync.poke()
	v := receiptView(cat, id, draft, rc, dated)
	n.recent.put(v, draft.Consent.Purposes)
	return v, nil
}

// receiptView is the receipt of a stored request; dated is the time its
// fee and expected date are reckoned from.
func receiptView(cat *kiosk.Catalogue, id syncproto.Identity, req kiosk.Request, rc kioskdb.Receipt, dated time.Time) ReceiptView {
	v := ReceiptView{
		Code:           rc.Code,
		RequestID:      rc.RequestID,
		Service:        req.Service,
		Copies:         req.Copies,
		Quote:          kiosk.Quote(req, cat, dated),
		DeliveryMethod: req.Delivery.Method,
		CreatedAt:      rc.CreatedAt,
		NoticeVersion:  req.Consent.NoticeVersion,
		Purposes:       nonNil(req.Consent.Purposes),
		CommuneName:    id.CommuneName,
	}
	if svc, ok := cat.Service(req.Service); ok {
		v.ServiceName = svc.Name
		v.ExpectedDate = kiosk.LocalDate(cat.ExpectedDate(svc, dated))
	}
	return v
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func errNotReady() *Error {
	return newError(CodeNotReady, msg("not_ready"), nil)
}
