package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"communekiosk/kiosk/kioskdb"
)

// The second fact of a lookup: a mistyped receipt code must never show
// another citizen's request, so beyond "found" the lookup asks for the last
// 4 digits of the requester's personal ID number. The plaintext index does
// not hold them; at submit the kiosk stores an HMAC-SHA256 of them under a
// random key of its own (settings lookup_key and lookup_fact/<code>).
// Five wrong answers for one code lock that code's lookup for a while.
const (
	settingLookupKey    = "lookup_key"
	settingLookupFactAt = "lookup_fact/"
	factTries           = 5
	factLockout         = 15 * time.Minute
)

type lookupFacts struct {
	mu    sync.Mutex
	fails map[string]factFails // by receipt code
}

type factFails struct {
	n     int
	until time.Time
}

// lookupKey returns the kiosk's fact key, creating it on first use.
func (f *lookupFacts) lookupKey(db *kioskdb.DB) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, err := db.Setting(settingLookupKey); err == nil {
		return hex.DecodeString(v)
	} else if !errors.Is(err, kioskdb.ErrNotFound) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("app: lookup key: %w", err)
	}
	if err := db.SetSetting(settingLookupKey, hex.EncodeToString(key)); err != nil {
		return nil, err
	}
	return key, nil
}

func factMAC(key []byte, code, last4 string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(code + "|" + last4))
	return hex.EncodeToString(m.Sum(nil))
}

// remember stores the fact for a new request's code.
func (f *lookupFacts) remember(db *kioskdb.DB, code, personalID string) error {
	if len(personalID) < 4 {
		return fmt.Errorf("app: lookup fact: personal ID too short")
	}
	key, err := f.lookupKey(db)
	if err != nil {
		return fmt.Errorf("app: lookup fact: %w", err)
	}
	return db.SetSetting(settingLookupFactAt+code, factMAC(key, code, personalID[len(personalID)-4:]))
}

// Results of checking a fact.
const (
	factOK      = "ok"
	factWrong   = "wrong"
	factMissing = "missing" // no fact stored: a request from before facts were kept
)

// check compares last4 with the fact stored for code. It fails with a
// locked error while the code is locked after too many wrong answers.
func (f *lookupFacts) check(db *kioskdb.DB, code, last4 string, now time.Time) (string, error) {
	f.mu.Lock()
	ff := f.fails[code]
	f.mu.Unlock()
	if now.Before(ff.until) {
		e := newError(CodeLocked, msg("lookup_locked"), nil)
		e.Detail = &ErrorDetail{LockedUntil: ff.until.UTC().Truncate(time.Second)}
		return "", e
	}
	want, err := db.Setting(settingLookupFactAt + code)
	if errors.Is(err, kioskdb.ErrNotFound) || (err == nil && want == "") {
		return factMissing, nil
	} else if err != nil {
		return "", err
	}
	key, err := f.lookupKey(db)
	if err != nil {
		return "", err
	}
	last4 = strings.TrimSpace(last4)
	if hmac.Equal([]byte(factMAC(key, code, last4)), []byte(want)) {
		f.mu.Lock()
		delete(f.fails, code)
		f.mu.Unlock()
		return factOK, nil
	}
	f.mu.Lock()
	if f.fails == nil {
		f.fails = map[string]factFails{}
	}
	ff = f.fails[code]
	ff.n++
	if ff.n >= factTries {
		ff = factFails{until: now.Add(factLockout)}
	}
	f.fails[code] = ff
	f.mu.Unlock()
	return factWrong, nil
}
