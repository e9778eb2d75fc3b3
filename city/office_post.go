package city

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

type postData struct {
	Office string     `json:"office,omitempty"`
	Rows   []QueueRow `json:"dossiers"`
	Total  int        `json:"total"`
	Error  string     `json:"error,omitempty"`
	Bad    string     `json:"bad,omitempty"` // the dossier the error is about
}

// readyForPost lists the scope's ready dossiers delivered by post.
func (o *office) readyForPost(r *http.Request, p *principal, office string) ([]Request, int, error) {
	f := DossierFilter{Statuses: []syncproto.Status{syncproto.StatusReady}, Delivery: "post", Office: office, Limit: 1000}
	list, err := o.store.Dossiers(r.Context(), p.User.Scope(), f)
	if err != nil {
		return nil, 0, err
	}
	n, err := o.store.CountDossiers(r.Context(), p.User.Scope(), f)
	return list, n, err
}

func (o *office) postData(r *http.Request, p *principal, office string) (postData, error) {
	list, n, err := o.readyForPost(r, p, office)
	if err != nil {
		return postData{}, err
	}
	cal, err := o.calendar(r)
	if err != nil {
		return postData{}, err
	}
	d := postData{Office: office, Total: n, Rows: []QueueRow{}}
	now := o.s.now()
	for _, x := range list {
		d.Rows = append(d.Rows, o.row(x, p, cal, now))
	}
	return d, nil
}

func (o *office) handlePostList(w http.ResponseWriter, r *http.Request, p *principal) {
	d, err := o.postData(r, p, r.URL.Query().Get("office"))
	if err != nil {
		o.s.internal(w, "Post list", err)
		return
	}
	o.render(w, r, p, "post", d)
}

// handlePostHandover marks the ticked dossiers (or, with all=1, every one
// the list shows) sent by post with their tracking numbers, in one
// transaction: all or none. Then the hand-over list prints.
func (o *office) handlePostHandover(w http.ResponseWriter, r *http.Request, p *principal) {
	f := r.PostForm
	var ids []string
	if f.Get("all") == "1" {
		list, _, err := o.readyForPost(r, p, f.Get("office"))
		if err != nil {
			o.s.internal(w, "Post list", err)
			return
		}
		for _, x := range list {
			ids = append(ids, x.RequestID)
		}
	} else {
		ids = f["id"]
	}
	fail := func(status int, key, id string) {
		if p.API {
			o.fail(w, r, p, status, key)
			return
		}
		d, err := o.postData(r, p, f.Get("office"))
		if err != nil {
			o.s.internal(w, "Post list", err)
			return
		}
		d.Error, d.Bad = key, id
		o.renderStatus(w, r, p, status, "post", d)
	}
	if len(ids) == 0 || len(ids) > 1000 {
		fail(http.StatusBadRequest, "err_post_none", "")
		return
	}
	batch := "BG-" + o.s.now().In(vnZone).Format("20060102-150405") + "-" + newID("")[:4]
	seen := map[string]string{}
	var changes []DossierChange
	for _, id := range ids {
		tracking := normTracking(f.Get("tracking_" + id))
		if other, dup := seen[tracking]; dup && tracking != "" {
			_ = other
			fail(http.StatusBadRequest, "err_tracking_dup", id)
			return
		}
		seen[tracking] = id
		ch, err := o.prepare(r.Context(), p, id, "post", url.Values{"tracking": {tracking}}, batch)
		if err != nil {
			_, key := actError(err)
			fail(http.StatusBadRequest, key, id)
			return
		}
		changes = append(changes, ch)
	}
	out, err := o.store.UpdateDossiers(r.Context(), p.User.Scope(), changes, o.s.now())
	if err != nil {
		status, key := actError(err)
		if status >= 500 {
			o.s.internal(w, "Post hand-over", err)
			return
		}
		var id string
		var ue userError
		if errors.As(err, &ue) || errors.Is(err, ErrNotFound) {
			id = ""
		}
		fail(status, key, id)
		return
	}
	o.s.log.Info("Post hand-over", "batch", batch, "dossiers", len(out), "user", p.User.Name)
	o.done(w, r, p, "/office/post/batches/"+batch, "", struct {
		Batch string `json:"batch"`
		Count int    `json:"count"`
	}{batch, len(out)})
}

// batchRow is one line of the bảng kê: it names the recipient, so the page
// is a view of personal data and audited per dossier.
type batchRow struct {
	Row       QueueRow
	Recipient string
	Phone     string
	Address   string
	Copies    int
}

type batchData struct {
	Batch   string
	Rows    []batchRow
	Printed time.Time
}

func (o *office) handlePostBatch(w http.ResponseWriter, r *http.Request, p *principal) {
	batch := r.PathValue("batch")
	ctx := r.Context()
	list, err := o.store.Dossiers(ctx, p.User.Scope(), DossierFilter{PostBatch: batch, Limit: 1000,
		Statuses: []syncproto.Status{syncproto.StatusPosted, syncproto.StatusDone, syncproto.StatusReady}})
	if err != nil {
		o.s.internal(w, "Post batch", err)
		return
	}
	if len(list) == 0 {
		o.fail(w, r, p, http.StatusNotFound, "err_not_found")
		return
	}
	cal, err := o.calendar(r)
	if err != nil {
		o.s.internal(w, "Calendar", err)
		return
	}
	d := batchData{Batch: batch, Printed: o.s.now()}
	for _, x := range list {
		full, err := o.store.Dossier(ctx, p.User.Scope(), x.RequestID)
		if err != nil {
			o.s.internal(w, "Post batch", err)
			return
		}
		pl, err := o.s.open(full.Sealed)
		if err != nil {
			o.s.internal(w, "Open payload", err)
			return
		}
		if err := o.audit(ctx, p, "dossier.print", x.RequestID, x.Office, "bang ke "+batch); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		d.Rows = append(d.Rows, batchRow{Row: o.row(x, p, cal, d.Printed), Recipient: recipient(pl), Phone: recipientPhone(pl),
			Address: address(pl.Delivery.Address), Copies: pl.Copies})
	}
	o.render(w, r, p, "batch", d)
}

func recipient(pl kiosk.Request) string {
	if pl.Delivery.Recipient != "" {
		return pl.Delivery.Recipient
	}
	return pl.Requester.FullName
}

func recipientPhone(pl kiosk.Request) string {
	if pl.Delivery.Phone != "" {
		return pl.Delivery.Phone
	}
	return pl.Requester.Phone
}

func address(a kiosk.Address) string {
	s := a.Street
	if a.Commune != "" {
		s += ", " + communeName(a.Commune)
	}
	if a.Province != "" {
		s += ", " + communeName(a.Province)
	}
	return fmt.Sprint(s)
}
