package kiosk

// Text is a piece of text a citizen sees, in Vietnamese and English.
type Text struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// IsZero reports whether both languages are empty.
func (t Text) IsZero() bool { return t.VI == "" && t.EN == "" }
