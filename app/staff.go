package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"

	"golang.org/x/crypto/bcrypt"
)

// Settings keys in the store.
const (
	settingPINHash     = "staff_pin_hash"
	settingFailures    = "staff_pin_failures"
	settingLockedUntil = "staff_locked_until"
	settingSyncSpec    = "sync_spec"
	settingIdleTimeout = "idle_timeout_secs"
	settingCityURL     = "city_url"
	sessionIdle        = 10 * time.Minute
	minPINLength       = 4
)

// Staff is the facade of the staff screen. Every method but Unlock takes
// the session token Unlock returned.
type Staff struct {
	n *Node
	// lockStore keeps the PIN failures and the lockout (the node's
	// store; tests put one that fails in front of it).
	lockStore lockStore

	mu       sync.Mutex
	sessions map[string]time.Time // token -> last use
	// The failures and lockout are also kept in memory, so that a store
	// that cannot write them still locks this process.
	fails       int
	lockedUntil time.Time
}

// lockStore is what the PIN lockout needs of the store.
type lockStore interface {
	Setting(key string) (string, error)
	SetSettings(kv map[string]string) error
}

func newStaff(n *Node) *Staff {
	return &Staff{n: n, lockStore: n.db, sessions: map[string]time.Time{}}
}

// initPIN stores the configured PIN when none is stored yet.
func (s *Staff) initPIN() error {
	if h, _ := s.n.db.Setting(settingPINHash); h != "" || s.n.cfg.StaffPIN == "" {
		return nil
	}
	return s.setPIN(s.n.cfg.StaffPIN)
}

func (s *Staff) setPIN(pin string) error {
	if len(pin) < minPINLength || strings.Trim(pin, "0123456789") != "" {
		// Only kioskd --set-pin and the configured PIN come here, never
		// the UI: an operator's error, in English.
		return fmt.Errorf("app: the PIN must be at least %d digits", minPINLength)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("app: hash pin: %w", err)
	}
	return s.n.db.SetSetting(settingPINHash, string(h))
}

// UnlockResult is a staff session.
type UnlockResult struct {
	Token string `json:"token"`
}

// Unlock checks the staff PIN. After LockoutAfter failures in a row the
// screen stays locked for LockoutFor, across restarts. The lockout path
// fails closed: when the failures or the lockout cannot be read or
// written, the attempt is refused (and counted in memory).
func (s *Staff) Unlock(pin string) (UnlockResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, now := s.lockStore, s.n.now()
	until, err := s.lockedUntilLocked(db)
	if err != nil {
		return UnlockResult{}, s.lockStoreError("read the lockout", err)
	}
	if now.Before(until) {
		return UnlockResult{}, lockedError(until)
	}
	hash, err := db.Setting(settingPINHash)
	if err != nil && !errors.Is(err, kioskdb.ErrNotFound) {
		return UnlockResult{}, s.lockStoreError("read the PIN", err)
	}
	if hash == "" {
		return UnlockResult{}, newError(CodeUnauthorized, msg("pin_not_set"), nil)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(pin)) != nil {
		stored, err := settingInt(db, settingFailures)
		if err != nil {
			s.fails++
			return UnlockResult{}, s.lockStoreError("read the failed PINs", err)
		}
		fails := max(stored, s.fails) + 1
		s.fails = fails
		if fails >= s.n.cfg.LockoutAfter {
			until := now.Add(s.n.cfg.LockoutFor).UTC()
			s.lockedUntil, s.fails = until, 0
			if err := db.SetSettings(map[string]string{settingLockedUntil: until.Format(time.RFC3339), settingFailures: "0"}); err != nil {
				return UnlockResult{}, s.lockStoreError("store the lockout", err)
			}
			s.n.log.Warn("Staff screen locked after failed PINs", "failures", fails, "until", until)
			return UnlockResult{}, lockedError(until)
		}
		if err := db.SetSettings(map[string]string{settingFailures: strconv.Itoa(fails)}); err != nil {
			return UnlockResult{}, s.lockStoreError("store the failed PIN", err)
		}
		e := newError(CodeUnauthorized, msg("pin_wrong"), nil)
		e.Detail = &ErrorDetail{AttemptsLeft: s.n.cfg.LockoutAfter - fails}
		return UnlockResult{}, e
	}
	if err := db.SetSettings(map[string]string{settingFailures: "0", settingLockedUntil: ""}); err != nil {
		// A count that stays only locks sooner: safe to let staff in.
		s.n.log.Warn("Could not reset the failed PIN count", "err", err)
	}
	s.fails, s.lockedUntil = 0, time.Time{}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return UnlockResult{}, fmt.Errorf("app: session token: %w", err)
	}
	tok := hex.EncodeToString(b[:])
	s.sessions[tok] = now
	return UnlockResult{Token: tok}, nil
}

