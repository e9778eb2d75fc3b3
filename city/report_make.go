package city

import (
	"context"
	"errors"
	"fmt"

	"communekiosk/kiosk"
)

// UptakeReport computes the uptake report of a period inside the caller's
// scope: the store hands over the rows of the scope only (ReportStore, or
// the back office's scoped dossier list), the builder counts them, and the
// kiosks' satisfaction tallies of the period are added per commune.
func (s *Server) UptakeReport(ctx context.Context, sc Scope, p Period) (Report, error) {
	b := NewReportBuilder(p, s.now())
	switch st := s.store.(type) {
	case ReportStore:
		if err := st.UptakeRows(ctx, sc, p.From, p.To, b.Add); err != nil {
			return Report{}, err
		}
	case DossierStore:
		// A store without a report index: page through its scoped list.
		f := DossierFilter{ReceivedTo: p.To, Limit: 1000}
		for {
			page, err := st.Dossiers(ctx, sc, f)
			if err != nil {
				return Report{}, fmt.Errorf("city: report: %w", err)
			}
			for _, r := range page {
				b.Add(RowOf(r))
			}
			if len(page) < f.Limit {
				break
			}
			f.After = page[len(page)-1].CityRef
		}
	default:
		return Report{}, errors.New("city: this store cannot make reports")
	}
	cat, _, err := s.currentCatalogue(ctx)
	if err != nil {
		return Report{}, err
	}
	rep := b.Report(sc, cat)
	if ss, ok := s.store.(SatisfactionStore); ok {
		byCommune, err := ss.Satisfaction(ctx, sc, kiosk.LocalDate(p.From), kiosk.LocalDate(p.To))
		if err != nil {
			return Report{}, fmt.Errorf("city: report satisfaction: %w", err)
		}
		for i := range rep.Communes {
			sf := byCommune[rep.Communes[i].Commune]
			rep.Communes[i].Satisfaction = sf
			rep.Satisfaction.addFigures(sf)
		}
	}
	return rep, nil
}
