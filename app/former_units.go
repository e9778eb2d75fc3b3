package app

import "communekiosk/kiosk"

// FormerUnitView is a commune-level unit as it was before 1 July 2025, as
// the "where was it registered" search shows it: its name and district, the
// unit(s) it is now part of, and the registering office written as on old
// records.
type FormerUnitView struct {
	Code       string   `json:"code,omitempty"`
	Name       string   `json:"name"`
	District   string   `json:"district"`
	NowPartOf  []string `json:"now_part_of"` // names of the current units
	NewCodes   []string `json:"new_codes"`
	OfficeText string   `json:"office_text"` // "UBND phường Điện Biên, quận Ba Đình"
}

// FormerUnits lists a province's former commune-level units (only Hà Nội's
// are embedded; other provinces give an empty list).
func (r *Requests) FormerUnits(province string) ([]FormerUnitView, error) {
	src := kiosk.FormerUnits(province)
	out := make([]FormerUnitView, 0, len(src))
	for _, u := range src {
		v := FormerUnitView{Code: u.Code, Name: u.Name, District: u.District, NewCodes: u.NewCodes, OfficeText: u.OfficeText(), NowPartOf: []string{}}
		for _, c := range u.NewCodes {
			if n, ok := kiosk.UnitByCode(c); ok {
				v.NowPartOf = append(v.NowPartOf, n.Name)
			}
		}
		out = append(out, v)
	}
	return out, nil
}
