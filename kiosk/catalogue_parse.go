package kiosk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ErrCatalogue marks a catalogue that is not well formed; decide with
// errors.Is. The message says what is wrong and where.
var ErrCatalogue = errors.New("kiosk: invalid catalogue")

// MaxCatalogueSize bounds a catalogue the city sends.
const MaxCatalogueSize = 4 << 20

var (
	catalogueVersionRE = regexp.MustCompile(`^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,4}$`)
	catalogueIDRE      = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	optionIDRE         = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$`)
	procedureRE        = regexp.MustCompile(`^[0-9]\.[0-9]{6}$`)
)

// typedFieldIDs are the dotted paths into Request's JSON a field may name;
// any "extra.<id>" is also allowed.
var typedFieldIDs = map[string]bool{
	"requester.full_name": true, "requester.personal_id": true, "requester.phone": true,
	"requester.residence": true, "requester.relation": true, "requester.authorisation": true,
	"requester.birth_date": true, "requester.sex": true,
	"subject.full_name": true, "subject.birth_date": true, "subject.sex": true,
	"subject.ethnicity": true, "subject.nationality": true, "subject.personal_id": true,
	"subject.spouse_name": true, "event": true,
	"register.office": true, "register.date": true, "register.number": true, "register.book": true,
	"copies": true, "delivery.method": true, "delivery.address": true,
	"delivery.recipient": true, "delivery.phone": true, "purpose": true,
}

// fieldKindOf pins the kind of typed fields whose value the domain reads
// in a fixed way; address and office kinds are allowed only on these.
var fieldKindOf = map[string]string{
	"requester.full_name": KindName, "subject.full_name": KindName, "subject.spouse_name": KindName,
	"requester.personal_id": KindPersonalID, "subject.personal_id": KindPersonalID,
	"requester.phone": KindPhone, "delivery.phone": KindPhone,
	"requester.residence": KindAddress, "delivery.address": KindAddress,
	"register.office":      KindOffice,
	"requester.birth_date": KindDate, "subject.birth_date": KindDate, "register.date": KindDate,
	"requester.relation": KindSelect, "requester.sex": KindSelect, "subject.sex": KindSelect,
	"delivery.method": KindSelect, "copies": KindNumber,
}

var fieldKinds = map[string]bool{
	KindText: true, KindName: true, KindPersonalID: true, KindPhone: true, KindDate: true,
	KindSelect: true, KindNumber: true, KindAddress: true, KindOffice: true,
	KindCheckbox: true, KindTextarea: true,
}

// ParseCatalogue decodes and checks a catalogue: unknown JSON fields,
// trailing data, missing texts in either language, text that is not NFC,
// unknown field kinds or paths, dangling fee, waiver and option references,
// duplicate IDs and malformed dates are all errors wrapping ErrCatalogue.
func ParseCatalogue(data []byte) (*Catalogue, error) {
	if len(data) > MaxCatalogueSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrCatalogue, len(data), MaxCatalogueSize)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrCatalogue)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Catalogue
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: decode: %w", ErrCatalogue, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the catalogue", ErrCatalogue)
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCatalogue, err)
	}
	return &c, nil
}

func checkCatText(where string, t Text) error {
	if strings.TrimSpace(t.VI) == "" || strings.TrimSpace(t.EN) == "" {
		return fmt.Errorf("%s: text missing in Vietnamese or English", where)
	}
	if !norm.NFC.IsNormalString(t.VI) || !norm.NFC.IsNormalString(t.EN) {
		return fmt.Errorf("%s: text is not NFC", where)
	}
	return nil
}

func checkOptionalText(where string, t Text) error {
	if t.IsZero() {
		return nil
	}
	return checkCatText(where, t)
}

func checkDate(where, s string, optional bool) error {
	if s == "" && optional {
		return nil
	}
	if _, err := ParseDate(s); err != nil {
		return fmt.Errorf("%s: date %q is not YYYY-MM-DD", where, s)
	}
	return nil
}

func (c *Catalogue) check() error {
	if !catalogueVersionRE.MatchString(c.Version) {
		return fmt.Errorf("version %q is not YYYY.M.N", c.Version)
	}
	if !catalogueVersionRE.MatchString(c.NoticeVersion) {
		return fmt.Errorf("notice_version %q is not YYYY.M.N", c.NoticeVersion)
	}
	if err := checkCatText("notice", c.Notice); err != nil {
		return err
	}
	required := 0
	seen := map[string]bool{}
	for i, p := range c.Purposes {
		where := fmt.Sprintf("purposes[%d]", i)
		if !catalogueIDRE.MatchString(p.ID) || seen[p.ID] {
			return fmt.Errorf("%s: bad or duplicate id %q", where, p.ID)
		}
		seen[p.ID] = true
		if err := checkCatText(where+".label", p.Label); err != nil {
			return err
		}
		if p.Required {
			required++
		}
	}
	if required == 0 {
		return errors.New("purposes: no required purpose")
	}

	for name, list := range c.OptionLists {
		if !catalogueIDRE.MatchString(name) {
			return fmt.Errorf("option_lists: bad list name %q", name)
		}
		if len(list) == 0 {
			return fmt.Errorf("option_lists.%s: empty", name)
		}
		ids := map[string]bool{}
		for i, o := range list {
			where := fmt.Sprintf("option_lists.%s[%d]", name, i)
			if !optionIDRE.MatchString(o.ID) || ids[o.ID] {
				return fmt.Errorf("%s: bad or duplicate id %q", where, o.ID)
			}
			ids[o.ID] = true
			if err := checkCatText(where+".label", o.Label); err != nil {
				return err
			}
		}
	}
	for _, need := range []string{"relations", "sex", "delivery"} {
		if len(c.OptionLists[need]) == 0 {
			return fmt.Errorf("option_lists.%s: missing", need)
		}
	}
	if _, ok := c.Option("relations", RelationSelf); !ok {
		return errors.New("option_lists.relations: no \"self\"")
	}
	for _, id := range []string{DeliveryPickup, DeliveryPost} {
		if _, ok := c.Option("delivery", id); !ok {
			return fmt.Errorf("option_lists.delivery: no %q", id)
		}
	}

	fees := map[string]bool{}
	for i, f := range c.Fees {
		where := fmt.Sprintf("fees[%d]", i)
		if !catalogueIDRE.MatchString(f.ID) {
			return fmt.Errorf("%s: bad id %q", where, f.ID)
		}
		// Several rules may share an ID (a fee that changes on a date),
		// but their periods must not overlap and their unit must agree.
		for _, g := range c.Fees[:i] {
			if g.ID == f.ID && (g.Per != f.Per || overlaps(g.ValidFrom, g.ValidTo, f.ValidFrom, f.ValidTo)) {
				return fmt.Errorf("%s: rule %q overlaps another rule with that id, or differs in per", where, f.ID)
			}
		}
		fees[f.ID] = true
		if f.AmountVND < 0 || f.AmountVND > 100_000_000 {
			return fmt.Errorf("%s: amount_vnd %d out of range", where, f.AmountVND)
		}
		switch f.Per {
		case PerCopy, PerRequest, PerCounter:
		default:
			return fmt.Errorf("%s: per %q is not copy, request or counter", where, f.Per)
		}
		if err := checkCatText(where+".basis", f.Basis); err != nil {
			return err
		}
		if err := checkPeriod(where, f.ValidFrom, f.ValidTo); err != nil {
			return err
		}
	}
	waivers := map[string]bool{}
	for i, w := range c.Waivers {
		where := fmt.Sprintf("waivers[%d]", i)
		if !catalogueIDRE.MatchString(w.ID) || waivers[w.ID] {
			return fmt.Errorf("%s: bad or duplicate id %q", where, w.ID)
		}
		waivers[w.ID] = true
		if !fees[w.Fee] {
			return fmt.Errorf("%s: unknown fee %q", where, w.Fee)
		}
		if err := checkPeriod(where, w.ValidFrom, w.ValidTo); err != nil {
			return err
		}
		if err := checkCatText(where+".condition", w.Condition); err != nil {
			return err
		}
		if err := checkOptionalText(where+".basis", w.Basis); err != nil {
			return err
		}
		if !strings.HasPrefix(w.Field, "extra.") || !catalogueIDRE.MatchString(strings.TrimPrefix(w.Field, "extra.")) {
			return fmt.Errorf("%s: field %q is not extra.<id>", where, w.Field)
		}
	}
	if c.Postage.TariffVND < 0 || c.Postage.TariffVND > 10_000_000 {
		return fmt.Errorf("postage: tariff_vnd %d out of range", c.Postage.TariffVND)
	}
	if err := checkCatText("postage.text", c.Postage.Text); err != nil {
		return err
	}

	for i, h := range c.Holidays {
		if err := checkDate(fmt.Sprintf("holidays[%d]", i), h, false); err != nil {
			return err
		}
		if i > 0 && h <= c.Holidays[i-1] {
			return fmt.Errorf("holidays[%d]: %s not after %s (keep them sorted, once each)", i, h, c.Holidays[i-1])
		}
	}
	if len(c.Services) == 0 {
		return errors.New("services: none")
	}
	services := map[string]bool{}
	for i, s := range c.Services {
		if err := c.checkService(i, s, fees); err != nil {
			return err
		}
		if services[s.ID] {
			return fmt.Errorf("services[%d]: duplicate id %q", i, s.ID)
		}
		services[s.ID] = true
	}
	return nil
}

// overlaps reports whether two periods [af, at] and [bf, bt] share a day;
// an empty end is open.
func overlaps(af, at, bf, bt string) bool {
	return (at == "" || bf <= at) && (bt == "" || af <= bt)
}

func checkPeriod(where, from, to string) error {
	if err := checkDate(where+".valid_from", from, false); err != nil {
		return err
	}
	if err := checkDate(where+".valid_to", to, true); err != nil {
		return err
	}
	if to != "" && to < from {
		return fmt.Errorf("%s: valid_to %s before valid_from %s", where, to, from)
	}
	return nil
}

func (c *Catalogue) checkService(i int, s Service, fees map[string]bool) error {
	where := fmt.Sprintf("services[%d]", i)
	if !catalogueIDRE.MatchString(s.ID) {
		return fmt.Errorf("%s: bad id %q", where, s.ID)
	}
	where = "services." + s.ID
	if !procedureRE.MatchString(s.Procedure) {
		return fmt.Errorf("%s: procedure %q is not like 2.000635", where, s.Procedure)
	}
	if s.Level < 1 || s.Level > 4 {
		return fmt.Errorf("%s: level %d not in 1–4", where, s.Level)
	}
	if s.ProcessingDays < 0 || s.ProcessingDays > 60 {
		return fmt.Errorf("%s: processing_days %d not in 0–60", where, s.ProcessingDays)
	}
	for name, t := range map[string]Text{"name": s.Name, "summary": s.Summary, "processing": s.Processing} {
		if err := checkCatText(where+"."+name, t); err != nil {
			return err
		}
	}
	if err := checkOptionalText(where+".documents", s.Documents); err != nil {
		return err
	}
	if !fees[s.Fee] {
		return fmt.Errorf("%s: unknown fee %q", where, s.Fee)
	}
	if s.Event != "" {
		if _, ok := c.Option("events", s.Event); !ok {
			return fmt.Errorf("%s: event %q not in option_lists.events", where, s.Event)
		}
	}
	switch s.Form {
	case FormCounter:
		if len(s.Steps) != 0 {
			return fmt.Errorf("%s: a counter service has no steps", where)
		}
		if s.Documents.IsZero() {
			return fmt.Errorf("%s: a counter service must say which documents to bring", where)
		}
		return nil
	case FormExtractCopy:
		if s.Event == "" {
			return fmt.Errorf("%s: an extract copy needs its event", where)
		}
	case FormMaritalStatus:
	default:
		return fmt.Errorf("%s: form %q is not extract_copy, marital_status or counter", where, s.Form)
	}
	if len(s.Steps) == 0 {
		return fmt.Errorf("%s: no steps", where)
	}
	steps := map[string]bool{}
	fields := map[string]bool{}
	for j, st := range s.Steps {
		sw := fmt.Sprintf("%s.steps[%d]", where, j)
		if !catalogueIDRE.MatchString(st.ID) || steps[st.ID] || st.ID == StepReview {
			return fmt.Errorf("%s: bad, duplicate or reserved id %q", sw, st.ID)
		}
		steps[st.ID] = true
		if err := checkCatText(sw+".title", st.Title); err != nil {
			return err
		}
		if len(st.Fields) == 0 {
			return fmt.Errorf("%s: no fields", sw)
		}
		for k, f := range st.Fields {
			fw := fmt.Sprintf("%s.fields[%d]", sw, k)
			if err := c.checkField(fw, f); err != nil {
				return err
			}
			if fields[f.ID] {
				return fmt.Errorf("%s: duplicate field %q", fw, f.ID)
			}
			fields[f.ID] = true
		}
	}
	// The fields every request form relies on.
	for _, need := range []string{"requester.full_name", "requester.personal_id", "requester.phone", "copies", "delivery.method"} {
		if !fields[need] {
			return fmt.Errorf("%s: missing field %q", where, need)
		}
	}
	return nil
}

func (c *Catalogue) checkField(where string, f Field) error {
	if !typedFieldIDs[f.ID] {
		id, ok := strings.CutPrefix(f.ID, "extra.")
		if !ok || !catalogueIDRE.MatchString(id) {
			return fmt.Errorf("%s: id %q is not a request field nor extra.<id>", where, f.ID)
		}
	}
	if !fieldKinds[f.Kind] {
		return fmt.Errorf("%s: kind %q unknown", where, f.Kind)
	}
	if want, ok := fieldKindOf[f.ID]; ok && f.Kind != want {
		return fmt.Errorf("%s: %s must be of kind %s, not %s", where, f.ID, want, f.Kind)
	}
	if (f.Kind == KindAddress || f.Kind == KindOffice) && fieldKindOf[f.ID] != f.Kind {
		return fmt.Errorf("%s: kind %s is only for %s", where, f.Kind, map[string]string{
			KindAddress: "requester.residence and delivery.address", KindOffice: "register.office"}[f.Kind])
	}
	if f.ID == "requester.relation" && f.Options != "relations" || f.ID == "delivery.method" && f.Options != "delivery" {
		return fmt.Errorf("%s: %s must use the option list %q", where, f.ID, map[string]string{
			"requester.relation": "relations", "delivery.method": "delivery"}[f.ID])
	}
	if err := checkCatText(where+".label", f.Label); err != nil {
		return err
	}
	if err := checkOptionalText(where+".help", f.Help); err != nil {
		return err
	}
	if f.Kind == KindSelect {
		if len(c.OptionLists[f.Options]) == 0 {
			return fmt.Errorf("%s: options %q is not an option list", where, f.Options)
		}
	} else if f.Options != "" {
		return fmt.Errorf("%s: options on a %s field", where, f.Kind)
	}
	if !norm.NFC.IsNormalString(f.Default) || len(f.Default) > 200 {
		return fmt.Errorf("%s: bad default", where)
	}
	if f.Default != "" && f.Kind == KindSelect {
		if _, ok := c.Option(f.Options, f.Default); !ok {
			return fmt.Errorf("%s: default %q is not in option list %q", where, f.Default, f.Options)
		}
	}
	return nil
}
