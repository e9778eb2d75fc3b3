package city

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"communekiosk/sync/syncproto"
)

// userError is a refusal the officer can fix; Key names its message.
type userError struct{ Key string }

func (e userError) Error() string { return "city: " + e.Key }

// ReasonCodes are the coded reasons kept for reports beside the written one.
var ReasonCodes = []string{"incomplete", "not_found", "not_entitled", "duplicate", "other"}

// actions maps an action to the status it moves to ("" for none).
var actions = map[string]syncproto.Status{
	"accept":     syncproto.StatusAccepted,
	"process":    syncproto.StatusProcessing,
	"supplement": syncproto.StatusNeedsSupplement,
	"ready":      syncproto.StatusReady,
	"pickup":     syncproto.StatusPickedUp,
	"post":       syncproto.StatusPosted,
	"delivered":  syncproto.StatusDone,
	"returned":   syncproto.StatusReady,
	"done":       syncproto.StatusDone,
	"not_accept": syncproto.StatusNotAccepted,
	"refuse":     syncproto.StatusRefused,
	"withdraw":   syncproto.StatusWithdrawn,
	"reschedule": "",
	"assign":     "",
	"release":    "",
}

// ActionsFor lists the actions a dossier's status offers, in a stable order.
func ActionsFor(r Request) []string {
	order := []string{"assign", "release", "accept", "process", "supplement", "reschedule", "ready", "pickup", "post",
		"delivered", "returned", "done", "not_accept", "refuse", "withdraw"}
	var out []string
	for _, a := range order {
		if actionAllowed(a, r) == nil {
			out = append(out, a)
		}
	}
	return out
}

func actionAllowed(a string, r Request) error {
	to, ok := actions[a]
	if !ok {
		return userError{"err_action"}
	}
	switch a {
	case "assign", "release":
		if r.Status.Terminal() {
			return userError{"err_transition"}
		}
		return nil
	case "reschedule":
		if !isOpenStatus(r.Status) || r.DueAt.IsZero() {
			return userError{"err_transition"}
		}
		return nil
	case "delivered", "returned":
		if r.Status != syncproto.StatusPosted {
			return userError{"err_transition"}
		}
	case "done":
		if r.Status != syncproto.StatusPickedUp {
			return userError{"err_transition"}
		}
	}
	if !CanMove(r.Status, to) {
		return userError{"err_transition"}
	}
	return nil
}

// tracking numbers: letters and digits, 9 to 20, e.g. UPU S10
// "EB123456785VN"; checked softly (a check digit is not required).
var trackingRe = regexp.MustCompile(`^[A-Z0-9]{9,20}$`)

