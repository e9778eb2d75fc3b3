package kiosk

import (
	"maps"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// NormalizeRequest returns req as it should be stored and sent: every
// string in NFC with surrounding spaces trimmed, names with single spaces
// (NormalizeName), phone numbers in national form when they parse
// (NormalizePhone), the Icelandic eth read as Đ/đ everywhere (FoldEth),
// and the event filled from the service when empty. Tone
// placement is never changed: "Hoà" stays "Hoà" and "Hòa" stays "Hòa".
func NormalizeRequest(req Request, cat *Catalogue) Request {
	s := func(v string) string { return strings.TrimSpace(FoldEth(norm.NFC.String(v))) }
	phone := func(v string) string {
		if p, err := NormalizePhone(v); err == nil {
			return p
		}
		return s(v)
	}
	addr := func(a Address) Address {
		return Address{Province: s(a.Province), Commune: s(a.Commune), Street: s(a.Street)}
	}
	out := req
	out.Service = s(req.Service)
	out.Requester = Requester{
		FullName:      NormalizeName(req.Requester.FullName),
		PersonalID:    s(req.Requester.PersonalID),
		Phone:         phone(req.Requester.Phone),
		Residence:     addr(req.Requester.Residence),
		Relation:      s(req.Requester.Relation),
		Authorisation: s(req.Requester.Authorisation),
		BirthDate:     s(req.Requester.BirthDate),
		Sex:           s(req.Requester.Sex),
	}
	out.Subject = Person{
		FullName:    NormalizeName(req.Subject.FullName),
		BirthDate:   s(req.Subject.BirthDate),
		Sex:         s(req.Subject.Sex),
		Ethnicity:   s(req.Subject.Ethnicity),
		Nationality: s(req.Subject.Nationality),
		PersonalID:  s(req.Subject.PersonalID),
		SpouseName:  NormalizeName(req.Subject.SpouseName),
	}
	out.Event = s(req.Event)
	if out.Event == "" && cat != nil {
		if svc, ok := cat.Service(out.Service); ok {
			out.Event = svc.Event
		}
	}
	out.Register = Register{
		Office:     s(req.Register.Office),
		OfficeText: s(req.Register.OfficeText),
		Date:       s(req.Register.Date),
		Number:     s(req.Register.Number),
		Book:       s(req.Register.Book),
	}
	out.Delivery = Delivery{
		Method:    s(req.Delivery.Method),
		Address:   addr(req.Delivery.Address),
		Recipient: NormalizeName(req.Delivery.Recipient),
		Phone:     phone(req.Delivery.Phone),
	}
	out.Consent.NoticeVersion = s(req.Consent.NoticeVersion)
	out.Consent.Purposes = append([]string(nil), req.Consent.Purposes...)
	out.Purpose = s(req.Purpose)
	if req.Extra != nil {
		svc, _ := cat.Service(out.Service)
		out.Extra = make(map[string]string, len(req.Extra))
		for k, v := range maps.All(req.Extra) {
			if f, _, ok := svc.Field("extra." + k); ok && f.Kind == KindName {
				out.Extra[k] = NormalizeName(v)
			} else {
				out.Extra[k] = s(v)
			}
		}
	}
	return out
}
