package city

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteReportCSV writes the report as CSV in UTF-8 with a byte-order mark
// (so that a spreadsheet opened by double-click reads Vietnamese right):
// one row per commune, the city's total, then one row per service. Rates
// are percentages with one decimal; empty when there is nothing to rate.
func WriteReportCSV(w io.Writer, rep Report) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{both("xcol_commune_code"), both("xcol_commune"), both("xcol_service")}
	for _, c := range reportColumns {
		head = append(head, c.head.VI+" ("+c.head.EN+")")
	}
	for _, c := range satisfactionColumns {
		head = append(head, c.head.VI+" ("+c.head.EN+")")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := func(code, name, service string, f Figures, sat *SatisfactionFigures) []string {
		rec := []string{code, name, service}
		for _, c := range reportColumns {
			rec = append(rec, csvCell(c.value(f))(c.rate))
		}
		for _, c := range satisfactionColumns {
			if sat == nil {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, csvCell(c.value(*sat))(c.rate))
		}
		return rec
	}
	all := both("xrow_all")
	for _, c := range rep.Communes {
		if err := cw.Write(line(c.Commune, c.Name, all, c.Figures, &c.Satisfaction)); err != nil {
			return err
		}
	}
	if err := cw.Write(line("", both("xrow_city_total"), all, rep.Total, &rep.Satisfaction)); err != nil {
		return err
	}
	for _, s := range rep.Services {
		if err := cw.Write(line("", both("xrow_city_total"), s.Name.VI+" ("+s.Service+")", s.Figures, nil)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(v float64, ok bool) func(rate bool) string {
	return func(rate bool) string {
		switch {
		case !ok:
			return ""
		case rate:
			return fmt.Sprintf("%.1f", 100*v)
		}
		return strconv.FormatInt(int64(v), 10)
	}
}
