package city

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"communekiosk/sync/syncproto"
)

// queueQuery is the queue's filter as it stands in the URL, so a filtered
// list can be bookmarked, shared and exported.
type queueQuery struct {
	Status   string `json:"status,omitempty"`
	Office   string `json:"office,omitempty"`
	Service  string `json:"service,omitempty"`
	Delivery string `json:"delivery,omitempty"`
	From     string `json:"from,omitempty"` // received from, YYYY-MM-DD
	To       string `json:"to,omitempty"`   // received to, inclusive
	Due      string `json:"due,omitempty"`  // soon, overdue
	Q        string `json:"q,omitempty"`
	Mine     bool   `json:"mine,omitempty"`
	After    string `json:"after,omitempty"`
}

func parseQueueQuery(v url.Values) queueQuery {
	return queueQuery{Status: v.Get("status"), Office: v.Get("office"), Service: v.Get("service"), Delivery: v.Get("delivery"),
		From: v.Get("from"), To: v.Get("to"), Due: v.Get("due"), Q: strings.TrimSpace(v.Get("q")), Mine: v.Get("mine") == "1",
		After: v.Get("after")}
}

// values is the query as URL values, without the page cursor.
func (q queueQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"status": q.Status, "office": q.Office, "service": q.Service, "delivery": q.Delivery,
		"from": q.From, "to": q.To, "due": q.Due, "q": q.Q} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Mine {
		v.Set("mine", "1")
	}
	return v
}

// url is path with the query; the values are escaped here, so templates
// take it as a URL.
func (q queueQuery) url(path string, extra ...string) template.URL {
	v := q.values()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return template.URL(path)
	}
	return template.URL(path + "?" + v.Encode())
}

// with returns the query string with one field changed.
func (q queueQuery) with(key, value string) string {
	v := q.values()
	if value == "" {
		v.Del(key)
	} else {
		v.Set(key, value)
	}
	return v.Encode()
}

// filter turns the query into a store filter; bad values are errors the
// officer sees.
func (o *office) filter(q queueQuery, p *principal, cal Calendar) (DossierFilter, error) {
	f := DossierFilter{Office: q.Office, Service: q.Service, Delivery: q.Delivery, Query: q.Q, After: q.After}
	if q.Status != "" {
		st := syncproto.Status(q.Status)
		if !st.Valid() {
			return f, userError{"err_filter"}
		}
		f.Statuses = []syncproto.Status{st}
	}
	if q.Delivery != "" && q.Delivery != "post" && q.Delivery != "pickup" {
		return f, userError{"err_filter"}
	}
	if q.From != "" {
		d, err := time.ParseInLocation(time.DateOnly, q.From, vnZone)
		if err != nil {
			return f, userError{"err_date"}
		}
		f.ReceivedFrom = d
	}
	if q.To != "" {
		d, err := time.ParseInLocation(time.DateOnly, q.To, vnZone)
		if err != nil {
			return f, userError{"err_date"}
		}
		f.ReceivedTo = d.AddDate(0, 0, 1)
	}
	now := o.s.now()
	switch q.Due {
	case "":
	case "soon":
		f.DueFrom, f.DueTo = now, cal.dueSoonLimit(now).Add(time.Second)
	case "overdue":
		f.DueFrom, f.DueTo = time.Unix(1, 0), now
	default:
		return f, userError{"err_filter"}
	}
	if q.Mine {
		f.Assignee = p.User.ID
	}
	return f, nil
}

func (o *office) calendar(r *http.Request) (Calendar, error) {
	days, err := o.store.CalendarDays(r.Context())
	if err != nil {
		return Calendar{}, err
	}
	return NewCalendar(days), nil
}

// QueueRow is one dossier in a list: no personal data but the masked name.
type QueueRow struct {
	RequestID  string           `json:"request_id"`
	Code       string           `json:"code"`
	CityRef    string           `json:"city_ref"`
	Service    string           `json:"service"`
	Office     string           `json:"office"`
	KioskID    string           `json:"kiosk_id"`
	Delivery   string           `json:"delivery"`
	MaskedName string           `json:"masked_name"`
	ReceivedAt time.Time        `json:"received_at"`
	DueAt      time.Time        `json:"due_at,omitzero"`
	NewDueAt   time.Time        `json:"new_due_at,omitzero"`
	ResultAt   time.Time        `json:"result_at,omitzero"`
	Status     syncproto.Status `json:"status"`
	National   int              `json:"national_code"`
	Flag       string           `json:"flag,omitempty"`
	Assignee   string           `json:"assignee,omitempty"`
	Tracking   string           `json:"tracking,omitempty"`
	Mine       bool             `json:"mine"`
	Actions    []string         `json:"-"`
}

func (o *office) row(r Request, p *principal, cal Calendar, now time.Time) QueueRow {
	return QueueRow{RequestID: r.RequestID, Code: r.Code, CityRef: r.CityRef, Service: r.Service, Office: r.Office, KioskID: r.KioskID,
		Delivery: r.Delivery, MaskedName: r.MaskedName, ReceivedAt: r.ReceivedAt, DueAt: r.DueAt, NewDueAt: r.NewDueAt,
		ResultAt: r.ResultAt, Status: r.Status, National: NationalCode(r.Status), Flag: cal.DueFlag(r, now),
		Assignee: r.Assignee, Tracking: r.Tracking, Mine: r.Assignee != "" && r.Assignee == p.User.ID}
}

// Bucket is one counter of the queue, with the query that opens it.
type Bucket struct {
	Key    string       `json:"key"` // a status, or due_soon / overdue
	Count  int          `json:"count"`
	URL    template.URL `json:"-"`
	Active bool         `json:"-"`
}

