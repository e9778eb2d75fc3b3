package kiosk

import (
	"testing"
	"time"
)

func TestExpectedDate(t *testing.T) {
	at := func(d string, h, m int) time.Time {
		day, err := ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UTC()
	}
	oneDay := Service{ProcessingDays: 1}
	three := Service{ProcessingDays: 3}
	tests := []struct {
		name    string
		svc     Service
		created time.Time
		want    string
	}{
		{"weekday morning, same day", oneDay, at("2026-11-26", 9, 0), "2026-11-26"}, // Thursday
		{"14:59 still same day", oneDay, at("2026-11-26", 14, 59), "2026-11-26"},
		{"15:00 next working day", oneDay, at("2026-11-26", 15, 0), "2026-11-27"},
		{"Friday afternoon to Monday", oneDay, at("2026-11-27", 16, 0), "2026-11-30"},
		{"Saturday to Monday", oneDay, at("2026-11-28", 10, 0), "2026-11-30"},
		{"Sunday late to Monday", oneDay, at("2026-11-29", 23, 0), "2026-11-30"},
		{"UTC evening is next day in Hà Nội", oneDay, time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC), "2026-11-26"},
		{"3 days from Monday", three, at("2026-11-30", 9, 0), "2026-12-03"},
		{"3 days from Thursday skips weekend", three, at("2026-11-26", 9, 0), "2026-12-01"},
		{"3 days from Friday after cutoff", three, at("2026-11-27", 16, 0), "2026-12-03"},
		{"0 days is same working day", Service{}, at("2026-11-26", 9, 0), "2026-11-26"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ExpectedDate(tc.svc, tc.created)
			if LocalDate(got) != tc.want || got.Location() != VietnamZone() || got.Hour() != 0 {
				t.Fatalf("ExpectedDate = %v, want %s", got, tc.want)
			}
		})
	}
}

func TestCatalogueExpectedDateHolidays(t *testing.T) {
	cat := &Catalogue{Holidays: []string{"2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03"}}
	at := func(d string, h int) time.Time {
		day, err := ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		return day.Add(time.Duration(h) * time.Hour)
	}
	for _, tc := range []struct {
		name    string
		svc     Service
		created time.Time
		want    string
	}{
		{"on a holiday", Service{ProcessingDays: 1}, at("2027-04-30", 9), "2027-05-04"},      // Fri holiday, Mon compensatory
		{"before a holiday", Service{ProcessingDays: 1}, at("2027-04-29", 16), "2027-05-04"}, // after 15:00
		{"3 days over 2/9", Service{ProcessingDays: 3}, at("2027-09-01", 9), "2027-09-08"},
		{"no holidays", Service{ProcessingDays: 1}, at("2027-04-29", 9), "2027-04-29"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LocalDate(cat.ExpectedDate(tc.svc, tc.created)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	// Without the catalogue only weekends are skipped.
	if got := LocalDate(ExpectedDate(Service{ProcessingDays: 1}, at("2027-04-30", 9))); got != "2027-04-30" {
		t.Fatalf("package ExpectedDate = %s", got)
	}
	var nilCat *Catalogue
	if got := LocalDate(nilCat.ExpectedDate(Service{ProcessingDays: 1}, at("2027-04-30", 9))); got != "2027-04-30" {
		t.Fatalf("nil catalogue = %s", got)
	}
}
