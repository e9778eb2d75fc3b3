package citybolt

import (
	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// PutDossierRows writes requests with their back-office indexes in one
// transaction, without payloads: a quick fill for the queue benchmark.
func PutDossierRows(s *Store, reqs []city.Request) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bRequests)
		b.FillPercent = 0.95
		byRef := tx.Bucket(bByRef)
		byRef.FillPercent = 0.95
		for _, r := range reqs {
			if err := putJSON(b, []byte(r.RequestID), r); err != nil {
				return err
			}
			if err := byRef.Put([]byte(r.CityRef), []byte(r.RequestID)); err != nil {
				return err
			}
			if err := index(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// View runs fn in a read transaction of s (for benchmark baselines).
func View(s *Store, fn func(*bolt.Tx) error) error { return s.db.View(fn) }

// ForgetDossierIndexes makes s look like a store of schema 1: no back-office
// indexes, no office on the requests.
func ForgetDossierIndexes(s *Store) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bIdxOffice, bIdxStatus, bIdxDue, bByCode, bCounts} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		reqs := tx.Bucket(bRequests)
		var all []city.Request
		if err := reqs.ForEach(func(_, v []byte) error {
			var r city.Request
			if err := jsonUnmarshal(v, &r); err != nil {
				return err
			}
			all = append(all, r)
			return nil
		}); err != nil {
			return err
		}
		for _, r := range all {
			r.Office = ""
			if err := putJSON(reqs, []byte(r.RequestID), r); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kSchema, u64(1))
	})
}
