package kiosk

import (
	"fmt"
	"slices"
)

// validateConsent checks the consent record: the notice shown is the
// catalogue's current one (or one of olderNotices), every required purpose is accepted, no purpose
// is unknown, and the time of acceptance is set. Its problems have the
// field "consent" and belong to the "review" step.
func validateConsent(req Request, cat *Catalogue, olderNotices []string) []Problem {
	c := req.Consent
	if c.NoticeVersion == "" || len(c.Purposes) == 0 || c.AcceptedAt.IsZero() {
		return []Problem{problem("consent", "consent_missing", SeverityError, labelConsent)}
	}
	if c.NoticeVersion != cat.NoticeVersion && !slices.Contains(olderNotices, c.NoticeVersion) {
		return []Problem{problem("consent", "consent_notice_version", SeverityError, labelConsent)}
	}
	accepted := map[string]bool{}
	for _, p := range c.Purposes {
		accepted[p] = true
	}
	var out []Problem
	known := map[string]bool{}
	for _, p := range cat.Purposes {
		known[p.ID] = true
		if p.Required && !accepted[p.ID] {
			pr := problem("consent", "consent_purpose", SeverityError, labelConsent, "")
			m := messages["consent_purpose"]
			pr.Message = Text{
				VI: fmt.Sprintf(m.VI, labelConsent.VI, p.Label.VI),
				EN: fmt.Sprintf(m.EN, labelConsent.EN, p.Label.EN),
			}
			out = append(out, pr)
		}
	}
	for p := range accepted {
		if !known[p] {
			out = append(out, problem("consent", "consent_purpose_unknown", SeverityError, labelConsent))
			break
		}
	}
	return out
}
