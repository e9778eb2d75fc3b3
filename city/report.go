package city

import (
	"context"
	"slices"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// Channels a dossier reached the city by (Request.Channel).
const (
	ChannelSync = "kiosk_sync" // pushed by a kiosk over the network
	ChannelUSB  = "usb_import" // carried from a kiosk on a USB drive
)

// ReportRow is what the uptake report reads of one dossier: no personal
// data, only its commune, service, how it came, its status and its dates.
type ReportRow struct {
	Office     string
	Service    string
	Channel    string
	Status     syncproto.Status
	ReceivedAt time.Time
	DueAt      time.Time // the original due date; zero: none set
	FinishedAt time.Time // see FinishedAt
}

// FinishedAt is when a dossier's handling ended, for the report: the time
// its result left the city (posted or picked up) for sent_by_post,
// picked_up and done; the time of the last status change for refused, not
// accepted, withdrawn and rejected; zero while it is open (received,
// accepted, processing, needs_supplement, ready).
func FinishedAt(r Request) time.Time {
	switch r.Status {
	case syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusDone:
		if !r.ResultAt.IsZero() {
			return r.ResultAt
		}
		return r.UpdatedAt
	case syncproto.StatusRefused, syncproto.StatusNotAccepted, syncproto.StatusWithdrawn, syncproto.StatusRejected:
		return r.UpdatedAt
	}
	return time.Time{}
}

// RowOf is the report row of a request.
func RowOf(r Request) ReportRow {
	office := r.Office
	if office == "" {
		office = r.Commune
	}
	return ReportRow{Office: office, Service: r.Service, Channel: r.Channel, Status: r.Status,
		ReceivedAt: r.ReceivedAt, DueAt: r.DueAt, FinishedAt: FinishedAt(r)}
}

// Figures are the counts of one line of the report (docs/reports.md says
// how each is counted). They hold only counts.
type Figures struct {
	// Received in the period, by channel (Biểu 06 "mới tiếp nhận").
	Received     int `json:"received"`
	ReceivedSync int `json:"received_sync"`
	ReceivedUSB  int `json:"received_usb"`
	// CarriedOver: received before the period, still open at its start
	// ("từ kỳ trước").
	CarriedOver int `json:"carried_over"`
	// Ended in the period: done (the result returned), on time or late
	// against the original due date; refused (rejected counts here);
	// not accepted; withdrawn.
	Done        int `json:"done"`
	DoneOnTime  int `json:"done_on_time"`
	DoneLate    int `json:"done_late"`
	Refused     int `json:"refused"`
	NotAccepted int `json:"not_accepted"`
	Withdrawn   int `json:"withdrawn"`
	// Still open at the end of the period (or now, if sooner), on time or
	// late at that moment.
	InProgress       int `json:"in_progress"`
	InProgressOnTime int `json:"in_progress_on_time"`
	InProgressLate   int `json:"in_progress_late"`
	// SuccessRate = Done / (Done + Refused + NotAccepted); nil when that
	// is 0. KioskShare = (ReceivedSync + ReceivedUSB) / Received; nil when
	// nothing was received.
	SuccessRate *float64 `json:"success_rate"`
	KioskShare  *float64 `json:"kiosk_share"`
}

func (f *Figures) add(o Figures) {
	f.Received += o.Received
	f.ReceivedSync += o.ReceivedSync
	f.ReceivedUSB += o.ReceivedUSB
	f.CarriedOver += o.CarriedOver
	f.Done += o.Done
	f.DoneOnTime += o.DoneOnTime
	f.DoneLate += o.DoneLate
	f.Refused += o.Refused
	f.NotAccepted += o.NotAccepted
	f.Withdrawn += o.Withdrawn
	f.InProgress += o.InProgress
	f.InProgressOnTime += o.InProgressOnTime
	f.InProgressLate += o.InProgressLate
}

func (f *Figures) finish() {
	f.SuccessRate, f.KioskShare = nil, nil
	if n := f.Done + f.Refused + f.NotAccepted; n > 0 {
		r := float64(f.Done) / float64(n)
		f.SuccessRate = &r
	}
	if f.Received > 0 {
		r := float64(f.ReceivedSync+f.ReceivedUSB) / float64(f.Received)
		f.KioskShare = &r
	}
}

// CommuneRow is one commune of the report: its figures over every service
// and, for the services it had any dossier of, per service.
type CommuneRow struct {
	Commune  string       `json:"commune"`
	Name     string       `json:"name"`
	Kind     string       `json:"kind,omitempty"` // phường, xã
	Figures  Figures      `json:"figures"`
	Services []ServiceRow `json:"services"`
	// Satisfaction is what its kiosks' citizens answered in the period.
	Satisfaction SatisfactionFigures `json:"satisfaction"`
}

// ServiceRow is one service's figures.
type ServiceRow struct {
	Service string     `json:"service"`
	Name    kiosk.Text `json:"name"`
	Figures Figures    `json:"figures"`
}

// MonthCount is the dossiers received in one calendar month of the period.
type MonthCount struct {
	Month    string `json:"month"` // YYYY-MM
	Received int    `json:"received"`
}

// Report is the uptake report of a period and a scope.
type Report struct {
	Period Period    `json:"period"`
	AsOf   time.Time `json:"as_of"` // the end of the period, or when it was made if sooner
	// Communes has a row for every commune of the scope, zeros included,
	// in code order.
	Communes []CommuneRow `json:"communes"`
	Services []ServiceRow `json:"services"`
	Total    Figures      `json:"total"`
	// NoRequest lists the communes that received no dossier in the period.
	NoRequest    []string            `json:"no_request"`
	Months       []MonthCount        `json:"months"`
	Satisfaction SatisfactionFigures `json:"satisfaction"`
}

// ReportStore computes the report's figures in the store, inside the
// caller's scope (an empty scope: no commune, nothing counted).
type ReportStore interface {
	// UptakeRows calls add with every dossier of the scope that was
	// received before to and had not finished before from; a store may
	// hand over rows from an index of its own.
	UptakeRows(ctx context.Context, sc Scope, from, to time.Time, add func(ReportRow)) error
}

// ReportBuilder aggregates rows into a Report. Stores that cannot
// aggregate in their query language feed it rows.
type ReportBuilder struct {
	period Period
	asOf   time.Time
	cells  map[[2]string]*cell // office, service
	// monthStarts are the first instants of the calendar months the
	// period touches (Asia/Ho_Chi_Minh), in order.
	monthStarts []time.Time
	// The last office and its cells: stores hand rows over office by
	// office, so most rows skip the map of pairs.
	lastOffice string
	lastCells  map[string]*cell
}

type cell struct {
	Figures
	months []int // received per month of monthStarts
}

// NewReportBuilder starts a report of period made at now.
func NewReportBuilder(p Period, now time.Time) *ReportBuilder {
	asOf := p.To
	if now.Before(asOf) {
		asOf = now
	}
	b := &ReportBuilder{period: p, asOf: asOf, cells: map[[2]string]*cell{}}
	start := p.From.In(kiosk.VietnamZone())
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, kiosk.VietnamZone()); m.Before(p.To); m = m.AddDate(0, 1, 0) {
		b.monthStarts = append(b.monthStarts, m)
	}
	return b
}

