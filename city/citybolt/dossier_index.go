package citybolt

import (
	"encoding/binary"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// The back office's indexes, kept in the transaction that writes the
// request:
//
//	idx_office   office 0 ref            → request_id
//	idx_status   office 0 status 0 ref   → request_id
//	idx_due      office 0 due(8) 0 ref   → request_id  (open dossiers with a due date)
//	by_code      receipt code            → request_id
//	counts       office 0 status         → count (8 bytes)
//
// City references have a fixed width, so key order is reference order.
var (
	bIdxOffice = []byte("idx_office")
	bIdxStatus = []byte("idx_status")
	bIdxDue    = []byte("idx_due")
	bByCode    = []byte("by_code")
	bCounts    = []byte("counts")
)

func join(parts ...[]byte) []byte {
	var out []byte
	for i, p := range parts {
		if i > 0 {
			out = append(out, 0)
		}
		out = append(out, p...)
	}
	return out
}

func isOpen(s syncproto.Status) bool { return slices.Contains(city.OpenStatuses, s) }

// dueKey orders open dossiers by due date (whole seconds: DueAt is kept
// to the second).
func dueKey(r city.Request) []byte {
	return join([]byte(r.Office), u64(uint64(r.DueAt.Unix())), []byte(r.CityRef))
}

// index adds r to the indexes; unindex removes it (r as it was stored).
func index(tx *bolt.Tx, r city.Request) error {
	id := []byte(r.RequestID)
	if err := tx.Bucket(bIdxOffice).Put(join([]byte(r.Office), []byte(r.CityRef)), id); err != nil {
		return err
	}
	if err := tx.Bucket(bIdxStatus).Put(join([]byte(r.Office), []byte(r.Status), []byte(r.CityRef)), id); err != nil {
		return err
	}
	if isOpen(r.Status) && !r.DueAt.IsZero() {
		if err := tx.Bucket(bIdxDue).Put(dueKey(r), id); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bByCode).Put([]byte(strings.ToUpper(r.Code)), id); err != nil {
		return err
	}
	if err := putReport(tx, r); err != nil { // report.go
		return err
	}
	return addCount(tx, r.Office, r.Status, 1)
}

func unindex(tx *bolt.Tx, r city.Request) error {
	if err := tx.Bucket(bIdxOffice).Delete(join([]byte(r.Office), []byte(r.CityRef))); err != nil {
		return err
	}
	if err := tx.Bucket(bIdxStatus).Delete(join([]byte(r.Office), []byte(r.Status), []byte(r.CityRef))); err != nil {
		return err
	}
	if !r.DueAt.IsZero() {
		if err := tx.Bucket(bIdxDue).Delete(dueKey(r)); err != nil {
			return err
		}
	}
	if err := deleteReport(tx, r); err != nil { // report.go
		return err
	}
	return addCount(tx, r.Office, r.Status, -1)
}

func addCount(tx *bolt.Tx, office string, st syncproto.Status, d int64) error {
	b := tx.Bucket(bCounts)
	k := join([]byte(office), []byte(st))
	var n int64
	if v := b.Get(k); v != nil {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += d
	if n <= 0 {
		return b.Delete(k)
	}
	return b.Put(k, u64(uint64(n)))
}

func count(tx *bolt.Tx, office string, st syncproto.Status) int {
	if v := tx.Bucket(bCounts).Get(join([]byte(office), []byte(st))); v != nil {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}

// reindexAll builds the indexes of a store made before them (schema 1):
// every request gets its kiosk's commune as office.
func reindexAll(tx *bolt.Tx) error {
	reqs := tx.Bucket(bRequests)
	var all []city.Request
	err := reqs.ForEach(func(_, v []byte) error {
		var r city.Request
		if err := jsonUnmarshal(v, &r); err != nil {
			return err
		}
		all = append(all, r)
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range all {
		if r.Office == "" {
			r.Office = r.Commune
			if err := putJSON(reqs, []byte(r.RequestID), r); err != nil {
				return err
			}
		}
		if err := index(tx, r); err != nil {
			return err
		}
	}
	return nil
}
