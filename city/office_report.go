package city

import (
	"html/template"
	"net/http"
	"net/url"
)

// reportView is the report page: the figures, the charts, the links to
// the same report as CSV, XLSX and JSON.
type reportView struct {
	Report                  Report
	Kind, Month, From, To   string
	CSVURL, XLSXURL, APIURL template.URL
	Bars                    barChart
	Trend                   columnChart
	TrendLabel              string
	Mix                     mixChart
	Error                   string
}

// handleReport is the uptake report of the caller's communes (every role
// sees counts only): ?period=month|cutoff|range&month=YYYY-MM&from=&to=,
// and ?format=csv|xlsx for the exports, which are audited. The JSON API
// answers the Report itself.
func (o *office) handleReport(w http.ResponseWriter, r *http.Request, p *principal) {
	q := r.URL.Query()
	v := reportView{Kind: q.Get("period"), Month: q.Get("month"), From: q.Get("from"), To: q.Get("to")}
	period, err := ParsePeriod(v.Kind, v.Month, v.From, v.To, o.s.now())
	if err != nil {
		if p.API {
			writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
			return
		}
		v.Error = "err_period"
		o.renderStatus(w, r, p, http.StatusBadRequest, "report", v)
		return
	}
	ctx := r.Context()
	sc := p.User.Scope()
	rep, err := o.s.UptakeReport(ctx, sc, period)
	if err != nil {
		o.s.internal(w, "Report", err)
		return
	}
	switch f := q.Get("format"); f {
	case "csv", "xlsx":
		if err := o.audit(ctx, p, "export.report", "", "", f+" "+period.Label); err != nil {
			o.s.internal(w, "Report", err)
			return
		}
		o.s.writeReport(w, rep, f)
		return
	case "", "html", "json":
	default:
		o.fail(w, r, p, http.StatusBadRequest, "err_format")
		return
	}
	if p.API {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	trend, err := o.s.UptakeReport(ctx, sc, trendPeriod(period))
	if err != nil {
		o.s.internal(w, "Report trend", err)
		return
	}
	v.Report, v.Bars, v.Mix = rep, communeBars(rep), statusMix(rep.Total)
	v.Trend, v.TrendLabel = monthColumns(trend.Months), trend.Period.Label
	if v.Kind == "" {
		v.Kind = PeriodMonth
	}
	if v.Month == "" && v.Kind != PeriodRange {
		v.Month = period.To.AddDate(0, 0, -1).In(vnZone).Format("2006-01")
	}
	link := func(format string) template.URL {
		u := url.Values{}
		for k, vals := range q {
			u[k] = vals
		}
		u.Set("format", format)
		return template.URL("/office/report?" + u.Encode())
	}
	v.CSVURL, v.XLSXURL = link("csv"), link("xlsx")
	api := url.Values{}
	for k, vals := range q {
		api[k] = vals
	}
	api.Del("format")
	v.APIURL = "/v1/office/report"
	if len(api) > 0 {
		v.APIURL += template.URL("?" + api.Encode())
	}
	o.render(w, r, p, "report", v)
}
