package kioskdb

import (
	"fmt"
	"slices"
	"time"

	"communekiosk/kiosk"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// Submit stores a request and returns its receipt. The payload is sealed to
// the city's key before it is written; the plaintext index Record, the
// receipt code, the outbox entry and one audit line are written in the same
// fsynced transaction, and the Receipt is returned only after that
// transaction committed (invariant 1: a receipt is a promise).
//
// Submit does not validate: the caller runs kiosk's validation first. It
// fails with ErrNotEnrolled until the kiosk knows the city's public key,
// and with ErrDiskFull when the free space is under Options.SubmitFloor
// (checked first) or the write fails for lack of space.
func (db *DB) Submit(req kiosk.Request, now time.Time, opts ...SubmitOption) (Receipt, error) {
	var so submitOptions
	for _, o := range opts {
		o(&so)
	}
	id, err := db.Identity()
	if err != nil {
		return Receipt{}, fmt.Errorf("%w: no request is accepted before the kiosk knows the city's public key", err)
	}
	if err := db.checkRoom("submit", 0); err != nil {
		return Receipt{}, err
	}
	sealed, _, err := seal(req, &id.SealKey)
	if err != nil {
		return Receipt{}, err
	}
	rid, err := uuid.NewV7()
	if err != nil {
		return Receipt{}, fmt.Errorf("kioskdb: submit: request ID: %w", err)
	}
	now = now.UTC()
	rec := Record{
		RequestID:  rid.String(),
		Service:    req.Service,
		MaskedName: kiosk.MaskName(req.Requester.FullName),
		Copies:     req.Copies,
		Delivery:   req.Delivery.Method,
		CreatedAt:  now,
		State:      StateQueued,
		Terms:      termsOf(req),
	}
	rec.Terms.DatedAt = now
	if !so.datedAt.IsZero() {
		rec.Terms.DatedAt = so.datedAt.UTC()
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		outbox := tx.Bucket(bucketOutbox)
		outbox.FillPercent = appendFill
		seq, err := outbox.NextSequence()
		if err != nil {
			return fmt.Errorf("kioskdb: submit: next sequence: %w", err)
		}
		code, err := kiosk.NewReceiptCode(id.Number, seq)
		if err != nil {
			return fmt.Errorf("kioskdb: submit: receipt code: %w", err)
		}
		rec.Seq, rec.Code = seq, code
		return putNewRequest(tx, storedRequest{Record: rec, Sealed: sealed}, now)
	})
	if err != nil {
		return Receipt{}, diskFullError(err)
	}
	// After the commit, before the receipt is shown: the side file that
	// lets Open notice a store gone back (see rewind.go). Its failure does
	// not undo a committed request.
	if err := db.writeLastSeq(rec.Seq); err != nil {
		db.log.Warn("Last receipt file not written", "seq", rec.Seq, "err", err)
	}
	db.log.Info("Request stored", "request_id", rec.RequestID, "code", rec.Code, "seq", rec.Seq, "service", rec.Service)
	return Receipt{Code: rec.Code, RequestID: rec.RequestID, Seq: rec.Seq, CreatedAt: now}, nil
}

// putNewRequest writes a queued request: its value, code, outbox entry and
// audit line.
func putNewRequest(tx *bolt.Tx, r storedRequest, now time.Time) error {
	v, err := encodeRequest(r)
	if err != nil {
		return err
	}
	id := []byte(r.Record.RequestID)
	reqs := tx.Bucket(bucketRequests)
	reqs.FillPercent = appendFill
	if reqs.Get(id) != nil {
		return fmt.Errorf("kioskdb: submit: request ID %s already stored", id)
	}
	if err := reqs.Put(id, v); err != nil {
		return fmt.Errorf("kioskdb: put request %s: %w", id, err)
	}
	codes := tx.Bucket(bucketCodes)
	codes.FillPercent = appendFill // codes sort in seq order: the alphabet is in ASCII order
	if err := codes.Put([]byte(r.Record.Code), id); err != nil {
		return fmt.Errorf("kioskdb: put code %s: %w", r.Record.Code, err)
	}
	outbox := tx.Bucket(bucketOutbox)
	outbox.FillPercent = appendFill
	if err := outbox.Put(seqKey(r.Record.Seq), id); err != nil {
		return fmt.Errorf("kioskdb: put outbox %d: %w", r.Record.Seq, err)
	}
	return appendAudit(tx, AuditEntry{Time: now, Action: AuditSubmit, RequestID: r.Record.RequestID, Code: r.Record.Code})
}

// termsOf keeps what a reprint needs: the notice and purposes accepted,
// and the yes/no claims made (values exactly "true"), sorted.
func termsOf(req kiosk.Request) *Terms {
	t := &Terms{NoticeVersion: req.Consent.NoticeVersion, Purposes: append([]string{}, req.Consent.Purposes...)}
	for k, v := range req.Extra {
		if v == "true" {
			t.Claims = append(t.Claims, k)
		}
	}
	slices.Sort(t.Claims)
	return t
}

// SubmitOption changes what Submit records.
type SubmitOption func(*submitOptions)

type submitOptions struct{ datedAt time.Time }

// DatedAt records the time the receipt's fee and expected date were
// reckoned from, when it is not the kiosk's clock (the city's time, from
// the last sync's clock offset).
func DatedAt(t time.Time) SubmitOption { return func(o *submitOptions) { o.datedAt = t } }