func (b *ReportBuilder) cell(office, service string) *cell {
	if office != b.lastOffice || b.lastCells == nil {
		b.lastOffice, b.lastCells = office, map[string]*cell{}
		for key, c := range b.cells {
			if key[0] == office {
				b.lastCells[key[1]] = c
			}
		}
	}
	c := b.lastCells[service]
	if c == nil {
		c = &cell{months: make([]int, len(b.monthStarts))}
		b.lastCells[service] = c
		b.cells[[2]string{office, service}] = c
	}
	return c
}

// Add counts one dossier.
func (b *ReportBuilder) Add(r ReportRow) {
	from, to := b.period.From, b.period.To
	if !r.ReceivedAt.Before(to) || (!r.FinishedAt.IsZero() && r.FinishedAt.Before(from)) {
		return
	}
	c := b.cell(r.Office, r.Service)
	f := &c.Figures
	if r.ReceivedAt.Before(from) {
		f.CarriedOver++
	} else {
		f.Received++
		switch r.Channel {
		case ChannelSync:
			f.ReceivedSync++
		case ChannelUSB:
			f.ReceivedUSB++
		}
		m := len(b.monthStarts) - 1
		for m > 0 && r.ReceivedAt.Before(b.monthStarts[m]) {
			m--
		}
		c.months[m]++
	}
	if !r.FinishedAt.IsZero() && r.FinishedAt.Before(to) {
		switch r.Status {
		case syncproto.StatusPosted, syncproto.StatusPickedUp, syncproto.StatusDone:
			f.Done++
			if r.DueAt.IsZero() || !r.FinishedAt.After(r.DueAt) {
				f.DoneOnTime++
			} else {
				f.DoneLate++
			}
		case syncproto.StatusRefused, syncproto.StatusRejected:
			f.Refused++
		case syncproto.StatusNotAccepted:
			f.NotAccepted++
		case syncproto.StatusWithdrawn:
			f.Withdrawn++
		}
		return
	}
	f.InProgress++
	if !r.DueAt.IsZero() && r.DueAt.Before(b.asOf) {
		f.InProgressLate++
	} else {
		f.InProgressOnTime++
	}
}

