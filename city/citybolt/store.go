package citybolt

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"communekiosk/city"
)

var (
	_ city.Store         = (*Store)(nil)
	_ city.OfficeStore   = (*Store)(nil)
	_ city.StatusCounter = (*Store)(nil)
	_ city.Backuper      = (*Store)(nil)

	_ city.HeartbeatHistoryStore = (*Store)(nil)
)

// Bucket names. Per-kiosk data lives in nested buckets named by kiosk ID.
var (
	bMeta     = []byte("meta")      // epoch, schema
	bCodes    = []byte("codes")     // code hash → EnrolCode
	bKiosks   = []byte("kiosks")    // kiosk ID → Kiosk; NextSequence numbers kiosks
	bRequests = []byte("requests")  // request_id → Request without Sealed; NextSequence numbers city refs
	bSealed   = []byte("sealed")    // request_id → the sealed payload, raw
	bByRef    = []byte("by_ref")    // city ref → request_id, the operator list order
	bKioskReq = []byte("kiosk_req") // kiosk ID/ seq → request_id
	bFeed     = []byte("feed")      // kiosk ID/ feed seq → StatusChange
	bNonces   = []byte("nonces")    // kiosk ID/ kiosk time ‖ nonce → ""
	bNewest   = []byte("newest")    // kiosk ID → newest kiosk time accepted (unix ns)

	// The back office (schema 2). Its dossier indexes: dossier_index.go.
	bUsers     = []byte("users")      // user ID → User
	bUserNames = []byte("user_names") // login name → user ID
	bSessions  = []byte("sessions")   // session hash → Session
	bTokens    = []byte("tokens")     // token ID → APIToken
	bTokenHash = []byte("token_hash") // token hash → token ID
	bAudit     = []byte("audit")      // seq → AuditEntry, append-only
	bCalendar  = []byte("calendar")   // YYYY-MM-DD → CalendarDay

	kEpoch  = []byte("epoch")
	kProbe  = []byte("health_probe") // written by ProbeWrite
	kSchema = []byte("schema")
)

const schemaVersion = 3

// Options configure Open. The zero value works.
type Options struct {
	// Timeout is how long Open waits for the file lock held by another
	// process (another cityd). Zero: 2 seconds, then a clear error.
	Timeout time.Duration
	// RefPrefix starts every city reference ("HN" → "HN-0000000042").
	RefPrefix string
	// NoSync disables fsync; for benchmarks only.
	NoSync bool
}

// Store is a city.Store on one bbolt file. It is safe for concurrent use;
// bbolt serialises the writes.
type Store struct {
	db           *bolt.DB
	refPrefix    string
	checkStopped atomic.Bool // see Check
}

// Open opens or creates the store at path.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.RefPrefix == "" {
		opts.RefPrefix = "HN"
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout, NoSync: opts.NoSync})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("citybolt: open %s: another process (a running cityd?) holds the file: %w", path, err)
		}
		return nil, fmt.Errorf("citybolt: open %s: %w", path, err)
	}
	s := &Store{db: db, refPrefix: opts.RefPrefix}
	if err := db.Update(s.init); err != nil {
		db.Close()
		return nil, fmt.Errorf("citybolt: init %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) init(tx *bolt.Tx) error {
	for _, b := range [][]byte{bMeta, bCodes, bKiosks, bRequests, bSealed, bByRef, bKioskReq, bFeed, bNonces, bNewest, bHeartbeats,
		bUsers, bUserNames, bSessions, bTokens, bTokenHash, bAudit, bCalendar, bIdxOffice, bIdxStatus, bIdxDue, bByCode, bCounts, bCatalogues, bCatalogueDocs, bReport, bSatisfaction} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	var was uint64
	if v := meta.Get(kSchema); v != nil {
		was = binary.BigEndian.Uint64(v)
	}
	if was > schemaVersion {
		return fmt.Errorf("schema %d is newer than this cityd (%d)", was, schemaVersion)
	}
	if was == 1 {
		if err := reindexAll(tx); err != nil { // builds the report index too
			return fmt.Errorf("schema 1 → 2: %w", err)
		}
	}
	if was == 2 {
		if err := reportAll(tx); err != nil {
			return fmt.Errorf("schema 2 → 3: %w", err)
		}
	}
	if err := meta.Put(kSchema, u64(schemaVersion)); err != nil {
		return err
	}
	if meta.Get(kEpoch) == nil {
		if err := meta.Put(kEpoch, []byte(newEpoch())); err != nil {
			return err
		}
	}
	return nil
}

// ProbeWrite implements city.WriteProber: one small committed (and
// fsynced) write, so /healthz notices a full disk or a read-only file.
func (s *Store) ProbeWrite(ctx context.Context) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		n, err := tx.Bucket(bMeta).NextSequence()
		if err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(kProbe, []byte(strconv.FormatUint(n, 10)))
	})
	if err != nil {
		return fmt.Errorf("citybolt: write probe: %w", err)
	}
	return nil
}

