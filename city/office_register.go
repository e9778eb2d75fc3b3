package city

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// registerData is the dossier register (Mẫu 07, sổ theo dõi hồ sơ) or the
// daily due/overdue list, for a period and the scope's communes.
type registerData struct {
	Kind  string     `json:"kind"` // register, due
	Query queueQuery `json:"filter"`
	Rows  []QueueRow `json:"dossiers"`
	Total int        `json:"total"`
	More  bool       `json:"more"` // over the page's 5,000: narrow the period or use CSV
	Error string     `json:"error,omitempty"`
}

const registerMax = 5000

// handleRegister is Mẫu 07: every dossier received in the period (default
// this month), numbered; ?format=csv streams all of them.
func (o *office) handleRegister(w http.ResponseWriter, r *http.Request, p *principal) {
	q := parseQueueQuery(r.URL.Query())
	if q.From == "" && q.To == "" {
		now := o.s.now().In(vnZone)
		q.From = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, vnZone).Format(time.DateOnly)
		q.To = now.Format(time.DateOnly)
	}
	o.list(w, r, p, "register", q)
}

// handleDueList is the daily list: open dossiers due within 3 working days
// and the overdue ones, oldest due first.
func (o *office) handleDueList(w http.ResponseWriter, r *http.Request, p *principal) {
	q := parseQueueQuery(r.URL.Query())
	q.Due, q.Status = "", ""
	o.list(w, r, p, "due", q)
}

func (o *office) list(w http.ResponseWriter, r *http.Request, p *principal, kind string, q queueQuery) {
	cal, err := o.calendar(r)
	if err != nil {
		o.s.internal(w, "Calendar", err)
		return
	}
	f, err := o.filter(q, p, cal)
	if err != nil {
		_, key := actError(err)
		o.renderStatus(w, r, p, http.StatusBadRequest, "register", registerData{Kind: kind, Query: q, Error: key})
		return
	}
	now := o.s.now()
	if kind == "due" {
		f.DueFrom, f.DueTo = time.Unix(1, 0), cal.dueSoonLimit(now).Add(time.Second)
	}
	csvOut := r.URL.Query().Get("format") == "csv"
	if csvOut {
		if err := o.audit(r.Context(), p, "export."+kind, "", "", q.values().Encode()); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		o.streamCSV(w, r, p, kind, f, cal, now)
		return
	}
	d := registerData{Kind: kind, Query: q, Rows: []QueueRow{}}
	f.Limit = 1000
	for len(d.Rows) < registerMax {
		page, err := o.store.Dossiers(r.Context(), p.User.Scope(), f)
		if err != nil {
			o.s.internal(w, "Register", err)
			return
		}
		for _, x := range page {
			d.Rows = append(d.Rows, o.row(x, p, cal, now))
		}
		if len(page) < f.Limit {
			break
		}
		f.After = page[len(page)-1].CityRef
	}
	if d.Total, err = o.store.CountDossiers(r.Context(), p.User.Scope(), f); err != nil {
		o.s.internal(w, "Register", err)
		return
	}
	d.More = d.Total > len(d.Rows)
	name := "register"
	if r.URL.Query().Get("print") == "1" && !p.API {
		name = "register_print"
	}
	o.render(w, r, p, name, d)
}

// streamCSV writes every dossier of the filter as CSV with a UTF-8 byte
// order mark (so Excel reads Vietnamese), page by page.
func (o *office) streamCSV(w http.ResponseWriter, r *http.Request, p *principal, kind string, f DossierFilter, cal Calendar, now time.Time) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, kind, now.In(vnZone).Format("20060102")))
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"stt", "ma_ho_so", "so_tham_chieu", "thu_tuc", "dich_vu", "xa_phuong", "nguoi_yeu_cau", "ngay_nhan",
		"han_tra", "han_moi", "ngay_tra", "trang_thai", "ma_trang_thai_dvcqg", "nhan_ket_qua", "so_hieu_buu_gui", "danh_dau"})
	f.Limit = 1000
	n := 0
	for {
		page, err := o.store.Dossiers(r.Context(), p.User.Scope(), f)
		if err != nil {
			o.s.log.Error("CSV export stopped", "err", err)
			return
		}
		for _, x := range page {
			n++
			row := o.row(x, p, cal, now)
			proc := ""
			if s, ok := o.s.cat.Service(x.Service); ok {
				proc = s.Procedure
			}
			cw.Write([]string{strconv.Itoa(n), x.Code, x.CityRef, proc, x.Service, x.Office, x.MaskedName, csvTime(x.ReceivedAt),
				csvTime(x.DueAt), csvTime(x.NewDueAt), csvTime(x.ResultAt), string(x.Status), strconv.Itoa(NationalCode(x.Status)),
				x.Delivery, x.Tracking, row.Flag})
		}
		cw.Flush()
		if len(page) < f.Limit {
			return
		}
		f.After = page[len(page)-1].CityRef
	}
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vnZone).Format("2006-01-02 15:04")
}