type queueData struct {
	Query   queueQuery   `json:"filter"`
	Buckets []Bucket     `json:"buckets"`
	Total   int          `json:"total"`
	Rows    []QueueRow   `json:"dossiers"`
	Next    string       `json:"next,omitempty"`
	NextURL template.URL `json:"-"`
	Offices []string     `json:"-"`
	Error   string       `json:"error,omitempty"`
}

// buckets counts each status and the two due flags under the query's
// other filters: exact counts from the store, scope applied there.
func (o *office) buckets(r *http.Request, p *principal, q queueQuery, cal Calendar) ([]Bucket, error) {
	base := q
	base.Status, base.Due, base.After = "", "", ""
	f, err := o.filter(base, p, cal)
	if err != nil {
		return nil, err
	}
	sc := p.User.Scope()
	counts, err := countByStatus(r.Context(), o.store, sc, f)
	if err != nil {
		return nil, err
	}
	var out []Bucket
	for _, st := range AllStatuses {
		n := counts[st]
		if n == 0 && st == syncproto.StatusRejected {
			continue // the token API's old status, shown only when used
		}
		b := base
		b.Status = string(st)
		out = append(out, Bucket{Key: string(st), Count: n, URL: b.url("/office/queue"), Active: q.Status == string(st) && q.Due == ""})
	}
	for _, due := range []string{"soon", "overdue"} {
		b := base
		b.Due = due
		g, err := o.filter(b, p, cal)
		if err != nil {
			return nil, err
		}
		n, err := o.store.CountDossiers(r.Context(), sc, g)
		if err != nil {
			return nil, err
		}
		key := map[string]string{"soon": FlagDueSoon, "overdue": FlagOverdue}[due]
		out = append(out, Bucket{Key: key, Count: n, URL: b.url("/office/queue"), Active: q.Due == due && q.Status == ""})
	}
	return out, nil
}

func (o *office) handleQueue(w http.ResponseWriter, r *http.Request, p *principal) {
	q := parseQueueQuery(r.URL.Query())
	cal, err := o.calendar(r)
	if err != nil {
		o.s.internal(w, "Calendar", err)
		return
	}
	d := queueData{Query: q, Offices: slices.Sorted(slices.Values(p.User.Communes))}
	f, err := o.filter(q, p, cal)
	if err != nil {
		_, d.Error = actError(err)
		o.renderStatus(w, r, p, http.StatusBadRequest, "queue", d)
		return
	}
	f.Limit = 50
	ctx := r.Context()
	sc := p.User.Scope()
	list, err := o.store.Dossiers(ctx, sc, f)
	if err != nil {
		o.s.internal(w, "Queue", err)
		return
	}
	if d.Buckets, err = o.buckets(r, p, q, cal); err != nil {
		o.s.internal(w, "Queue buckets", err)
		return
	}
	// The total is a bucket's count, or their sum, unless a due filter
	// narrows it: one walk fewer when no index answers the filter.
	switch {
	case q.Due != "":
		if d.Total, err = o.store.CountDossiers(ctx, sc, f); err != nil {
			o.s.internal(w, "Queue count", err)
			return
		}
	default:
		for _, b := range d.Buckets {
			if b.Key != FlagDueSoon && b.Key != FlagOverdue && (q.Status == "" || q.Status == b.Key) {
				d.Total += b.Count
			}
		}
	}
	now := o.s.now()
	d.Rows = []QueueRow{}
	for _, x := range list {
		d.Rows = append(d.Rows, o.row(x, p, cal, now))
	}
	if len(list) == f.Limit {
		d.Next = list[len(list)-1].CityRef
		d.NextURL = template.URL("/office/queue?" + q.with("after", d.Next))
	}
	o.render(w, r, p, "queue", d)
}

type countsRow struct {
	Office  string         `json:"office"`
	Counts  map[string]int `json:"counts"`
	Total   int            `json:"total"`
	DueSoon int            `json:"due_soon"`
	Overdue int            `json:"overdue"`
}

type countsData struct {
	Statuses []syncproto.Status `json:"statuses"`
	Rows     []countsRow        `json:"offices"`
}

// handleCounts is the viewer's page: counts per commune of the scope and
// status, never a dossier.
func (o *office) handleCounts(w http.ResponseWriter, r *http.Request, p *principal) {
	cal, err := o.calendar(r)
	if err != nil {
		o.s.internal(w, "Calendar", err)
		return
	}
	ctx := r.Context()
	now := o.s.now()
	d := countsData{Statuses: AllStatuses, Rows: []countsRow{}}
	for _, off := range slices.Sorted(slices.Values(p.User.Communes)) {
		row := countsRow{Office: off, Counts: map[string]int{}}
		sc := Scope{Communes: []string{off}}
		counts, err := countByStatus(ctx, o.store, sc, DossierFilter{})
		if err != nil {
			o.s.internal(w, "Counts", err)
			return
		}
		for _, st := range AllStatuses {
			row.Counts[string(st)] = counts[st]
			row.Total += counts[st]
		}
		soon, err := o.store.CountDossiers(ctx, sc, DossierFilter{DueFrom: now, DueTo: cal.dueSoonLimit(now).Add(time.Second)})
		if err != nil {
			o.s.internal(w, "Counts", err)
			return
		}
		late, err := o.store.CountDossiers(ctx, sc, DossierFilter{DueFrom: time.Unix(1, 0), DueTo: now})
		if err != nil {
			o.s.internal(w, "Counts", err)
			return
		}
		row.DueSoon, row.Overdue = soon, late
		d.Rows = append(d.Rows, row)
	}
	o.render(w, r, p, "counts", d)
}

// URL is the list page of kind ("register", "due") with this query and
// extra key/value pairs, for templates.
func (q queueQuery) URL(kind string, extra ...string) template.URL {
	return q.url("/office/"+kind, extra...)
}
