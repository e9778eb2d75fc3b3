package city

import (
	"encoding/csv"
	"html/template"
	"net/http"
	"strconv"
	"time"
)

type auditData struct {
	User      string       `json:"user,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Action    string       `json:"action,omitempty"`
	From      string       `json:"from"`
	To        string       `json:"to"`
	Entries   []AuditEntry `json:"entries"`
	Next      uint64       `json:"next,omitempty"`
	NextURL   template.URL `json:"-"`
	CSVURL    template.URL `json:"-"`
	Error     string       `json:"error,omitempty"`
}

// handleAudit is the audit log, today by default, filterable by user,
// dossier, action and dates; ?format=csv exports it (and that export is
// itself audited). Nothing here changes or removes an entry.
func (o *office) handleAudit(w http.ResponseWriter, r *http.Request, p *principal) {
	v := r.URL.Query()
	today := o.s.now().In(vnZone).Format(time.DateOnly)
	d := auditData{User: v.Get("user"), RequestID: v.Get("request"), Action: v.Get("action"), From: v.Get("from"), To: v.Get("to")}
	if d.From == "" {
		d.From = today
	}
	if d.To == "" {
		d.To = today
	}
	f := AuditFilter{RequestID: d.RequestID, Action: d.Action, Limit: 200}
	if d.User != "" {
		u, err := o.store.UserByName(r.Context(), d.User)
		if err != nil {
			f.UserID = "-" // no such user: nothing matches
		} else {
			f.UserID = u.ID
		}
	}
	from, err1 := time.ParseInLocation(time.DateOnly, d.From, vnZone)
	to, err2 := time.ParseInLocation(time.DateOnly, d.To, vnZone)
	if err1 != nil || err2 != nil {
		d.Error, d.Entries = "err_date", []AuditEntry{}
		o.renderStatus(w, r, p, http.StatusBadRequest, "audit", d)
		return
	}
	f.From, f.To = from, to.AddDate(0, 0, 1)
	if b, err := strconv.ParseUint(v.Get("before"), 10, 64); err == nil {
		f.Before = b
	}
	if v.Get("format") == "csv" {
		if err := o.audit(r.Context(), p, "export.audit", "", "", "from "+d.From+" to "+d.To); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="audit-`+d.From+`-`+d.To+`.csv"`)
		w.Write([]byte("\ufeff"))
		cw := csv.NewWriter(w)
		cw.Write([]string{"seq", "thoi_gian", "nguoi_dung", "dia_chi", "hanh_dong", "ho_so", "xa_phuong", "chi_tiet"})
		f.Limit = 1000
		for {
			page, err := o.store.Audit(r.Context(), f)
			if err != nil {
				o.s.log.Error("Audit export stopped", "err", err)
				return
			}
			for _, e := range page {
				cw.Write([]string{strconv.FormatUint(e.Seq, 10), csvTime(e.At), e.UserName, e.Addr, e.Action, e.RequestID, e.Commune, e.Detail})
			}
			cw.Flush()
			if len(page) < f.Limit {
				return
			}
			f.Before = page[len(page)-1].Seq
		}
	}
	list, err := o.store.Audit(r.Context(), f)
	if err != nil {
		o.s.internal(w, "Audit page", err)
		return
	}
	d.Entries = list
	cq := r.URL.Query()
	cq.Set("format", "csv")
	cq.Set("from", d.From)
	cq.Set("to", d.To)
	d.CSVURL = template.URL("/office/audit?" + cq.Encode())
	if len(list) == f.Limit {
		d.Next = list[len(list)-1].Seq
		q := r.URL.Query()
		q.Set("before", strconv.FormatUint(d.Next, 10))
		d.NextURL = template.URL("/office/audit?" + q.Encode())
	}
	o.render(w, r, p, "audit", d)
}
