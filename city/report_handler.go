package city

import (
	"net/http"

	"communekiosk/kiosk"
)

// cityScope is every commune of Hà Nội: the operator token's scope.
func cityScope() Scope {
	units := kiosk.Communes("01")
	sc := Scope{Communes: make([]string, len(units))}
	for i, u := range units {
		sc.Communes[i] = u.Code
	}
	return sc
}

// handleReport answers GET /v1/operator/report?period=month|cutoff|range
// &month=YYYY-MM&from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv|xlsx, for
// every commune of the city (the operator token sees the whole city).
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := ParsePeriod(q.Get("period"), q.Get("month"), q.Get("from"), q.Get("to"), s.now())
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	rep, err := s.UptakeReport(r.Context(), cityScope(), p)
	if err != nil {
		s.internal(w, "Report", err)
		return
	}
	s.writeReport(w, rep, q.Get("format"))
}

// writeReport sends a report as JSON, CSV or XLSX.
func (s *Server) writeReport(w http.ResponseWriter, rep Report, format string) {
	switch format {
	case "", "json":
		writeJSON(w, http.StatusOK, rep)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+reportFileName(rep, "csv")+`"`)
		if err := WriteReportCSV(w, rep); err != nil {
			s.log.Warn("Report CSV cut short", "err", err)
		}
	case "xlsx":
		data, err := ReportXLSX(rep)
		if err != nil {
			s.internal(w, "Report XLSX", err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+reportFileName(rep, "xlsx")+`"`)
		w.Write(data)
	default:
		writeError(w, http.StatusBadRequest, CodeBadRequest, "format: want json, csv or xlsx")
	}
}

func reportFileName(rep Report, ext string) string {
	return "bao-cao-" + kiosk.LocalDate(rep.Period.From) + "_" + kiosk.LocalDate(rep.Period.To.AddDate(0, 0, -1)) + "." + ext
}
