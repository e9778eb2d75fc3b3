package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestConvert(t *testing.T) {
	out := filepath.Join(t.TempDir(), "units.json")
	if err := run(filepath.Join("testdata", "address_small.json"), out, "9.9.9"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Version != "9.9.9" || f.Data != "1.1" {
		t.Errorf("version %q data %q", f.Version, f.Data)
	}
	wantP := [][]string{{"01", "Thành phố Hà Nội", "city"}, {"66", "Đắk Lắk", "province"}, {"79", "Thành phố Hồ Chí Minh", "city"}}
	if !slices.EqualFunc(f.Provinces, wantP, slices.Equal) {
		t.Errorf("provinces %v", f.Provinces)
	}
	// Hà Nội first, NFC names, kinds from the name.
	wantC := [][]string{
		{"00004", "Phường Ba Đình", "ward", "01"}, {"00070", "Phường Hoàn Kiếm", "ward", "01"},
		{"24100", "Xã Ea Tu", "commune", "66"}, {"26734", "Phường Sài Gòn", "ward", "79"},
	}
	if !slices.EqualFunc(f.Communes, wantC, slices.Equal) {
		t.Errorf("communes %v", f.Communes)
	}
	// Former units: Hà Nội only, duplicates dropped, a missing code kept empty.
	wantF := [][]string{{"", "Xã Vạn Kim", "Huyện Mỹ Đức", "00070"}, {"00019", "Phường Điện Biên", "Quận Ba Đình", "00004"}}
	if !slices.EqualFunc(f.Former, wantF, slices.Equal) {
		t.Errorf("former %v", f.Former)
	}
}

func TestConvertRejects(t *testing.T) {
	for name, in := range map[string]string{
		"not JSON":         "{",
		"no wards":         `[{"type":"table","name":"provinces","data":[{"province_code":"01","name":"Hà Nội"}]}]`,
		"unknown province": `[{"type":"table","name":"provinces","data":[{"province_code":"01","name":"Hà Nội"}]},{"type":"table","name":"wards","data":[{"ward_code":"1","name":"Xã A","province_code":"02"}]}]`,
		"unknown kind":     `[{"type":"table","name":"provinces","data":[{"province_code":"01","name":"Hà Nội"}]},{"type":"table","name":"wards","data":[{"ward_code":"1","name":"Thị trấn A","province_code":"01"}]}]`,
	} {
		if _, err := convert([]byte(in), "1"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
