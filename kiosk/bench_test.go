package kiosk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The baselines: decoding the request JSON the app receives for every
// submission, and decoding the catalogue without any checks. The other
// benchmarks are reported as ratios to these (scripts/bench-kiosk.sh).

func benchRequestJSON(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "requests", "birth_pickup.json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkBaselineDecodeRequest(b *testing.B) {
	data := benchRequestJSON(b)
	b.ReportAllocs()
	for b.Loop() {
		var r Request
		if err := json.Unmarshal(data, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	cat := mustCatalogue(b)
	r := goodRequest()
	b.ReportAllocs()
	for b.Loop() {
		if ps := Validate(r, cat, testNow); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
}

func BenchmarkValidateStepRequester(b *testing.B) {
	cat := mustCatalogue(b)
	r := goodRequest()
	b.ReportAllocs()
	for b.Loop() {
		_ = ValidateStep(r, cat, StepRequester, testNow)
	}
}

func BenchmarkNormalizeRequest(b *testing.B) {
	cat := mustCatalogue(b)
	r := goodRequest()
	b.ReportAllocs()
	for b.Loop() {
		_ = NormalizeRequest(r, cat)
	}
}

func BenchmarkQuote(b *testing.B) {
	cat := mustCatalogue(b)
	r := goodRequest()
	r.Extra = map[string]string{"digital_citizen": "true"}
	b.ReportAllocs()
	for b.Loop() {
		_ = Quote(r, cat, testNow)
	}
}

func BenchmarkNewReceiptCode(b *testing.B) {
	b.ReportAllocs()
	var seq uint64
	for b.Loop() {
		seq = (seq + 7919) % MaxReceiptSeq
		if _, err := NewReceiptCode(126, seq); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseReceiptCode(b *testing.B) {
	code, _ := NewReceiptCode(126, 123456)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseReceiptCode(code); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMaskName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = MaskName("Nguyễn Thị Hoa")
	}
}

func BenchmarkBaselineDecodeCatalogue(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var c Catalogue
		if err := json.Unmarshal(defaultCatalogueJSON, &c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCatalogue(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCatalogue(defaultCatalogueJSON); err != nil {
			b.Fatal(err)
		}
	}
}
