package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"communekiosk/sync/syncproto"
)

// Enrol enrols the kiosk at cityURL with a one-time code from a city
// operator: the kiosk makes its own key pair, the city answers with the
// kiosk's ID, number, commune and keys, and the identity is stored. A
// stopped sync (401/403) resumes, and a sync starts if Run is running.
// An address refused by syncproto.CheckCityURL, or an answer that does
// not match the code (the Enroller's error), stores nothing.
func (s *Syncer) Enrol(ctx context.Context, cityURL, code string) (syncproto.Identity, error) {
	if s.opts.Enroller == nil {
		return syncproto.Identity{}, errors.New("syncer: enrol: no enroller configured")
	}
	if err := syncproto.CheckCityURL(cityURL, s.opts.AllowInsecureCity); err != nil {
		return syncproto.Identity{}, fmt.Errorf("syncer: enrol: %w", err)
	}
	e, err := s.opts.Enroller.Enrol(ctx, cityURL, code)
	if err != nil {
		return syncproto.Identity{}, fmt.Errorf("syncer: enrol: %w", err)
	}
	r := e.Response
	id := syncproto.Identity{
		KioskID:     r.KioskID,
		Number:      r.Number,
		Commune:     r.Commune,
		CommuneName: r.CommuneName,
		CityURL:     e.CityURL,
		CityKey:     r.CityKey,
		SigningKey:  e.PrivateKey,
		EnrolledAt:  s.opts.Now().UTC(),
	}
	if len(r.SealKey) != len(id.SealKey) {
		return syncproto.Identity{}, fmt.Errorf("syncer: enrol: the city's sealing key has %d bytes", len(r.SealKey))
	}
	copy(id.SealKey[:], r.SealKey)
	return id, s.adopt(id)
}

// adopt stores a new identity and restarts sync.
func (s *Syncer) adopt(id syncproto.Identity) error {
	s.runMu.Lock()
	err := s.opts.Store.SetIdentity(id)
	s.runMu.Unlock()
	if err != nil {
		return fmt.Errorf("syncer: store identity: %w", err)
	}
	s.mu.Lock()
	s.stopped = false
	s.failures = 0
	s.next = time.Time{}
	s.cancelRetryLocked()
	s.clearLocked(AlarmEnrolment)
	ctx := s.runCtx
	s.mu.Unlock()
	if ctx != nil {
		go s.trigger(ctx, TriggerEnrol)
	}
	return nil
}
