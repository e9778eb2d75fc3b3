package kiosk

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of free-text fields, in characters.
const (
	maxTextLen     = 200
	maxTextareaLen = 1000
	// MaxCopies is the most copies one request may ask for.
	MaxCopies = 10
)

// Validate checks a whole request against its service in the catalogue and
// returns every problem found, errors and warnings, in the order of the
// form (steps, then consent). An empty result means the request may be
// submitted; so does a result with warnings only (see HasErrors). now is
// the kiosk's clock; dates are compared in Asia/Ho_Chi_Minh.
//
// Validate reads req as given; strings are checked in their NFC form, so
// decomposed input passes, but nothing is rewritten (see NormalizeRequest).
func Validate(req Request, cat *Catalogue, now time.Time) []Problem {
	return ValidateWith(req, cat, now, ValidateOptions{})
}

// ValidateOptions adjusts Validate for the city, which checks requests made
// on kiosks that may still run an older catalogue. The zero value is what
// the kiosk uses.
type ValidateOptions struct {
	// NoticeVersions are older consent-notice versions still accepted
	// besides the catalogue's own.
	NoticeVersions []string
}

// ValidateWith is Validate with options.
func ValidateWith(req Request, cat *Catalogue, now time.Time, opts ValidateOptions) []Problem {
	svc, ps := requestService(req, cat)
	if ps != nil {
		return ps
	}
	var out []Problem
	if svc.Event != "" && req.Event != "" && req.Event != svc.Event {
		out = append(out, problem("event", "event_mismatch", SeverityError, labelEvent))
	}
	for _, st := range svc.Steps {
		out = append(out, validateStep(req, cat, svc, st, now)...)
	}
	out = append(out, validateUnlisted(req, svc)...)
	return append(out, validateConsent(req, cat, opts.NoticeVersions)...)
}

// validateUnlisted bounds what the service's form does not ask for, so a
// request cannot carry unchecked data to the city: answers in Extra to
// fields the service does not have are refused, and typed fields outside
// the form may not exceed the textarea limit.
func validateUnlisted(req Request, svc Service) []Problem {
	listed := make(map[string]bool, 32)
	for _, st := range svc.Steps {
		for _, f := range st.Fields {
			listed[f.ID] = true
		}
	}
	var out []Problem
	if len(req.Extra) > 0 {
		for _, k := range slices.Sorted(maps.Keys(req.Extra)) {
			id := "extra." + k
			if !listed[id] && req.Extra[k] != "" {
				out = append(out, problem(id, "field_unknown", SeverityError, labelUnlisted))
			}
		}
	}
	for _, id := range typedFieldList {
		if !listed[id] && len(fieldValue(req, id)) > maxTextareaLen && utf8.RuneCountInString(fieldValue(req, id)) > maxTextareaLen {
			out = append(out, problem(id, "text_length", SeverityError, labelUnlisted, maxTextareaLen))
		}
	}
	return out
}

// typedFieldList is typedFieldIDs in order, for deterministic output.
var typedFieldList = slices.Sorted(maps.Keys(typedFieldIDs))

// ValidateStep checks only the fields of one step of the request's service
// (its catalogue step ID, or "review" for the consent), so the UI can stop
// the citizen at the screen where a problem is.
func ValidateStep(req Request, cat *Catalogue, stepID string, now time.Time) []Problem {
	svc, ps := requestService(req, cat)
	if ps != nil {
		return ps
	}
	if stepID == StepReview {
		return validateConsent(req, cat, nil)
	}
	for _, st := range svc.Steps {
		if st.ID == stepID {
			return validateStep(req, cat, svc, st, now)
		}
	}
	return []Problem{problem("step", "step_unknown", SeverityError, labelStep)}
}

