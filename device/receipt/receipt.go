package receipt

// Receipt is what one printed receipt says, in words ready to print
// (Vietnamese first, English beside, as the screen shows them).
type Receipt struct {
	Commune  string // the kiosk's commune or ward
	Code     string // the receipt code, e.g. "K7M4QXR9P"; grouped when printed
	Service  string
	Copies   int
	Fee      string
	Delivery string
	Expected string // the expected date, as printed
	Created  string // when it was submitted, as printed
	// NoticeVersion and Purposes: the personal-data notice the citizen
	// accepted, and the purposes they accepted, as labels.
	NoticeVersion string
	Purposes      []string
	Sent          bool
	// Test marks a test page (the staff screen's "print a test page").
	Test bool
}

// GroupCode writes a nine-symbol code as XXX-XXX-XXX, as the screen does.
func GroupCode(code string) string {
	var parts []string
	for i := 0; i < len(code); i += 3 {
		parts = append(parts, code[i:min(i+3, len(code))])
	}
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += "-"
		}
		s += p
	}
	return s
}