func normTracking(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

func newID(prefix string) string { return prefix + strings.ToLower(rand.Text()[:16]) }

// act runs one action on one dossier for p, in one store transaction with
// its audit line; pages and the API both come here.
func (o *office) act(ctx context.Context, p *principal, id, action string, form url.Values) (Request, error) {
	ch, err := o.prepare(ctx, p, id, action, form, "")
	if err != nil {
		return Request{}, err
	}
	out, err := o.store.UpdateDossiers(ctx, p.User.Scope(), []DossierChange{ch}, o.s.now())
	if err != nil {
		return Request{}, err
	}
	o.s.log.Info("Dossier action", "request_id", id, "action", action, "user", p.User.Name)
	return out[0], nil
}

// prepare checks an action's form and returns the change that applies it
// (checked again inside the store's transaction); batch is the post
// hand-over list it belongs to, if any.
func (o *office) prepare(ctx context.Context, p *principal, id, action string, form url.Values, batch string) (DossierChange, error) {
	to, ok := actions[action]
	if !ok {
		return DossierChange{}, userError{"err_action"}
	}
	reason := strings.TrimSpace(form.Get("reason"))
	code := form.Get("reason_code")
	if len(reason) > 2000 {
		return DossierChange{}, userError{"err_reason_long"}
	}
	if (to != "" && NeedsReason(to)) || action == "reschedule" || action == "returned" {
		if reason == "" {
			return DossierChange{}, userError{"err_reason"}
		}
	}
	if (action == "not_accept" || action == "refuse") && !slices.Contains(ReasonCodes, code) {
		return DossierChange{}, userError{"err_reason_code"}
	}
	now := o.s.now()
	var cal Calendar
	if action == "accept" || action == "reschedule" {
		days, err := o.store.CalendarDays(ctx)
		if err != nil {
			return DossierChange{}, err
		}
		cal = NewCalendar(days)
	}
	var newDue time.Time
	if action == "reschedule" {
		d, err := time.ParseInLocation(time.DateOnly, form.Get("new_due"), vnZone)
		if err != nil {
			return DossierChange{}, userError{"err_date"}
		}
		newDue = EndOfDay(d)
	}
	tracking := normTracking(form.Get("tracking"))
	if action == "post" && !trackingRe.MatchString(tracking) {
		return DossierChange{}, userError{"err_tracking"}
	}
	detail := ""
	switch action {
	case "reschedule":
		detail = "new due " + newDue.In(vnZone).Format(time.DateOnly)
	case "not_accept", "refuse":
		detail = "reason " + code
	case "post":
		detail = "tracking " + tracking
	}
	if batch != "" {
		detail += " batch " + batch
	}
	apply := func(r *Request) error {
		if err := actionAllowed(action, *r); err != nil {
			return err
		}
		switch action {
		case "assign":
			if r.Assignee != "" && r.Assignee != p.User.ID {
				return userError{"err_assigned_other"}
			}
			r.Assignee = p.User.ID
			return nil
		case "release":
			if r.Assignee != p.User.ID {
				return userError{"err_assigned_other"}
			}
			r.Assignee = ""
			return nil
		case "reschedule":
			if !newDue.After(r.DueAt) || !newDue.After(now) {
				return userError{"err_new_due"}
			}
			r.NewDueAt = newDue
			r.StatusNote = fmt.Sprintf(tr("vi", "note_apology"), newDue.In(vnZone).Format("02/01/2006"), reason)
			return nil
		}
		r.Status, r.StatusNote = to, reason
		switch action {
		case "accept":
			svc, _ := o.s.cat.Service(r.Service)
			r.AcceptedAt = now
			r.DueAt = cal.DueDate(ruleFor(o.rules, svc.Procedure), svc.ProcessingDays, now)
			r.StatusNote = tr("vi", "note_due") + " / " + tr("en", "note_due") + ": " + r.DueAt.In(vnZone).Format("02/01/2006")
		case "not_accept", "refuse":
			r.ReasonCode = code
		case "pickup":
			r.ResultAt = now
		case "post":
			if r.Tracking != "" && r.PostResult != "returned" {
				return userError{"err_tracking_twice"}
			}
			r.Tracking, r.ResultAt, r.PostResult = tracking, now, ""
			r.StatusNote = tr("vi", "note_tracking") + " / " + tr("en", "note_tracking") + ": " + tracking
		case "delivered":
			r.PostResult = "delivered"
		case "returned":
			r.PostResult, r.ResultAt = "returned", time.Time{}
		}
		return nil
	}
	auditAction := "status." + string(to)
	if to == "" {
		auditAction = "dossier." + action
	}
	return DossierChange{RequestID: id, Audit: o.entry(p, auditAction, detail), Apply: func(r *Request) error {
		if err := apply(r); err != nil {
			return err
		}
		if batch != "" {
			r.PostBatch = batch
		}
		return nil
	}}, nil
}

// actError maps an action's error to a status and message key.
func actError(err error) (int, string) {
	var ue userError
	switch {
	case errors.As(err, &ue):
		if ue.Key == "err_transition" || ue.Key == "err_assigned_other" || ue.Key == "err_tracking_twice" {
			return 409, ue.Key
		}
		return 400, ue.Key
	case errors.Is(err, ErrNotFound):
		return 404, "err_not_found"
	case errors.Is(err, ErrBadTransition):
		return 409, "err_transition"
	}
	return 503, "err_internal"
}