func requestService(req Request, cat *Catalogue) (Service, []Problem) {
	svc, ok := cat.Service(req.Service)
	if !ok {
		return Service{}, []Problem{problem("service", "service_unknown", SeverityError, labelService)}
	}
	if svc.Form == FormCounter || len(svc.Steps) == 0 {
		return Service{}, []Problem{problem("service", "service_counter", SeverityError, svc.Name)}
	}
	return svc, nil
}

// fieldValue returns the string value of a scalar field of req.
func fieldValue(req Request, id string) string {
	switch id {
	case "requester.full_name":
		return req.Requester.FullName
	case "requester.personal_id":
		return req.Requester.PersonalID
	case "requester.phone":
		return req.Requester.Phone
	case "requester.relation":
		return req.Requester.Relation
	case "requester.authorisation":
		return req.Requester.Authorisation
	case "requester.birth_date":
		return req.Requester.BirthDate
	case "requester.sex":
		return req.Requester.Sex
	case "subject.full_name":
		return req.Subject.FullName
	case "subject.birth_date":
		return req.Subject.BirthDate
	case "subject.sex":
		return req.Subject.Sex
	case "subject.ethnicity":
		return req.Subject.Ethnicity
	case "subject.nationality":
		return req.Subject.Nationality
	case "subject.personal_id":
		return req.Subject.PersonalID
	case "subject.spouse_name":
		return req.Subject.SpouseName
	case "event":
		return req.Event
	case "register.office":
		if req.Register.Office != "" {
			return req.Register.Office
		}
		return req.Register.OfficeText
	case "register.date":
		return req.Register.Date
	case "register.number":
		return req.Register.Number
	case "register.book":
		return req.Register.Book
	case "copies":
		if req.Copies == 0 {
			return ""
		}
		return strconv.Itoa(req.Copies)
	case "delivery.method":
		return req.Delivery.Method
	case "delivery.recipient":
		return req.Delivery.Recipient
	case "delivery.phone":
		return req.Delivery.Phone
	case "purpose":
		return req.Purpose
	}
	if k, ok := strings.CutPrefix(id, "extra."); ok {
		return req.Extra[k]
	}
	return ""
}

func addressValue(req Request, id string) (Address, bool) {
	switch id {
	case "requester.residence":
		return req.Requester.Residence, true
	case "delivery.address":
		return req.Delivery.Address, true
	}
	return Address{}, false
}

func (a Address) isEmpty() bool {
	return strings.TrimSpace(a.Province) == "" && strings.TrimSpace(a.Commune) == "" && strings.TrimSpace(a.Street) == ""
}

func validateStep(req Request, cat *Catalogue, svc Service, st Step, now time.Time) []Problem {
	var out []Problem
	for _, f := range st.Fields {
		out = append(out, validateField(req, cat, svc, f, now)...)
	}
	return out
}

func validateField(req Request, cat *Catalogue, svc Service, f Field, now time.Time) []Problem {
	out, done, required := validateSpecial(req, cat, f)
	if done {
		return out
	}
	if f.Kind == KindAddress {
		a, _ := addressValue(req, f.ID)
		if a.isEmpty() {
			return requiredProblem(f, required)
		}
		return checkAddress(f, a)
	}
	v := fieldValue(req, f.ID)
	if strings.TrimSpace(v) == "" {
		return requiredProblem(f, required)
	}
	return validateValue(req, cat, svc, f, norm.NFC.String(v), required, now)
}

// requiredProblem is the problem of an empty field: none unless required.
func requiredProblem(f Field, required bool) []Problem {
	if required {
		return []Problem{problem(f.ID, "required", SeverityError, f.Label)}
	}
	return nil
}

