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
