package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

type reportStore interface {
	city.Store
	city.DossierStore
	city.ReportStore
}

// vn is a time in Hà Nội.
func vn(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, kiosk.VietnamZone())
}

// seedReport stores eight dossiers whose figures are known by
// construction (see the tables in testReport), in communes A and B; C has
// none; D is outside the scope the report is asked with.
func seedReport(t *testing.T, s reportStore) (scope city.Scope) {
	const A, B, C, D = "00004", "00008", "00025", "00070"
	kiosks := map[string]city.Kiosk{A: mustKiosk(t, s, A, 1), B: mustKiosk(t, s, B, 2), D: mustKiosk(t, s, D, 4)}
	type dossier struct {
		commune, service, channel string
		received                  time.Time
		status                    syncproto.Status
		due, result, finished     time.Time // finished: when the last status change was made
	}
	ds := []dossier{
		// 1: received the minute before the 15 October cut-off; picked up late on the 16th.
		{A, "birth_extract_copy", city.ChannelSync, vn(10, 14, 23, 59), syncproto.StatusPickedUp, vn(10, 15, 17, 0), vn(10, 16, 10, 0), vn(10, 16, 10, 0)},
		// 2: received at the cut-off's first second; picked up on time.
		{A, "birth_extract_copy", city.ChannelSync, vn(10, 15, 0, 0), syncproto.StatusDone, vn(10, 15, 17, 0), vn(10, 15, 11, 0), vn(10, 15, 12, 0)},
		// 3: by USB the minute before the 15 November cut-off, no due date; refused on 20 November.
		{A, "death_extract_copy", city.ChannelUSB, vn(11, 14, 23, 59), syncproto.StatusRefused, time.Time{}, time.Time{}, vn(11, 20, 9, 0)},
		// 4: received at the 15 November cut-off; processing, due 16 November.
		{A, "birth_extract_copy", city.ChannelSync, vn(11, 15, 0, 0), syncproto.StatusProcessing, vn(11, 16, 17, 0), time.Time{}, vn(11, 15, 8, 0)},
		// 5: received late on 31 October; processing, due 2 November.
		{B, "birth_extract_copy", city.ChannelSync, vn(10, 31, 23, 30), syncproto.StatusProcessing, vn(11, 2, 17, 0), time.Time{}, vn(11, 1, 8, 0)},
		// 6: received 1 November 00:30 in Hà Nội (still 31 October in UTC); not accepted.
		{B, "marriage_extract_copy", city.ChannelSync, vn(11, 1, 0, 30), syncproto.StatusNotAccepted, time.Time{}, time.Time{}, vn(11, 1, 8, 0)},
		// 7: withdrawn the day after.
		{B, "birth_extract_copy", city.ChannelSync, vn(11, 3, 9, 0), syncproto.StatusWithdrawn, vn(11, 3, 17, 0), time.Time{}, vn(11, 4, 9, 0)},
		// 8: by USB; posted the day after its due date.
		{B, "birth_extract_copy", city.ChannelUSB, vn(11, 5, 9, 0), syncproto.StatusPosted, vn(11, 5, 17, 0), vn(11, 6, 9, 0), vn(11, 6, 9, 0)},
		// 9: outside the scope.
		{D, "birth_extract_copy", city.ChannelSync, vn(11, 3, 9, 0), syncproto.StatusReceived, time.Time{}, time.Time{}, vn(11, 3, 9, 0)},
	}
	for i, d := range ds {
		k := kiosks[d.commune]
		it := item(uint64(i+1), fmt.Sprintf("rep-%d", i+1), fmt.Sprintf("h%d", i+1))
		it.Commune, it.Service, it.Channel = d.commune, d.service, d.channel
		if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{it}, d.received); err != nil {
			t.Fatal(err)
		}
		all := city.Scope{Communes: []string{d.commune}}
		change := city.DossierChange{RequestID: it.RequestID, Apply: func(r *city.Request) error {
			r.Status, r.DueAt, r.ResultAt = d.status, d.due, d.result
			return nil
		}}
		if _, err := s.UpdateDossiers(ctx, all, []city.DossierChange{change}, d.finished); err != nil {
			t.Fatal(err)
		}
	}
	return city.Scope{Communes: []string{A, B, C}}
}

