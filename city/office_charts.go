package city

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"communekiosk/kiosk"
)

// The report's charts are SVG made on the server: geometry here, markup
// in report.html (html/template escapes every label). Nothing is fetched
// and no script runs; they print as they show.

// barChart is one horizontal bar per commune, longest first.
type barChart struct {
	Width, Height int
	Bars          []chartBar
	More          int // communes with dossiers not drawn
}

type chartBar struct {
	Label      string
	Value      int
	Y, W       int // bar top and width
	TextY      int
	ValueX     int
	LabelWidth int
}

const (
	barRow      = 22
	barLabelW   = 190
	barMaxW     = 420
	barMaxCount = 30
)

func communeBars(rep Report) barChart {
	rows := slices.Clone(rep.Communes)
	slices.SortStableFunc(rows, func(a, b CommuneRow) int { return b.Figures.Received - a.Figures.Received })
	var c barChart
	max := 1
	for _, r := range rows {
		if r.Figures.Received > max {
			max = r.Figures.Received
		}
	}
	for _, r := range rows {
		if r.Figures.Received == 0 {
			break
		}
		if len(c.Bars) == barMaxCount {
			c.More++
			continue
		}
		i := len(c.Bars)
		name := r.Name
		if name == "" {
			name = r.Commune
		}
		w := r.Figures.Received * barMaxW / max
		c.Bars = append(c.Bars, chartBar{Label: name, Value: r.Figures.Received, Y: i*barRow + 4, W: max1(w), TextY: i*barRow + 17,
			ValueX: barLabelW + max1(w) + 6, LabelWidth: barLabelW - 8})
	}
	c.Width, c.Height = barLabelW+barMaxW+60, len(c.Bars)*barRow+8
	return c
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// columnChart is one column per month: the trend.
type columnChart struct {
	Width, Height, Base int
	Columns             []chartColumn
}

type chartColumn struct {
	Label         string
	Value         int
	X, Y, W, H    int
	TextX, ValueY int
}

func monthColumns(months []MonthCount) columnChart {
	const colW, gap, top, plot = 40, 14, 20, 160
	c := columnChart{Height: top + plot + 30, Base: top + plot}
	max := 1
	for _, m := range months {
		if m.Received > max {
			max = m.Received
		}
	}
	for i, m := range months {
		h := m.Received * plot / max
		if m.Received > 0 {
			h = max1(h)
		}
		x := gap + i*(colW+gap)
		label := m.Month
		if t, err := time.Parse("2006-01", m.Month); err == nil {
			label = t.Format("01/06")
		}
		c.Columns = append(c.Columns, chartColumn{Label: label, Value: m.Received, X: x, Y: c.Base - h, W: colW, H: h,
			TextX: x + colW/2, ValueY: c.Base - h - 5})
	}
	c.Width = gap + len(months)*(colW+gap)
	return c
}

// mixChart is the status mix of the total: one stacked bar and its legend.
type mixChart struct {
	Width, Total int
	Parts        []mixPart
}

type mixPart struct {
	Key   string // office text key
	Value int
	X, W  int
	Color string
	Share string // "42.0 %"
}

// Colours: distinct in lightness as well as hue, and each part is named in
// the legend beside its number, so colour is never the only cue.
func statusMix(f Figures) mixChart {
	const width = 640
	parts := []struct {
		key   string
		n     int
		color string
	}{
		{"mix_done_on_time", f.DoneOnTime, "#1b7837"},
		{"mix_done_late", f.DoneLate, "#a6dba0"},
		{"mix_refused", f.Refused, "#762a83"},
		{"mix_not_accepted", f.NotAccepted, "#c2a5cf"},
		{"mix_withdrawn", f.Withdrawn, "#878787"},
		{"mix_in_progress_on_time", f.InProgressOnTime, "#2166ac"},
		{"mix_in_progress_late", f.InProgressLate, "#d6604d"},
	}
	c := mixChart{Width: width}
	for _, p := range parts {
		c.Total += p.n
	}
	x := 0
	for _, p := range parts {
		m := mixPart{Key: p.key, Value: p.n, Color: p.color, X: x}
		if c.Total > 0 {
			m.W = p.n * width / c.Total
			m.Share = strconv.FormatFloat(100*float64(p.n)/float64(c.Total), 'f', 1, 64) + " %"
		}
		x += m.W
		c.Parts = append(c.Parts, m)
	}
	if c.Total > 0 && x < width { // rounding: the last non-empty part takes the rest
		for i := len(c.Parts) - 1; i >= 0; i-- {
			if c.Parts[i].Value > 0 {
				c.Parts[i].W += width - x
				break
			}
		}
	}
	return c
}

// trendPeriod is the twelve calendar months ending with the month p ends in.
func trendPeriod(p Period) Period {
	last := p.To.Add(-time.Nanosecond).In(kiosk.VietnamZone())
	end := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, kiosk.VietnamZone()).AddDate(0, 1, 0)
	from := end.AddDate(0, -12, 0)
	return Period{From: from, To: end, Kind: PeriodRange, Label: fmt.Sprintf("%s – %s", from.Format("01/2006"), end.AddDate(0, -1, 0).Format("01/2006"))}
}