// Report returns the report for the communes of the scope: every one gets
// a row; names come from the administrative units.
func (b *ReportBuilder) Report(sc Scope, cat *kiosk.Catalogue) Report {
	rep := Report{Period: b.period, AsOf: b.asOf, Communes: []CommuneRow{}, Services: []ServiceRow{}, NoRequest: []string{}, Months: []MonthCount{}}
	communes := slices.Clone(sc.Communes)
	slices.Sort(communes)
	communes = slices.Compact(communes)
	services := map[string]*Figures{}
	months := make([]int, len(b.monthStarts))
	serviceName := func(id string) kiosk.Text {
		if cat != nil {
			if s, ok := cat.Service(id); ok {
				return s.Name
			}
		}
		return kiosk.Text{VI: id, EN: id}
	}
	for _, c := range communes {
		if c == "" {
			continue
		}
		row := CommuneRow{Commune: c, Services: []ServiceRow{}}
		if u, ok := kiosk.UnitByCode(c); ok {
			row.Name, row.Kind = u.Name, u.Kind
		}
		var ids []string
		for key := range b.cells {
			if key[0] == c {
				ids = append(ids, key[1])
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			cl := b.cells[[2]string{c, id}]
			f := cl.Figures
			for i, n := range cl.months {
				months[i] += n
			}
			row.Figures.add(f)
			if services[id] == nil {
				services[id] = &Figures{}
			}
			services[id].add(f)
			f.finish()
			row.Services = append(row.Services, ServiceRow{Service: id, Name: serviceName(id), Figures: f})
		}
		row.Figures.finish()
		rep.Total.add(row.Figures)
		if row.Figures.Received == 0 {
			rep.NoRequest = append(rep.NoRequest, c)
		}
		rep.Communes = append(rep.Communes, row)
	}
	rep.Total.finish()
	ids := make([]string, 0, len(services))
	for id := range services {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		f := *services[id]
		f.finish()
		rep.Services = append(rep.Services, ServiceRow{Service: id, Name: serviceName(id), Figures: f})
	}
	// Every month of the period, zeros included.
	for i, m := range b.monthStarts {
		rep.Months = append(rep.Months, MonthCount{Month: m.Format("2006-01"), Received: months[i]})
	}
	return rep
}