func testReport(t *testing.T, store city.Store) {
	s, ok := store.(reportStore)
	if !ok {
		t.Fatal("this store does not implement city.ReportStore and city.DossierStore: every store must, or what it keeps is lost")
	}
	scope := seedReport(t, s)
	made := vn(12, 10, 9, 0) // the report is made in December
	type fig = city.Figures
	tests := []struct {
		name     string
		period   city.Period
		communes map[string]fig
		services map[string]fig
		total    fig
		months   []city.MonthCount
		success  float64
	}{
		{
			// 15 October – 14 November: #1 carried over and done late, #2
			// done on time, #3 still open at the end (no due date: on
			// time), #4 after the end; #5 open and late at the end, #6 not
			// accepted, #7 withdrawn, #8 done late.
			name:   "cut-off month 15 October – 14 November",
			period: city.CutoffPeriod(2026, time.November),
			communes: map[string]fig{
				"00004": {Received: 2, ReceivedSync: 1, ReceivedUSB: 1, CarriedOver: 1, Done: 2, DoneOnTime: 1, DoneLate: 1, InProgress: 1, InProgressOnTime: 1},
				"00008": {Received: 4, ReceivedSync: 3, ReceivedUSB: 1, Done: 1, DoneLate: 1, NotAccepted: 1, Withdrawn: 1, InProgress: 1, InProgressLate: 1},
				"00025": {},
			},
			services: map[string]fig{
				"birth_extract_copy":    {Received: 4, ReceivedSync: 3, ReceivedUSB: 1, CarriedOver: 1, Done: 3, DoneOnTime: 1, DoneLate: 2, Withdrawn: 1, InProgress: 1, InProgressLate: 1},
				"death_extract_copy":    {Received: 1, ReceivedUSB: 1, InProgress: 1, InProgressOnTime: 1},
				"marriage_extract_copy": {Received: 1, ReceivedSync: 1, NotAccepted: 1},
			},
			total:   fig{Received: 6, ReceivedSync: 4, ReceivedUSB: 2, CarriedOver: 1, Done: 3, DoneOnTime: 1, DoneLate: 2, NotAccepted: 1, Withdrawn: 1, InProgress: 2, InProgressOnTime: 1, InProgressLate: 1},
			months:  []city.MonthCount{{Month: "2026-10", Received: 2}, {Month: "2026-11", Received: 4}},
			success: 3.0 / 4,
		},
		{
			// November: #1 and #2 ended in October; #3 refused, #4 open
			// and late on 1 December; #5 carried over, late; #6 is
			// November's in Hà Nội; #7 withdrawn; #8 done late.
			name:   "calendar month November",
			period: city.MonthPeriod(2026, time.November),
			communes: map[string]fig{
				"00004": {Received: 2, ReceivedSync: 1, ReceivedUSB: 1, Refused: 1, InProgress: 1, InProgressLate: 1},
				"00008": {Received: 3, ReceivedSync: 2, ReceivedUSB: 1, CarriedOver: 1, Done: 1, DoneLate: 1, NotAccepted: 1, Withdrawn: 1, InProgress: 1, InProgressLate: 1},
				"00025": {},
			},
			services: map[string]fig{
				"birth_extract_copy":    {Received: 3, ReceivedSync: 2, ReceivedUSB: 1, CarriedOver: 1, Done: 1, DoneLate: 1, Withdrawn: 1, InProgress: 2, InProgressLate: 2},
				"death_extract_copy":    {Received: 1, ReceivedUSB: 1, Refused: 1},
				"marriage_extract_copy": {Received: 1, ReceivedSync: 1, NotAccepted: 1},
			},
			total:   fig{Received: 5, ReceivedSync: 3, ReceivedUSB: 2, CarriedOver: 1, Done: 1, DoneLate: 1, Refused: 1, NotAccepted: 1, Withdrawn: 1, InProgress: 2, InProgressLate: 2},
			months:  []city.MonthCount{{Month: "2026-11", Received: 5}},
			success: 1.0 / 3,
		},
		{
			// October in Hà Nội: #1, #2 and #5 (#6 is 31 October only in UTC).
			name:   "calendar month October",
			period: city.MonthPeriod(2026, time.October),
			communes: map[string]fig{
				"00004": {Received: 2, ReceivedSync: 2, Done: 2, DoneOnTime: 1, DoneLate: 1},
				"00008": {Received: 1, ReceivedSync: 1, InProgress: 1, InProgressOnTime: 1},
				"00025": {},
			},
			services: map[string]fig{
				"birth_extract_copy": {Received: 3, ReceivedSync: 3, Done: 2, DoneOnTime: 1, DoneLate: 1, InProgress: 1, InProgressOnTime: 1},
			},
			total:   fig{Received: 3, ReceivedSync: 3, Done: 2, DoneOnTime: 1, DoneLate: 1, InProgress: 1, InProgressOnTime: 1},
			months:  []city.MonthCount{{Month: "2026-10", Received: 3}},
			success: 1,
		},
	}
	strip := func(f city.Figures) city.Figures { f.SuccessRate, f.KioskShare = nil, nil; return f }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := city.NewReportBuilder(tt.period, made)
			if err := s.UptakeRows(ctx, scope, tt.period.From, tt.period.To, b.Add); err != nil {
				t.Fatal(err)
			}
			rep := b.Report(scope, nil)
			var codes []string
			for _, c := range rep.Communes {
				codes = append(codes, c.Commune)
				if got := strip(c.Figures); got != tt.communes[c.Commune] {
					t.Errorf("commune %s:\n got %+v\nwant %+v", c.Commune, got, tt.communes[c.Commune])
				}
			}
			if !slices.Equal(codes, []string{"00004", "00008", "00025"}) {
				t.Errorf("rows %v; want every commune of the scope and nothing else", codes)
			}
			if len(rep.Services) != len(tt.services) {
				t.Errorf("%d services, want %d", len(rep.Services), len(tt.services))
			}
			for _, sv := range rep.Services {
				if got := strip(sv.Figures); got != tt.services[sv.Service] {
					t.Errorf("service %s:\n got %+v\nwant %+v", sv.Service, got, tt.services[sv.Service])
				}
			}
			if got := strip(rep.Total); got != tt.total {
				t.Errorf("total:\n got %+v\nwant %+v", got, tt.total)
			}
			if tt.total.CarriedOver+tt.total.Received != tt.total.Done+tt.total.Refused+tt.total.NotAccepted+tt.total.Withdrawn+tt.total.InProgress {
				t.Errorf("the expected figures do not balance (test is wrong)")
			}
			if rep.Total.SuccessRate == nil || *rep.Total.SuccessRate != tt.success {
				t.Errorf("success rate %v, want %v", rep.Total.SuccessRate, tt.success)
			}
			if rep.Total.KioskShare == nil || *rep.Total.KioskShare != 1 {
				t.Errorf("kiosk share %v, want 1 (every dossier came from a kiosk)", rep.Total.KioskShare)
			}
			if rep.Communes[2].Figures.SuccessRate != nil || rep.Communes[2].Figures.KioskShare != nil {
				t.Errorf("an empty commune has rates: %+v", rep.Communes[2].Figures)
			}
			if !slices.Equal(rep.NoRequest, []string{"00025"}) {
				t.Errorf("communes with no request %v, want [00025]", rep.NoRequest)
			}
			if !slices.Equal(rep.Months, tt.months) {
				t.Errorf("months %+v, want %+v", rep.Months, tt.months)
			}
		})
	}
	t.Run("empty scope counts nothing", func(t *testing.T) {
		n := 0
		if err := s.UptakeRows(ctx, city.Scope{}, vn(1, 1, 0, 0), vn(12, 31, 0, 0), func(city.ReportRow) { n++ }); err != nil || n != 0 {
			t.Fatalf("%d rows, %v", n, err)
		}
	})
	t.Run("a commune outside the scope is not read", func(t *testing.T) {
		n := 0
		s.UptakeRows(ctx, scope, vn(1, 1, 0, 0), vn(12, 31, 0, 0), func(r city.ReportRow) {
			if r.Office == "00070" {
				n++
			}
		})
		if n != 0 {
			t.Fatalf("%d rows of 00070", n)
		}
	})
}
