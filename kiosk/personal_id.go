package kiosk

import (
	"strconv"
)

// Personal ID numbers (số định danh cá nhân), 12 digits: PPP G YY RRRRRR.
// PPP is the code of the province where the birth was registered (one of
// the 63 codes in use before the 2025 merger; numbers never change), G
// the century and sex (century = 19 + G/2; even = male, odd = female), YY
// the last two digits of the birth year, RRRRRR random. There is no check
// digit.

// idProvinceCodes are the 63 PPP codes.
var idProvinceCodes = map[string]bool{
	"001": true, "002": true, "004": true, "006": true, "008": true, "010": true, "011": true,
	"012": true, "014": true, "015": true, "017": true, "019": true, "020": true, "022": true,
	"024": true, "025": true, "026": true, "027": true, "030": true, "031": true, "033": true,
	"034": true, "035": true, "036": true, "037": true, "038": true, "040": true, "042": true,
	"044": true, "045": true, "046": true, "048": true, "049": true, "051": true, "052": true,
	"054": true, "056": true, "058": true, "060": true, "062": true, "064": true, "066": true,
	"067": true, "068": true, "070": true, "072": true, "074": true, "075": true, "077": true,
	"079": true, "080": true, "082": true, "083": true, "084": true, "086": true, "087": true,
	"089": true, "091": true, "092": true, "093": true, "094": true, "095": true, "096": true,
}

// personalIDFinding is one result of checking a personal ID number.
type personalIDFinding struct {
	code     string
	severity string
}

// checkPersonalID checks a personal ID number and, when given, its
// agreement with a date of birth (YYYY-MM-DD) and sex (male, female).
func checkPersonalID(id, birthDate, sex string) []personalIDFinding {
	if len(id) != 12 {
		return []personalIDFinding{{"id_format", SeverityError}}
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return []personalIDFinding{{"id_format", SeverityError}}
		}
	}
	var out []personalIDFinding
	g := int(id[3] - '0')
	if birthDate != "" {
		if t, err := ParseDate(birthDate); err == nil {
			y := t.Year()
			century := 19 + g/2
			if y/100 != century {
				out = append(out, personalIDFinding{"id_century", SeverityError})
			} else if yy, _ := strconv.Atoi(id[4:6]); yy != y%100 {
				out = append(out, personalIDFinding{"id_year", SeverityError})
			}
		}
	}
	switch {
	case sex == SexMale && g%2 != 0, sex == SexFemale && g%2 != 1:
		out = append(out, personalIDFinding{"id_sex", SeverityError})
	}
	if !idProvinceCodes[id[:3]] {
		out = append(out, personalIDFinding{"id_province", SeverityWarning})
	}
	return out
}