// validateSpecial checks the fields whose rule depends on other answers.
// done means the field is decided; required is whether the field must be
// filled, which for the address depends on the delivery method.
func validateSpecial(req Request, cat *Catalogue, f Field) (out []Problem, done, required bool) {
	required = f.Required
	switch f.ID {
	case "requester.authorisation":
		if rel, ok := cat.Option("relations", req.Requester.Relation); ok && !rel.Close && strings.TrimSpace(req.Requester.Authorisation) == "" {
			return []Problem{problem(f.ID, "authorisation_required", SeverityError, f.Label)}, true, required
		}
	case "delivery.address":
		if req.Delivery.Method == DeliveryPost {
			if req.Delivery.Address.isEmpty() {
				return []Problem{problem(f.ID, "address_required", SeverityError, f.Label)}, true, true
			}
			return nil, false, true
		}
		// Pickup: the address is not used, but it is still bounded.
		a := req.Delivery.Address
		if utf8.RuneCountInString(a.Province+a.Commune+a.Street) > maxTextLen {
			return []Problem{problem(f.ID, "text_length", SeverityError, f.Label, maxTextLen)}, true, required
		}
		return nil, true, required
	case "copies":
		if req.Copies < 1 || req.Copies > MaxCopies {
			return []Problem{problem(f.ID, "copies_range", SeverityError, f.Label)}, true, required
		}
		return nil, true, required
	}
	return nil, false, required
}

// validateValue checks a filled-in field's value (NFC) by its kind.
func validateValue(req Request, cat *Catalogue, svc Service, f Field, v string, required bool, now time.Time) []Problem {
	switch f.Kind {
	case KindName:
		return checkNameField(req, f, v)
	case KindPersonalID:
		return checkPersonalIDField(req, svc, f, v)
	case KindPhone:
		switch checkPhone(v) {
		case "phone_format":
			return []Problem{problem(f.ID, "phone_format", SeverityError, f.Label)}
		case "phone_prefix":
			return []Problem{problem(f.ID, "phone_prefix", SeverityWarning, f.Label)}
		}
	case KindDate:
		return checkDateField(req, f, v, now)
	case KindSelect:
		if _, ok := cat.Option(f.Options, v); !ok {
			return []Problem{problem(f.ID, "option_unknown", SeverityError, f.Label)}
		}
	case KindNumber:
		for _, r := range v {
			if r < '0' || r > '9' {
				return []Problem{problem(f.ID, "number_format", SeverityError, f.Label)}
			}
		}
		if len(v) > 18 {
			return []Problem{problem(f.ID, "text_length", SeverityError, f.Label, 18)}
		}
	case KindOffice:
		return checkOffice(req, f)
	case KindCheckbox:
		if v != "true" && v != "false" {
			return []Problem{problem(f.ID, "checkbox_value", SeverityError, f.Label)}
		}
		if required && v != "true" {
			return []Problem{problem(f.ID, "required", SeverityError, f.Label)}
		}
	case KindTextarea:
		return checkText(f, v, maxTextareaLen)
	default:
		return checkText(f, v, maxTextLen)
	}
	return nil
}

func checkNameField(req Request, f Field, v string) []Problem {
	if code := checkName(NormalizeName(v)); code != "" {
		return []Problem{problem(f.ID, code, SeverityError, f.Label)}
	}
	if f.ID == "subject.full_name" && req.Requester.Relation == RelationSelf && req.Requester.FullName != "" {
		// "Myself": the requester is on the record (for a marriage,
		// as either spouse).
		k := NameKey(req.Requester.FullName)
		if k != NameKey(v) && k != NameKey(req.Subject.SpouseName) {
			return []Problem{problem(f.ID, "self_mismatch", SeverityWarning, f.Label)}
		}
	}
	return nil
}

