package city

import (
	"net/http"
	"strings"
	"time"
)

type calendarData struct {
	Days  []CalendarDay `json:"days"`
	Error string        `json:"error,omitempty"`
}

func (o *office) handleCalendar(w http.ResponseWriter, r *http.Request, p *principal) {
	days, err := o.store.CalendarDays(r.Context())
	if err != nil {
		o.s.internal(w, "Calendar", err)
		return
	}
	o.render(w, r, p, "calendar", calendarData{Days: days})
}

// handleCalendarChange adds a holiday or a swapped working day (op=put), or
// removes one (op=delete). Due dates already set stay as they were.
func (o *office) handleCalendarChange(w http.ResponseWriter, r *http.Request, p *principal) {
	f := r.PostForm
	ctx := r.Context()
	date := f.Get("date")
	bad := func(key string) {
		if p.API {
			o.fail(w, r, p, http.StatusBadRequest, key)
			return
		}
		days, err := o.store.CalendarDays(ctx)
		if err != nil {
			o.s.internal(w, "Calendar", err)
			return
		}
		o.renderStatus(w, r, p, http.StatusBadRequest, "calendar", calendarData{Days: days, Error: key})
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		bad("err_date")
		return
	}
	var err error
	switch f.Get("op") {
	case "put":
		kind := f.Get("kind")
		if kind != DayHoliday && kind != DayWorkday {
			bad("err_filter")
			return
		}
		err = o.store.PutCalendarDay(ctx, CalendarDay{Date: date, Kind: kind, Note: truncate(strings.TrimSpace(f.Get("note")), 100)})
		if err == nil {
			err = o.audit(ctx, p, "calendar.put", "", "", date+" "+kind)
		}
	case "delete":
		err = o.store.DeleteCalendarDay(ctx, date)
		if err == nil {
			err = o.audit(ctx, p, "calendar.delete", "", "", date)
		}
	default:
		bad("err_action")
		return
	}
	if err != nil {
		o.s.internal(w, "Calendar", err)
		return
	}
	o.done(w, r, p, "/office/calendar", "ok_saved", CalendarDay{Date: date})
}