// lockedUntilLocked is the later of the stored lockout and the one in
// memory. A stored value that is not a time is an error (fail closed).
func (s *Staff) lockedUntilLocked(db lockStore) (time.Time, error) {
	v, err := db.Setting(settingLockedUntil)
	if err != nil && !errors.Is(err, kioskdb.ErrNotFound) {
		return s.lockedUntil, err
	}
	if v == "" {
		return s.lockedUntil, nil
	}
	until, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return s.lockedUntil, fmt.Errorf("stored lockout %q: %w", v, err)
	}
	if until.After(s.lockedUntil) {
		return until, nil
	}
	return s.lockedUntil, nil
}

// settingInt reads a counter; missing is 0, anything else unreadable is
// an error.
func settingInt(db lockStore, key string) (int, error) {
	v, err := db.Setting(key)
	if errors.Is(err, kioskdb.ErrNotFound) || (err == nil && v == "") {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("setting %s = %q: %w", key, v, err)
	}
	return n, nil
}

// lockStoreError refuses a PIN attempt whose lockout bookkeeping failed.
func (s *Staff) lockStoreError(what string, err error) *Error {
	s.n.log.Error("Staff PIN refused: could not "+what, "err", err)
	return newError(CodeUnavailable, msg("pin_store_failed"),
		fmt.Errorf("app: staff lockout: %s: %w", what, err))
}

func lockedError(until time.Time) *Error {
	local := until.In(kiosk.VietnamZone()).Format("15:04")
	e := newError(CodeLocked, msg("staff_locked", "until", local), nil)
	e.Detail = &ErrorDetail{LockedUntil: until.UTC()}
	return e
}

// settingOrEmpty reads a setting whose absence (or unreadability) means
// "use the default": the sync schedule, the idle timeout, the city's
// address. Never for the PIN lockout, which fails closed.
func settingOrEmpty(db *kioskdb.DB, key string) string {
	v, err := db.Setting(key)
	if err != nil {
		return ""
	}
	return v
}

// check verifies a session token and refreshes it.
func (s *Staff) check(token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.n.now()
	for tok, at := range s.sessions {
		if now.Sub(at) > sessionIdle {
			delete(s.sessions, tok)
		}
	}
	for tok := range s.sessions {
		if subtle.ConstantTimeCompare([]byte(tok), []byte(token)) == 1 {
			s.sessions[tok] = now
			return nil
		}
	}
	return newError(CodeUnauthorized, msg("session_ended"), nil)
}

// Lock ends the session.
func (s *Staff) Lock(token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, token)
	return nil
}

// Overview is the staff screen's summary.
type Overview struct {
	Counts   QueueCounts   `json:"counts"`
	LastSync SyncResult    `json:"last_sync"`
	Running  bool          `json:"running"`
	Progress SyncProgress  `json:"progress"`
	Alarms   []Message     `json:"alarms"`
	Identity *IdentityView `json:"identity"` // null until enrolled
	Settings SettingsView  `json:"settings"`
}

// QueueCounts are the queue figures of the staff screen.
type QueueCounts struct {
	Queued      int `json:"queued"`
	Sent        int `json:"sent"`
	Quarantined int `json:"quarantined"`
	// OldestUnsent is when the oldest queued request was made; absent
	// when none is queued.
	OldestUnsent time.Time `json:"oldest_unsent,omitzero"`
}

func queueCounts(c kioskdb.Counts) QueueCounts {
	return QueueCounts{Queued: c.Queued, Sent: c.Sent, Quarantined: c.Quarantined, OldestUnsent: c.OldestUnsent}
}

// QuarantineView is a request the city rejected or found in conflict, as
// the staff screen lists it: no personal data.
type QuarantineView struct {
	RequestID string            `json:"request_id"`
	Code      string            `json:"code"`
	Service   string            `json:"service"`
	Outcome   syncproto.Outcome `json:"outcome"` // syncproto.Rejected or syncproto.Conflict
	Reason    string            `json:"reason"`  // the city's reason, in its words
	At        time.Time         `json:"at"`
}