func checkPersonalIDField(req Request, svc Service, f Field, v string) []Problem {
	bd, sex := req.Subject.BirthDate, req.Subject.Sex
	var out []Problem
	if strings.HasPrefix(f.ID, "requester.") {
		bd, sex = req.Requester.BirthDate, req.Requester.Sex
		// Date of birth and sex of the requester come from the ID-card
		// QR, not from a form field: check them here.
		if bd != "" {
			if _, err := ParseDate(bd); err != nil {
				out = append(out, problem("requester.birth_date", "date_format", SeverityError, labelRequesterBirth))
			}
		}
		if sex != "" && sex != SexMale && sex != SexFemale {
			out = append(out, problem("requester.sex", "option_unknown", SeverityError, labelRequesterSex))
		}
	}
	for _, fd := range checkPersonalID(strings.TrimSpace(v), bd, sex) {
		out = append(out, problem(f.ID, fd.code, fd.severity, f.Label))
	}
	if f.ID == "subject.personal_id" && req.Requester.Relation == RelationSelf && req.Requester.PersonalID != "" &&
		strings.TrimSpace(v) != strings.TrimSpace(req.Requester.PersonalID) && req.Event != "marriage" && svc.Event != "marriage" {
		out = append(out, problem(f.ID, "self_mismatch", SeverityWarning, f.Label))
	}
	return out
}

// checkText allows any printable text (letters of any script, digits,
// punctuation, single line breaks in a textarea) up to max characters.
func checkText(f Field, v string, max int) []Problem {
	if utf8.RuneCountInString(v) > max {
		return []Problem{problem(f.ID, "text_length", SeverityError, f.Label, max)}
	}
	for _, r := range v {
		if r == '\n' && f.Kind == KindTextarea {
			continue
		}
		if r == utf8.RuneError || (!unicode.IsPrint(r) && r != ' ') {
			return []Problem{problem(f.ID, "text_chars", SeverityError, f.Label)}
		}
	}
	return nil
}

// earliestDate is the earliest date the kiosk accepts: personal ID numbers
// do not go further back.
const earliestDate = "1900-01-01"

func checkDateField(req Request, f Field, v string, now time.Time) []Problem {
	t, err := ParseDate(strings.TrimSpace(v))
	if err != nil {
		return []Problem{problem(f.ID, "date_format", SeverityError, f.Label)}
	}
	d := LocalDate(t)
	if d > LocalDate(now) {
		return []Problem{problem(f.ID, "date_future", SeverityError, f.Label)}
	}
	if d < earliestDate {
		return []Problem{problem(f.ID, "date_too_old", SeverityError, f.Label)}
	}
	switch f.ID {
	case "register.date", "extra.death_date":
		// An event on the record cannot precede the birth of its subject.
		if b, err := ParseDate(strings.TrimSpace(req.Subject.BirthDate)); err == nil && t.Before(b) {
			return []Problem{problem(f.ID, "date_before_birth", SeverityError, f.Label, b.Format("02/01/2006"))}
		}
	}
	return nil
}

// checkAddress checks a two-level postal address: a known province, a
// commune of that province, and a street line.
func checkAddress(f Field, a Address) []Problem {
	p, ok := UnitByCode(strings.TrimSpace(a.Province))
	if !ok || p.ProvinceCode != "" {
		return []Problem{problem(f.ID, "address_province", SeverityError, f.Label)}
	}
	var out []Problem
	if c, ok := UnitByCode(strings.TrimSpace(a.Commune)); !ok || c.ProvinceCode != p.Code {
		out = append(out, problem(f.ID, "address_commune", SeverityError, f.Label))
	}
	street := strings.TrimSpace(a.Street)
	switch {
	case street == "":
		out = append(out, problem(f.ID, "address_street", SeverityError, f.Label))
	default:
		out = append(out, checkText(f, norm.NFC.String(street), maxTextLen)...)
	}
	return out
}

// checkOffice: the registering office is one of Hà Nội's communes by code,
// or free text naming an older office.
func checkOffice(req Request, f Field) []Problem {
	if code := strings.TrimSpace(req.Register.Office); code != "" {
		if !IsHanoiCommune(code) {
			return []Problem{problem(f.ID, "office_unknown", SeverityError, f.Label)}
		}
		return nil
	}
	return checkText(f, norm.NFC.String(req.Register.OfficeText), maxTextLen)
}
