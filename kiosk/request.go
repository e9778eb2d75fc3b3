package kiosk

import "time"

// Request is what a citizen asks for at the kiosk: the fields of the paper
// form of TT 04/2020/TT-BTP and of the portal's e-form. It is the payload
// that is sealed to the city's key; only the city reads it whole.
//
// The JSON names are part of the contract with the UI (app) and the city.
type Request struct {
	Service   string    `json:"service"`   // catalogue service ID, e.g. "birth_extract_copy"
	Requester Requester `json:"requester"` // who asks
	Subject   Person    `json:"subject"`   // the person on the record
	Event     string    `json:"event"`     // event type: birth, death, marriage, ...
	Register  Register  `json:"register"`  // where and when the event was registered
	Copies    int       `json:"copies"`    // 1–10
	Delivery  Delivery  `json:"delivery"`
	Consent   Consent   `json:"consent"`
	// Purpose is free text some services ask for (e.g. marital-status
	// confirmation: "to register a marriage").
	Purpose string `json:"purpose,omitempty"`
	// Extra holds answers to catalogue-defined fields that have no typed
	// place above, keyed by field ID.
	Extra map[string]string `json:"extra,omitempty"`
	// CatalogueVersion and QuotedVND are set by the kiosk when it stores
	// the request: the catalogue it checked and priced the request with,
	// and the total it quoted (FeeQuote.TotalVND). The city checks the
	// request with that catalogue and the same quote, so a fee changed at
	// the city never turns a request made before the kiosk heard of it
	// into a rejected one. Empty on requests from older kiosks.
	CatalogueVersion string `json:"catalogue_version,omitempty"`
	QuotedVND        int64  `json:"quoted_vnd,omitempty"`
}

// Requester is the citizen making the request.
type Requester struct {
	FullName   string  `json:"full_name"`
	PersonalID string  `json:"personal_id"` // 12-digit số định danh cá nhân
	Phone      string  `json:"phone"`
	Residence  Address `json:"residence"`
	// Relation to the person on the record: self, parent, child, spouse,
	// sibling, grandparent, grandchild, guardian, authorised, other.
	Relation string `json:"relation"`
	// Authorisation describes the written authorisation when the requester
	// is not the person on the record nor a close relative.
	Authorisation string `json:"authorisation,omitempty"`
	// BirthDate and Sex come from the ID-card QR when scanned; they let the
	// personal ID number be cross-checked.
	BirthDate string `json:"birth_date,omitempty"` // YYYY-MM-DD
	Sex       string `json:"sex,omitempty"`        // male, female
}

// Person is the person on the civil-status record.
type Person struct {
	FullName    string `json:"full_name"`
	BirthDate   string `json:"birth_date"` // YYYY-MM-DD
	Sex         string `json:"sex"`        // male, female
	Ethnicity   string `json:"ethnicity"`
	Nationality string `json:"nationality"`
	PersonalID  string `json:"personal_id,omitempty"`
	// Spouse is the other party of a marriage record.
	SpouseName string `json:"spouse_name,omitempty"`
}

// Register identifies the registration of the event.
type Register struct {
	// Office is the commune/ward code of one of Hanoi's communes, or empty
	// when OfficeText names an older unit as free text.
	Office     string `json:"office,omitempty"`
	OfficeText string `json:"office_text,omitempty"`
	Date       string `json:"date,omitempty"`   // YYYY-MM-DD
	Number     string `json:"number,omitempty"` // số đăng ký
	Book       string `json:"book,omitempty"`   // quyển số
}

// Address is a two-level address (province, commune/ward, street line).
type Address struct {
	Province string `json:"province"` // province code
	Commune  string `json:"commune"`  // commune/ward code
	Street   string `json:"street"`   // house number, street, hamlet
}

// Delivery says how the citizen gets the copies.
type Delivery struct {
	Method  string  `json:"method"` // pickup, post
	Address Address `json:"address,omitempty"`
	// Recipient and Phone default to the requester's when empty.
	Recipient string `json:"recipient,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

// Consent records the personal-data notice the citizen accepted.
type Consent struct {
	NoticeVersion string    `json:"notice_version"`
	Purposes      []string  `json:"purposes"`
	AcceptedAt    time.Time `json:"accepted_at"`
}