// IdentityView is the kiosk's identity without its keys.
type IdentityView struct {
	KioskID     string    `json:"kiosk_id"`
	Number      uint32    `json:"number"`
	CommuneName string    `json:"commune_name"`
	CityURL     string    `json:"city_url"`
	EnrolledAt  time.Time `json:"enrolled_at"`
}

// SettingsView are the settings staff can change.
type SettingsView struct {
	SyncSpec        string `json:"sync_spec"`
	IdleTimeoutSecs int    `json:"idle_timeout_secs"`
	CityURL         string `json:"city_url"`
}

// Overview returns queue counts, the last sync and alarms.
func (s *Staff) Overview(token string) (Overview, error) {
	if err := s.check(token); err != nil {
		return Overview{}, err
	}
	n := s.n
	c, err := n.db.Counts()
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Counts: queueCounts(c), LastSync: n.sync.last(), Settings: s.settings(), Alarms: n.sync.alarms()}
	alarms, _ := n.kioskAlarms()
	o.Alarms = append(o.Alarms, alarms...)
	o.Running, o.Progress = n.sync.progress()
	if id, err := n.db.Identity(); err == nil {
		o.Identity = &IdentityView{KioskID: id.KioskID, Number: id.Number, CommuneName: id.CommuneName, CityURL: id.CityURL, EnrolledAt: id.EnrolledAt}
		if insecureCity(id.CityURL) {
			o.Alarms = append(o.Alarms, insecureCityAlarm)
		}
	} else {
		o.Alarms = append(o.Alarms, msg("alarm_not_enrolled"))
	}
	if o.Alarms == nil {
		o.Alarms = []Message{}
	}
	return o, nil
}

// insecureCity: plain http to another machine (allowed only with
// --allow-insecure-city, or enrolled before the check existed).
func insecureCity(cityURL string) bool {
	return cityURL != "" && syncproto.CheckCityURL(cityURL, false) != nil
}

var insecureCityAlarm = msg("alarm_insecure_city")

// SyncNow starts a sync at once (if one is running, it is not doubled).
func (s *Staff) SyncNow(token string) error {
	if err := s.check(token); err != nil {
		return err
	}
	s.n.sync.syncNow()
	return nil
}

// ProgressView is the sync progress bar.
type ProgressView struct {
	Running  bool         `json:"running"`
	Progress SyncProgress `json:"progress"`
	Last     SyncResult   `json:"last"`
}

// Progress reports the running sync.
func (s *Staff) Progress(token string) (ProgressView, error) {
	if err := s.check(token); err != nil {
		return ProgressView{}, err
	}
	var v ProgressView
	v.Running, v.Progress = s.n.sync.progress()
	v.Last = s.n.sync.last()
	return v, nil
}

// Quarantine lists the requests the city rejected or found in conflict.
func (s *Staff) Quarantine(token string) ([]QuarantineView, error) {
	if err := s.check(token); err != nil {
		return nil, err
	}
	items, err := s.n.db.Quarantined()
	if err != nil {
		return nil, err
	}
	out := make([]QuarantineView, len(items))
	for i, q := range items {
		out[i] = QuarantineView{RequestID: q.RequestID, Code: q.Code, Service: q.Service, Outcome: q.Outcome, Reason: q.Reason, At: q.At}
	}
	return out, nil
}

// Requeue puts a quarantined request back in the outbox.
func (s *Staff) Requeue(token, requestID string) error {
	if err := s.check(token); err != nil {
		return err
	}
	if err := s.n.db.Requeue(requestID, s.n.now()); err != nil {
		if errors.Is(err, kioskdb.ErrNotFound) {
			return newError(CodeNotFound, msg("request_not_found"), err)
		}
		return err
	}
	s.n.sync.poke()
	return nil
}

// USBResult reports a USB export or import.
type USBResult struct {
	Path     string `json:"path,omitempty"`
	Count    int    `json:"count"`
	Acks     int    `json:"acks"`
	Statuses int    `json:"statuses"`
}

// ExportUSB writes the unsent requests as a signed bundle into dir.
func (s *Staff) ExportUSB(token, dir string) (USBResult, error) {
	if err := s.check(token); err != nil {
		return USBResult{}, err
	}
	return s.n.sync.exportUSB(dir)
}

