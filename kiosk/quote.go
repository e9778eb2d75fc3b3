package kiosk

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of quote lines.
const (
	LineFee     = "fee"
	LineWaiver  = "waiver"
	LinePostage = "postage"
)

// FeeQuote is what a request costs, line by line, as shown on the review
// screen and the receipt. Amounts are whole đồng.
type FeeQuote struct {
	Service          string      `json:"service"`
	CatalogueVersion string      `json:"catalogue_version"`
	Date             string      `json:"date"` // the day the rules were taken at (Viet Nam)
	Lines            []QuoteLine `json:"lines"`
	TotalVND         int64       `json:"total_vnd"`
	// Total is TotalVND written out in both languages.
	Total Text `json:"total"`
	// Waiver is the waiver in force for this service's fee on Date, applied
	// or not; its condition is always shown while it is in force. Nil when
	// none is in force.
	Waiver *QuoteWaiver `json:"waiver,omitempty"`
	// PostageOnDelivery is true when postage is due but paid to the postal
	// service on delivery, outside the total.
	PostageOnDelivery bool `json:"postage_on_delivery,omitempty"`
	// FeeAtCounter is true when the kiosk cannot price the service (a
	// counter service, or no fee rule in force on Date): the clerk says.
	FeeAtCounter bool `json:"fee_at_counter,omitempty"`
}

// QuoteLine is one line of a quote.
type QuoteLine struct {
	Kind      string `json:"kind"` // fee, waiver, postage
	Label     Text   `json:"label"`
	AmountVND int64  `json:"amount_vnd"`
	Amount    Text   `json:"amount"` // AmountVND written out
	Note      Text   `json:"note,omitzero"`
}

// QuoteWaiver is a waiver in force and whether this request gets it.
type QuoteWaiver struct {
	ID        string `json:"id"`
	Applied   bool   `json:"applied"`
	Condition Text   `json:"condition"`
	Basis     Text   `json:"basis,omitzero"`
	Field     string `json:"field"` // the checkbox that claims it
}

// Quote prices a request with the fee rules, waivers and postage of the
// catalogue in force on now's date in Asia/Ho_Chi_Minh. An unknown service
// gives an empty quote. Copies below 1 count as 1.
func (c *Catalogue) Quote(req Request, now time.Time) (q FeeQuote) {
	day := LocalDate(now)
	q = FeeQuote{Service: req.Service, CatalogueVersion: c.Version, Date: day, Lines: []QuoteLine{}}
	defer func() { q.Total = formatVND(q.TotalVND) }()
	svc, ok := c.Service(req.Service)
	if !ok {
		return q
	}
	rule, ok := c.FeeRuleAt(svc.Fee, day)
	if !ok {
		q.FeeAtCounter = true
		q.Lines = append(q.Lines, QuoteLine{Kind: LineFee,
			Label: feeWords.atCounterLine, Note: feeWords.noRule})
		q.Lines[0].Amount = atCounter
		return q
	}
	copies := int64(max(req.Copies, 1))
	var fee int64
	switch rule.Per {
	case PerCopy:
		fee = rule.AmountVND * copies
		per := formatVND(rule.AmountVND)
		q.Lines = append(q.Lines, QuoteLine{
			Kind: LineFee,
			Label: Text{
				VI: fmt.Sprintf(feeWords.perCopy.VI, copies, per.VI),
				EN: fmt.Sprintf(feeWords.perCopy.EN, copies, plural(copies, "copy", "copies"), per.EN),
			},
			AmountVND: fee,
			Note:      rule.Basis,
		})
	case PerRequest:
		fee = rule.AmountVND
		q.Lines = append(q.Lines, QuoteLine{Kind: LineFee, Label: feeWords.fee, AmountVND: fee, Note: rule.Basis})
	case PerCounter:
		q.FeeAtCounter = true
		q.Lines = append(q.Lines, QuoteLine{Kind: LineFee,
			Label: feeWords.atCounterLine, Note: rule.Basis})
	}
	q.TotalVND = fee

	for _, w := range c.Waivers {
		if w.Fee != rule.ID || !inPeriod(day, w.ValidFrom, w.ValidTo) {
			continue
		}
		applied := fee > 0 && req.Extra[strings.TrimPrefix(w.Field, "extra.")] == "true"
		q.Waiver = &QuoteWaiver{ID: w.ID, Applied: applied, Condition: w.Condition, Basis: w.Basis, Field: w.Field}
		if applied {
			q.Lines = append(q.Lines, QuoteLine{Kind: LineWaiver,
				Label: feeWords.waived, AmountVND: -fee, Note: w.Condition})
			q.TotalVND -= fee
		}
		break
	}

	if req.Delivery.Method == DeliveryPost {
		line := QuoteLine{Kind: LinePostage, Label: feeWords.postage, AmountVND: c.Postage.TariffVND, Note: c.Postage.Text}
		if c.Postage.TariffVND == 0 {
			q.PostageOnDelivery = true
		} else {
			q.TotalVND += c.Postage.TariffVND
		}
		q.Lines = append(q.Lines, line)
	}
	for i, l := range q.Lines {
		if l.Kind == LineFee && q.FeeAtCounter {
			q.Lines[i].Amount = atCounter
			continue
		}
		if l.Kind == LinePostage && q.PostageOnDelivery {
			// "Postage paid on delivery" is the amount; no note repeats it.
			q.Lines[i].Amount, q.Lines[i].Note = c.Postage.Text, Text{}
			continue
		}
		q.Lines[i].Amount = formatVND(l.AmountVND)
	}
	return q
}

// atCounter is the amount text of a fee the kiosk cannot price.
var atCounter = feeWords.atCounter

// Quote prices req with cat on now's date; see (*Catalogue).Quote.
func Quote(req Request, cat *Catalogue, now time.Time) FeeQuote {
	if cat == nil {
		return FeeQuote{Service: req.Service, Date: LocalDate(now), Lines: []QuoteLine{}, Total: formatVND(0)}
	}
	return cat.Quote(req, now)
}

// FeeRuleAt returns the rule with the given ID in force on day
// (YYYY-MM-DD). A catalogue may carry several rules with one ID and
// periods that do not overlap: a fee change is a new rule from a date.
func (c *Catalogue) FeeRuleAt(id, day string) (FeeRule, bool) {
	for _, f := range c.Fees {
		if f.ID == id && inPeriod(day, f.ValidFrom, f.ValidTo) {
			return f, true
		}
	}
	return FeeRule{}, false
}

// inPeriod reports whether day is within [from, to]; to "" is open-ended.
// All three are YYYY-MM-DD, which compare as strings.
func inPeriod(day, from, to string) bool {
	return day >= from && (to == "" || day <= to)
}

// formatVND writes an amount the way each language does: "8.000 đồng",
// "8,000 VND"; negative amounts get a minus sign.
func formatVND(n int64) Text {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var vi, en strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			vi.WriteByte('.')
			en.WriteByte(',')
		}
		vi.WriteRune(r)
		en.WriteRune(r)
	}
	sign := ""
	if neg {
		sign = "−"
	}
	return Text{VI: sign + vi.String() + feeWords.currency.VI, EN: sign + en.String() + feeWords.currency.EN}
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
