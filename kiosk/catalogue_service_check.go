package kiosk

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
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