// ImportUSB applies a receipt file the city exported.
func (s *Staff) ImportUSB(token, path string) (USBResult, error) {
	if err := s.check(token); err != nil {
		return USBResult{}, err
	}
	return s.n.sync.importUSB(path)
}

// Enrol enrols the kiosk with the city using a one-time code.
func (s *Staff) Enrol(token, cityURL, code string) (IdentityView, error) {
	if err := s.check(token); err != nil {
		return IdentityView{}, err
	}
	if err := s.n.sync.enrol(s.n.ctx, cityURL, code); err != nil {
		return IdentityView{}, err
	}
	return s.identityView()
}

// ImportProvisioning enrols the kiosk from a provisioning file (offline),
// with the one-time code the city handed over apart from the file.
func (s *Staff) ImportProvisioning(token, path, code string) (IdentityView, error) {
	if err := s.check(token); err != nil {
		return IdentityView{}, err
	}
	if err := s.n.sync.importProvisioning(path, code); err != nil {
		return IdentityView{}, err
	}
	return s.identityView()
}

func (s *Staff) identityView() (IdentityView, error) {
	id, err := s.n.db.Identity()
	if err != nil {
		return IdentityView{}, err
	}
	return IdentityView{KioskID: id.KioskID, Number: id.Number, CommuneName: id.CommuneName, CityURL: id.CityURL, EnrolledAt: id.EnrolledAt}, nil
}

// Settings returns the current settings.
func (s *Staff) Settings(token string) (SettingsView, error) {
	if err := s.check(token); err != nil {
		return SettingsView{}, err
	}
	return s.settings(), nil
}

func (s *Staff) settings() SettingsView {
	n := s.n
	v := SettingsView{SyncSpec: n.syncSpec(), IdleTimeoutSecs: int(n.idleTimeout() / time.Second), CityURL: n.cfg.CityURL}
	if u := settingOrEmpty(n.db, settingCityURL); u != "" {
		v.CityURL = u
	}
	if id, err := n.db.Identity(); err == nil && id.CityURL != "" {
		v.CityURL = id.CityURL
	}
	return v
}

// SaveSettings checks and stores new settings; a new sync schedule takes
// effect at once.
func (s *Staff) SaveSettings(token string, v SettingsView) (SettingsView, error) {
	if err := s.check(token); err != nil {
		return SettingsView{}, err
	}
	n := s.n
	if v.IdleTimeoutSecs < 5 || v.IdleTimeoutSecs > 3600 {
		return SettingsView{}, newError(CodeBadInput, msg("idle_timeout_range"), nil)
	}
	if v.SyncSpec != n.syncSpec() {
		if err := n.sync.setSchedule(v.SyncSpec); err != nil {
			return SettingsView{}, newError(CodeBadInput, msg("schedule_invalid"), err)
		}
		if err := n.db.SetSetting(settingSyncSpec, v.SyncSpec); err != nil {
			return SettingsView{}, err
		}
	}
	kv := map[string]string{settingIdleTimeout: strconv.Itoa(v.IdleTimeoutSecs)}
	if v.CityURL != "" {
		kv[settingCityURL] = v.CityURL
	}
	if err := n.db.SetSettings(kv); err != nil {
		return SettingsView{}, err
	}
	return s.settings(), nil
}

// Reprint returns a receipt again from the plaintext index (no personal
// data is needed to print it).
func (s *Staff) Reprint(token, code string) (ReceiptView, error) {
	if err := s.check(token); err != nil {
		return ReceiptView{}, err
	}
	n := s.n
	rec, err := n.db.Lookup(code)
	if errors.Is(err, kioskdb.ErrNotFound) {
		return ReceiptView{}, newError(CodeNotFound, msg("code_not_found"), err)
	} else if err != nil {
		return ReceiptView{}, err
	}
	return n.indexReceipt(rec), nil
}

func (n *Node) syncSpec() string {
	if v := settingOrEmpty(n.db, settingSyncSpec); v != "" {
		return v
	}
	return n.cfg.SyncSpec
}

func (n *Node) idleTimeout() time.Duration {
	if v, _ := strconv.Atoi(settingOrEmpty(n.db, settingIdleTimeout)); v > 0 {
		return time.Duration(v) * time.Second
	}
	return n.cfg.IdleTimeout
}

// SetPIN stores a new staff PIN (kioskd --set-pin).
func (n *Node) SetPIN(pin string) error { return n.Staff.setPIN(pin) }
