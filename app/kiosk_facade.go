package app

import (
	"time"
)

// Kiosk is the facade of the kiosk's own state, shown on every screen.
type Kiosk struct{ n *Node }

// KioskState tells the UI whether it can take requests and how to look.
type KioskState struct {
	Ready bool `json:"ready"` // enrolled, the store is open and has room
	// NotReady says why Ready is false (NotReadyEnrolment,
	// NotReadyDiskFull); empty when ready.
	NotReady         string    `json:"not_ready,omitempty"`
	Enrolled         bool      `json:"enrolled"`
	Demo             bool      `json:"demo"`
	CommuneName      string    `json:"commune_name"`
	Commune          string    `json:"commune,omitempty"` // the commune's unit code, e.g. "00004"
	Online           bool      `json:"online"`            // the last exchange with the city succeeded
	LastSyncAt       time.Time `json:"last_sync_at,omitzero"`
	Unsent           int       `json:"unsent"`
	IdleTimeoutSecs  int       `json:"idle_timeout_secs"`
	Version          string    `json:"version"`
	CatalogueVersion string    `json:"catalogue_version"`
	NoticeVersion    string    `json:"notice_version"`
}

// State returns the kiosk's state.
func (k *Kiosk) State() (KioskState, error) {
	n := k.n
	cat := n.catalogue()
	s := KioskState{
		Demo:             n.cfg.Demo,
		IdleTimeoutSecs:  int(n.idleTimeout() / time.Second),
		Version:          n.cfg.Version,
		CatalogueVersion: cat.Version,
		NoticeVersion:    cat.NoticeVersion,
	}
	if id, err := n.db.Identity(); err == nil {
		s.Enrolled, s.Ready = true, true
		s.CommuneName, s.Commune = id.CommuneName, id.Commune
	} else {
		s.NotReady = NotReadyEnrolment
	}
	// Checked before the citizen starts: a full disk would refuse the
	// request only after the whole form was filled in.
	if s.Ready && n.db.Disk().Low() {
		s.Ready, s.NotReady = false, NotReadyDiskFull
	}
	if c, err := n.db.Counts(); err == nil {
		s.Unsent = c.Queued
	}
	last := n.sync.last()
	s.LastSyncAt = last.At
	s.Online = last.OK && !last.At.IsZero()
	return s, nil
}
