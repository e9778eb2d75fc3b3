package city

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"communekiosk/kiosk"
)

// Fleet assesses every kiosk now with the server's thresholds, worst
// first (the fleet page, its JSON and /metrics).
func (s *Server) Fleet(ctx context.Context) ([]KioskHealth, error) {
	ks, err := s.store.Kiosks(ctx)
	if err != nil {
		return nil, err
	}
	return AssessFleet(ks, s.now(), s.fleetThresholds(ctx)), nil
}

// fleetThresholds are Options.Fleet with, when no calendar is set, the
// city's working days: the back office's calendar (holidays and swapped
// working days the admins keep) over the catalogue's holidays.
func (s *Server) fleetThresholds(ctx context.Context) FleetThresholds {
	th := s.opts.Fleet
	if th.WorkingDay != nil {
		return th
	}
	cat, _, err := s.currentCatalogue(ctx)
	if err != nil {
		s.log.Warn("Fleet: catalogue unreadable; holidays of the built-in one", "err", err)
		cat = s.cat
	}
	holidays := cat.Holidays
	var cal *Calendar
	if cs, ok := s.store.(CalendarStore); ok {
		days, err := cs.CalendarDays(ctx)
		if err != nil {
			s.log.Warn("Fleet: calendar unreadable; the catalogue's holidays only", "err", err)
		} else {
			c := NewCalendar(days)
			cal = &c
		}
	}
	th.WorkingDay = func(d time.Time) bool {
		if cal != nil {
			switch cal.days[kiosk.LocalDate(d)] {
			case DayHoliday:
				return false
			case DayWorkday:
				return true
			}
		}
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			return false
		}
		_, off := slices.BinarySearch(holidays, kiosk.LocalDate(d))
		return !off
	}
	return th
}

func (s *Server) handleFleet(w http.ResponseWriter, r *http.Request) {
	fleet, err := s.Fleet(r.Context())
	if err != nil {
		s.internal(w, "Fleet", err)
		return
	}
	writeJSON(w, http.StatusOK, fleet)
}

// handleHeartbeatHistory returns a kiosk's hourly heartbeats of the last
// 30 days, oldest first.
func (s *Server) handleHeartbeatHistory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.store.Kiosk(r.Context(), id); errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, CodeNotFound, "no such kiosk")
		return
	} else if err != nil {
		s.internal(w, "Heartbeat history", err)
		return
	}
	hs, ok := s.store.(HeartbeatHistoryStore)
	if !ok {
		writeError(w, http.StatusNotImplemented, CodeNotFound, "this store keeps no heartbeat history")
		return
	}
	h, err := hs.HeartbeatHistory(r.Context(), id, s.now().Add(-HeartbeatKeep))
	if err != nil {
		s.internal(w, "Heartbeat history", err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}