// NewEpoch gives every feed a new epoch, so each kiosk gets a reset and a
// snapshot on its next pull. Run it after restoring the file from a backup.
func (s *Store) NewEpoch() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put(kEpoch, []byte(newEpoch()))
	})
}

// Close closes the file.
// Close closes the file, unless a stopped Check needs it mapped (see
// Check).
func (s *Store) Close() error {
	if s.checkStopped.Load() {
		return nil
	}
	return s.db.Close()
}

// maxCheckProblems bounds Check: a branch page that points to itself (or
// to a page above it) makes bbolt's check report it again and again
// without end, which would hang cityd's start.
const maxCheckProblems = 1000

// Check runs bbolt's consistency check and returns its first problem, or
// nil. It stops after maxCheckProblems; the check's goroutine then goes on
// to its next report and waits there forever, reading the transaction's
// pages on the way, so its read transaction is never closed and Close
// leaves the file open (and locked) until the process ends.
func (s *Store) Check() error {
	tx, err := s.db.Begin(false)
	if err != nil {
		return fmt.Errorf("citybolt: check: %w", err)
	}
	var first error
	n := 0
	for err := range tx.Check() {
		if first == nil {
			first = fmt.Errorf("citybolt: check: %w", err)
		}
		if n++; n == maxCheckProblems {
			s.checkStopped.Store(true)
			return fmt.Errorf("%w (and more: the check stopped after %d problems; the file's pages may point to each other in a loop)", first, n)
		}
	}
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("citybolt: check: %w", err)
	}
	return first
}

// Epoch implements city.FeedStore.
func (s *Store) Epoch(ctx context.Context) (string, error) {
	var e string
	err := s.db.View(func(tx *bolt.Tx) error {
		e = string(tx.Bucket(bMeta).Get(kEpoch))
		return nil
	})
	return e, err
}

func newEpoch() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// allJSON decodes every value of a bucket, in key order, keeping those keep
// accepts (nil keeps all). It is for the small buckets a walk suits
// (users, sessions, tokens, kiosks, catalogues, calendar days).
func allJSON[T any](db *bolt.DB, bucket []byte, keep func(T) bool) ([]T, error) {
	out := []T{}
	err := db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(_, v []byte) error {
			var x T
			if err := json.Unmarshal(v, &x); err != nil {
				return err
			}
			if keep == nil || keep(x) {
				out = append(out, x)
			}
			return nil
		})
	})
	return out, err
}

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return city.ErrNotFound
	}
	return json.Unmarshal(data, v)
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// sub returns the nested bucket of parent for a kiosk, creating it. Its
// keys are big-endian sequences, appended in order: pages are filled up.
func sub(tx *bolt.Tx, parent []byte, kioskID string) (*bolt.Bucket, error) {
	b, err := tx.Bucket(parent).CreateBucketIfNotExists([]byte(kioskID))
	if err == nil {
		b.FillPercent = 0.95
	}
	return b, err
}

// Backup writes a consistent copy of the whole file to w while the store
// keeps serving (implements city.Backuper).
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("citybolt: backup: %w", err)
	}
	return n, nil
}
