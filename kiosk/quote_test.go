package kiosk

import (
	"encoding/json"
	"testing"
	"time"
)

func TestQuote(t *testing.T) {
	cat := mustCatalogue(t)
	day := func(d string, h int) time.Time {
		t0, err := ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		return t0.Add(time.Duration(h) * time.Hour)
	}
	type line struct {
		kind   string
		amount int64
	}
	tests := []struct {
		name        string
		edit        func(r *Request)
		now         time.Time
		lines       []line
		total       int64
		waiverShown bool
		waived      bool
		onDelivery  bool
	}{
		{"2 copies before the waiver", func(r *Request) { r.Extra = map[string]string{"digital_citizen": "true"} },
			day("2026-08-14", 23), []line{{LineFee, 16000}}, 16000, false, false, false},
		{"waiver starts 15/08 in Hà Nội", func(r *Request) { r.Extra = map[string]string{"digital_citizen": "true"} },
			day("2026-08-15", 0), []line{{LineFee, 16000}, {LineWaiver, -16000}}, 0, true, true, false},
		{"waiver in force, not claimed", func(r *Request) {}, day("2026-11-28", 10),
			[]line{{LineFee, 16000}}, 16000, true, false, false},
		{"waiver last day", func(r *Request) { r.Extra = map[string]string{"digital_citizen": "true"} },
			day("2027-02-28", 23), []line{{LineFee, 16000}, {LineWaiver, -16000}}, 0, true, true, false},
		{"waiver over", func(r *Request) { r.Extra = map[string]string{"digital_citizen": "true"} },
			day("2027-03-01", 0), []line{{LineFee, 16000}}, 16000, false, false, false},
		{"post, postage on delivery", func(r *Request) {
			r.Copies = 1
			r.Delivery = Delivery{Method: DeliveryPost, Address: Address{"01", "00070", "3 Tràng Tiền"}}
		}, day("2027-03-01", 0), []line{{LineFee, 8000}, {LinePostage, 0}}, 8000, false, false, true},
		{"10 copies", func(r *Request) { r.Copies = 10 }, day("2027-03-01", 0), []line{{LineFee, 80000}}, 80000, false, false, false},
		{"marital status per request", func(r *Request) { r.Service = "marital_status_confirmation"; r.Copies = 3 },
			day("2026-11-28", 10), []line{{LineFee, 3000}}, 3000, false, false, false},
		{"unknown service", func(r *Request) { r.Service = "nope" }, day("2026-11-28", 10), nil, 0, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := goodRequest()
			tc.edit(&r)
			q := Quote(r, cat, tc.now.UTC())
			var got []line
			for _, l := range q.Lines {
				got = append(got, line{l.Kind, l.AmountVND})
				if l.Label.VI == "" || l.Label.EN == "" || l.Amount.VI == "" {
					t.Errorf("line without text: %+v", l)
				}
			}
			if len(got) != len(tc.lines) {
				t.Fatalf("lines %v, want %v", got, tc.lines)
			}
			for i := range got {
				if got[i] != tc.lines[i] {
					t.Fatalf("lines %v, want %v", got, tc.lines)
				}
			}
			if q.TotalVND != tc.total {
				t.Errorf("total %d, want %d", q.TotalVND, tc.total)
			}
			if (q.Waiver != nil) != tc.waiverShown || (q.Waiver != nil && (q.Waiver.Applied != tc.waived || q.Waiver.Condition.VI == "")) {
				t.Errorf("waiver %+v", q.Waiver)
			}
			if q.PostageOnDelivery != tc.onDelivery {
				t.Errorf("postage on delivery %v", q.PostageOnDelivery)
			}
		})
	}
}

func TestQuotePostageTariffAndFeeChange(t *testing.T) {
	cat := mustCatalogue(t)
	cat.Postage.TariffVND = 25000
	// A new amount from 2027-07-01 is a new rule with the same id.
	for i, f := range cat.Fees {
		if f.ID == "civil_status_copy" {
			cat.Fees[i].ValidTo = "2027-06-30"
			nf := f
			nf.AmountVND, nf.ValidFrom, nf.ValidTo = 10000, "2027-07-01", ""
			cat.Fees = append(cat.Fees, nf)
			break
		}
	}
	b, err := json.Marshal(cat)
	if err != nil {
		t.Fatal(err)
	}
	cat, err = ParseCatalogue(b)
	if err != nil {
		t.Fatal(err)
	}
	r := goodRequest()
	r.Copies = 1
	r.Delivery = Delivery{Method: DeliveryPost, Address: Address{"01", "00070", "3 Tràng Tiền"}}
	q := Quote(r, cat, time.Date(2027, 7, 1, 8, 0, 0, 0, VietnamZone()))
	if q.TotalVND != 35000 || q.PostageOnDelivery || q.Lines[0].AmountVND != 10000 {
		t.Fatalf("%+v", q)
	}
	q = Quote(r, cat, time.Date(2027, 6, 30, 8, 0, 0, 0, VietnamZone()))
	if q.TotalVND != 33000 {
		t.Fatalf("%+v", q)
	}
}

func TestQuoteNoRuleInForce(t *testing.T) {
	cat := mustCatalogue(t)
	q := Quote(goodRequest(), cat, time.Date(2016, 12, 31, 10, 0, 0, 0, VietnamZone()))
	if !q.FeeAtCounter || q.TotalVND != 0 || len(q.Lines) != 1 || q.Lines[0].Note.VI == "" || q.Lines[0].Amount != atCounter {
		t.Fatalf("%+v", q)
	}
	r := goodRequest()
	r.Service = "certified_copy"
	if q := Quote(r, cat, testNow); !q.FeeAtCounter || q.Lines[0].Note.VI == "" || q.Lines[0].Amount != atCounter {
		t.Fatalf("counter service: %+v", q)
	}
}

func TestFormatVND(t *testing.T) {
	for n, want := range map[int64]Text{
		0: {"0 đồng", "0 VND"}, 8000: {"8.000 đồng", "8,000 VND"}, 200000: {"200.000 đồng", "200,000 VND"},
		1234567: {"1.234.567 đồng", "1,234,567 VND"}, -16000: {"−16.000 đồng", "−16,000 VND"},
	} {
		if got := formatVND(n); got != want {
			t.Errorf("formatVND(%d) = %v, want %v", n, got, want)
		}
	}
}
