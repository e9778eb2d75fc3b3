package kiosk

import (
	"bytes"
	_ "embed"
	"fmt"
)

// Form kinds: how the kiosk handles a service.
const (
	FormExtractCopy   = "extract_copy"   // copy of a civil-status extract (2.000635)
	FormMaritalStatus = "marital_status" // marital-status confirmation (1.004873)
	FormCounter       = "counter"        // no form yet: bring documents to the counter
)

// Field kinds the UI knows how to render.
const (
	KindText       = "text"
	KindName       = "name"
	KindPersonalID = "personal_id"
	KindPhone      = "phone"
	KindDate       = "date"
	KindSelect     = "select"
	KindNumber     = "number"
	KindAddress    = "address"
	KindOffice     = "office"
	KindCheckbox   = "checkbox"
	KindTextarea   = "textarea"
)

// Step IDs of the request forms. They are stable: the UI and the city rely
// on them.
const (
	StepRequester = "requester"
	StepRecord    = "record"
	StepDelivery  = "delivery"
	StepReview    = "review" // consent; not a catalogue step
)

// Catalogue is the versioned list of services, fee rules, waivers and option
// lists. It is data: the kiosk embeds one (DefaultCatalogue) and the city
// may send newer ones (ParseCatalogue). The whole value marshals to JSON for
// the UI, which renders its screens from it. Nothing in this package
// modifies a Catalogue, so one may be read from many goroutines; replace it
// as a whole rather than editing it in place.
type Catalogue struct {
	Version       string              `json:"version"`
	NoticeVersion string              `json:"notice_version"`
	Notice        Text                `json:"notice"`
	Purposes      []Purpose           `json:"purposes"`
	Services      []Service           `json:"services"`
	Fees          []FeeRule           `json:"fees"`
	Waivers       []Waiver            `json:"waivers"`
	Postage       Postage             `json:"postage"`
	OptionLists   map[string][]Option `json:"option_lists"`
	// Holidays are public holidays and compensatory days off (YYYY-MM-DD)
	// on which offices are closed; the city adds each year's Tết and
	// compensatory days as the government announces them.
	Holidays []string `json:"holidays,omitempty"`
	// OfficeHours are the commune hall's opening hours on working days
	// (DefaultOfficeHours when absent).
	OfficeHours *OfficeHours `json:"office_hours,omitempty"`
}

// Purpose is one purpose of personal-data processing the citizen is asked
// to accept. Required purposes must be accepted to submit; optional ones
// are separate, unticked choices.
type Purpose struct {
	ID       string `json:"id"`
	Label    Text   `json:"label"`
	Required bool   `json:"required"`
}

// Service is one service offered at the kiosk.
type Service struct {
	ID             string `json:"id"`
	Procedure      string `json:"procedure"` // national procedure code, e.g. 2.000635
	Level          int    `json:"level"`
	Form           string `json:"form"`
	Event          string `json:"event,omitempty"`
	Name           Text   `json:"name"`
	Summary        Text   `json:"summary"`
	Processing     Text   `json:"processing"`
	ProcessingDays int    `json:"processing_days"` // working days
	Fee            string `json:"fee"`             // fee rule ID
	Documents      Text   `json:"documents,omitzero"`
	Steps          []Step `json:"steps,omitempty"`
}

// Step is one screen of a service's form.
type Step struct {
	ID     string  `json:"id"`
	Title  Text    `json:"title"`
	Fields []Field `json:"fields"`
}

// Field is one input. ID is a dotted path into Request's JSON
// ("requester.full_name", "extra.digital_citizen").
type Field struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Label    Text   `json:"label"`
	Help     Text   `json:"help,omitzero"`
	Required bool   `json:"required"`
	Options  string `json:"options,omitempty"` // option list name, for select
	Default  string `json:"default,omitempty"`
}

// FeeRule is an amount in force between two dates (inclusive, in
// Asia/Ho_Chi_Minh; ValidTo empty means open-ended).
type FeeRule struct {
	ID        string `json:"id"`
	AmountVND int64  `json:"amount_vnd"`
	Per       string `json:"per"` // copy, request, counter (told at the counter)
	Basis     Text   `json:"basis"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
}

// Fee units.
const (
	PerCopy    = "copy"
	PerRequest = "request"
	PerCounter = "counter"
)

// Waiver sets a fee to zero between two dates for requests that meet a
// condition, which the citizen states in Field (a checkbox, "true").
type Waiver struct {
	ID        string `json:"id"`
	Fee       string `json:"fee"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
	Condition Text   `json:"condition"`
	Basis     Text   `json:"basis,omitzero"`
	Field     string `json:"field"`
}

// Postage is the postal return charge for delivery by post.
type Postage struct {
	TariffVND int64 `json:"tariff_vnd"` // 0: paid on delivery
	Text      Text  `json:"text"`
}

// Option is one choice of an option list.
type Option struct {
	ID    string `json:"id"`
	Label Text   `json:"label"`
	Close bool   `json:"close,omitempty"` // relations: a close relative
}

//go:embed catalogue.json
var defaultCatalogueJSON []byte

// DefaultCatalogueDocument returns the JSON document of the catalogue
// embedded in this build (a copy).
func DefaultCatalogueDocument() []byte { return bytes.Clone(defaultCatalogueJSON) }

// DefaultCatalogue returns the catalogue embedded in this build. Each call
// returns a fresh copy.
func DefaultCatalogue() (*Catalogue, error) {
	c, err := ParseCatalogue(defaultCatalogueJSON)
	if err != nil {
		return nil, fmt.Errorf("kiosk: embedded catalogue: %w", err)
	}
	return c, nil
}

// Service returns the service with the given ID; a nil catalogue has none.
func (c *Catalogue) Service(id string) (Service, bool) {
	if c == nil {
		return Service{}, false
	}
	for _, s := range c.Services {
		if s.ID == id {
			return s, true
		}
	}
	return Service{}, false
}

// Options returns the option list with the given name.
func (c *Catalogue) Options(list string) []Option {
	return c.OptionLists[list]
}

// Option returns the option with the given ID in the named list.
func (c *Catalogue) Option(list, id string) (Option, bool) {
	for _, o := range c.OptionLists[list] {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// Field returns the field with the given ID in the service's steps, and the
// ID of its step.
func (s Service) Field(id string) (Field, string, bool) {
	for _, st := range s.Steps {
		for _, f := range st.Fields {
			if f.ID == id {
				return f, st.ID, true
			}
		}
	}
	return Field{}, "", false
}
