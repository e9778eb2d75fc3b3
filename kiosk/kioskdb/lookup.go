package kioskdb

import (
	"fmt"

	"communekiosk/kiosk"

	bolt "go.etcd.io/bbolt"
)

// Lookup finds a request by its receipt code, typed in any case, with or
// without separators. A code that does not parse fails with ErrNotFound
// joined with kiosk's receipt-code error (ErrReceiptChecksum, ...). A
// purged request is still found, with Purged true.
func (db *DB) Lookup(code string) (Record, error) {
	canon, err := canonicalCode(code)
	if err != nil {
		return Record{}, fmt.Errorf("kioskdb: lookup: %w: %w", ErrNotFound, err)
	}
	var rec Record
	err = db.bolt.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketCodes).Get([]byte(canon))
		if id == nil {
			return fmt.Errorf("kioskdb: lookup %s: %w", canon, ErrNotFound)
		}
		r, err := getRecord(tx, string(id))
		rec = r
		return err
	})
	return rec, err
}

// LookupID finds a request by its request ID.
func (db *DB) LookupID(requestID string) (Record, error) {
	var rec Record
	err := db.bolt.View(func(tx *bolt.Tx) error {
		r, err := getRecord(tx, requestID)
		rec = r
		return err
	})
	return rec, err
}

func canonicalCode(code string) (string, error) {
	k, seq, err := kiosk.ParseReceiptCode(code)
	if err != nil {
		return "", err
	}
	return kiosk.NewReceiptCode(k, seq)
}

// getRequest reads a stored request, or ErrNotFound.
func getRequest(tx *bolt.Tx, requestID string) (storedRequest, error) {
	v := tx.Bucket(bucketRequests).Get([]byte(requestID))
	if v == nil {
		return storedRequest{}, fmt.Errorf("kioskdb: request %s: %w", requestID, ErrNotFound)
	}
	r, err := decodeRequest(v)
	if err != nil {
		return storedRequest{}, fmt.Errorf("kioskdb: request %s: %w", requestID, err)
	}
	return r, nil
}

// getRecord reads the index Record with the last status the city sent.
func getRecord(tx *bolt.Tx, requestID string) (Record, error) {
	r, err := getRequest(tx, requestID)
	if err != nil {
		return Record{}, err
	}
	rec := r.Record
	if s, ok, err := getStatus(tx, requestID); err != nil {
		return Record{}, err
	} else if ok {
		rec.Status, rec.StatusNote, rec.StatusChangedAt = s.Status, s.Note, s.ChangedAt
	}
	return rec, nil
}

func putRequest(tx *bolt.Tx, r storedRequest) error {
	v, err := encodeRequest(r)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketRequests).Put([]byte(r.Record.RequestID), v); err != nil {
		return fmt.Errorf("kioskdb: put request %s: %w", r.Record.RequestID, err)
	}
	return nil
}
