package app

import (
	"context"
	"errors"
	"time"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// cityLookupTimeout bounds the call: a citizen is waiting at the screen.
const cityLookupTimeout = 15 * time.Second

// atCity looks up, at the city, a request that was not made on this kiosk
// (docs/protocol.md §7, lookup). The city needs the last 4 digits of the
// requester's ID number too and answers only status and dates; a code
// that is unknown and a code with other digits get the same answer. Not
// reaching the city is said in plain words, not as an error.
func (l *Lookup) atCity(code, idLast4 string) (StatusView, error) {
	n := l.n
	v := StatusView{Found: false, Code: code, Source: "city"}
	if _, err := n.db.Identity(); errors.Is(err, kioskdb.ErrNotEnrolled) {
		v.Source, v.StatusText = "", msg("lookup_city_not_enrolled")
		return v, nil
	} else if err != nil {
		return StatusView{}, err
	}
	if !isLast4(idLast4) {
		v.NeedIDLast4 = true
		v.StatusText = msg("lookup_city_need_last4")
		return v, nil
	}
	ctx, cancel := context.WithTimeout(n.ctx, cityLookupTimeout)
	defer cancel()
	resp, err := n.sync.client.Lookup(ctx, code, idLast4)
	var retry *syncproto.RetryAfterError
	switch {
	case errors.As(err, &retry):
		v.StatusText = msg("lookup_city_too_many")
		return v, nil
	case syncproto.IsTransient(err):
		n.log.Info("Lookup at the city: city not reachable", "err", err)
		v.Offline = true
		v.StatusText = msg("lookup_city_offline")
		return v, nil
	case err != nil:
		n.log.Warn("Lookup at the city refused", "err", err)
		v.StatusText = msg("lookup_city_refused")
		return v, nil
	case !resp.Found:
		v.StatusText = msg("lookup_city_not_found")
		return v, nil
	}
	v = StatusView{Found: true, Source: "city", Code: resp.Code, State: "sent", Status: resp.Status,
		StatusChangedAt: resp.StatusChangedAt, ReceivedAt: resp.ReceivedAt}
	if svc, ok := n.catalogue().Service(resp.Service); ok {
		v.ServiceName = svc.Name
	}
	v.StatusText = statusText(kioskdb.Record{Status: resp.Status, State: kioskdb.StateSent})
	return v, nil
}
