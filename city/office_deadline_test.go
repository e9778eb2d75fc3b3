package city_test

import (
	"testing"
	"time"

	"communekiosk/city"
)

func vn(s string) time.Time {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueDate(t *testing.T) {
	rules, err := city.DefaultDeadlineRules()
	if err != nil {
		t.Fatal(err)
	}
	var r635, star city.DeadlineRule
	for _, r := range rules {
		switch r.Procedure {
		case "2.000635":
			r635 = r
		case "*":
			star = r
		}
	}
	cal := city.NewCalendar([]city.CalendarDay{
		{Date: "2026-12-31", Kind: city.DayHoliday}, // made-up holidays for the test
		{Date: "2027-01-01", Kind: city.DayHoliday},
		{Date: "2027-01-09", Kind: city.DayWorkday}, // a Saturday worked
	})
	tests := []struct {
		name   string
		rule   city.DeadlineRule
		days   int
		at     string
		wantOn string // the due day, in Viet Nam
	}{
		{"2.000635 before 15:00: the same day", r635, 5, "2026-12-01 14:59", "2026-12-01"},
		{"2.000635 at 15:00: the next working day", r635, 5, "2026-12-01 15:00", "2026-12-02"},
		{"2.000635 Friday after 15:00: Monday", r635, 0, "2026-12-04 16:30", "2026-12-07"},
		{"2.000635 on a Saturday: Monday", r635, 0, "2026-12-05 09:00", "2026-12-07"},
		{"2.000635 after 15:00 the day before a holiday: after it", r635, 0, "2026-12-30 15:10", "2027-01-04"},
		{"2.000635 on a holiday morning: the next working day", r635, 0, "2026-12-31 08:00", "2027-01-04"},
		{"a swapped Saturday is a working day", r635, 0, "2027-01-09 10:00", "2027-01-09"},
		{"other procedures: the catalogue's 3 working days", star, 3, "2026-12-01 10:00", "2026-12-04"},
		{"3 working days over a weekend", star, 3, "2026-12-03 10:00", "2026-12-08"},
		{"3 working days from after 15:00", star, 3, "2026-12-03 15:30", "2026-12-09"},
		{"3 working days over the holidays and a worked Saturday", star, 3, "2026-12-30 09:00", "2027-01-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.DueDate(tt.rule, tt.days, vn(tt.at))
			want := city.EndOfDay(vn(tt.wantOn + " 00:00"))
			if !got.Equal(want) {
				t.Fatalf("due %s, want %s", got.In(want.Location()), want)
			}
		})
	}
}

func TestDueFlags(t *testing.T) {
	cal := city.NewCalendar(nil)
	now := vn("2026-12-01 10:00") // a Tuesday
	due := func(s string) time.Time { return city.EndOfDay(vn(s + " 00:00")) }
	tests := []struct {
		name string
		r    city.Request
		want string
	}{
		{"no due date", city.Request{Status: "received"}, ""},
		{"due today", city.Request{Status: "accepted", DueAt: due("2026-12-01")}, city.FlagDueSoon},
		{"due in 3 working days", city.Request{Status: "processing", DueAt: due("2026-12-04")}, city.FlagDueSoon},
		{"due in 4 working days", city.Request{Status: "processing", DueAt: due("2026-12-07")}, ""},
		{"overdue", city.Request{Status: "needs_supplement", DueAt: due("2026-11-30")}, city.FlagOverdue},
		{"ready, not yet returned: no flag", city.Request{Status: "ready", DueAt: due("2026-11-30")}, ""},
		{"returned on time", city.Request{Status: "done", DueAt: due("2026-11-30"), ResultAt: vn("2026-11-30 16:00")}, city.FlagOnTime},
		{"returned late", city.Request{Status: "sent_by_post", DueAt: due("2026-11-30"), ResultAt: vn("2026-12-01 08:00")}, city.FlagLate},
		{"an apology keeps the original date", city.Request{Status: "processing", DueAt: due("2026-11-30"), NewDueAt: due("2026-12-10")}, city.FlagOverdue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.DueFlag(tt.r, now); got != tt.want {
				t.Fatalf("flag %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResponsibleOffice(t *testing.T) {
	req := goodRequest()
	tests := []struct {
		name         string
		office, text string
		kiosk, want  string
	}{
		{"a city commune registered it", "00008", "", "00004", "00008"},
		{"the kiosk's own commune", "00004", "", "00004", "00004"},
		{"an older unit as text: the kiosk's commune", "", "UBND phường Điện Biên, quận Ba Đình", "00004", "00004"},
		{"a unit outside the city: the kiosk's commune", "26734", "", "00004", "00004"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req.Register.Office, req.Register.OfficeText = tt.office, tt.text
			if got := city.ResponsibleOffice(req, tt.kiosk); got != tt.want {
				t.Fatalf("%q, want %q", got, tt.want)
			}
		})
	}
}
