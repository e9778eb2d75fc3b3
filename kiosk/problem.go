package kiosk

import "fmt"

// Severities of a Problem. An error blocks submission; a warning is shown
// and the citizen may go on.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Problem is one finding of validation, shown next to the field it names.
// Field is the catalogue field ID (a dotted path into Request's JSON) or
// "consent"/"service"; Code is a stable machine key; Message says in plain
// words, in both languages, which field is wrong and what to do.
type Problem struct {
	Field    string `json:"field"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  Text   `json:"message"`
}

// HasErrors reports whether any problem is an error (not a warning).
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// problemf makes a Problem whose message starts with the field's label.
// The vi and en templates take the label as their first %s; args follow.
func problemf(field, code, severity string, label Text, vi, en string, args ...any) Problem {
	return Problem{
		Field:    field,
		Code:     code,
		Severity: severity,
		Message: Text{
			VI: fmt.Sprintf(vi, append([]any{label.VI}, args...)...),
			EN: fmt.Sprintf(en, append([]any{label.EN}, args...)...),
		},
	}
}
