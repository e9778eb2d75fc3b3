package citybolt

import (
	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// PutReportRows writes the report index of requests directly, as Ingest
// and UpdateDossiers do (putReport), for the report's benchmark.
func PutReportRows(s *Store, reqs []city.Request) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bReport)
		b.FillPercent = 0.95
		for _, r := range reqs {
			if err := b.Put(reportKey(r), reportValue(city.RowOf(r))); err != nil {
				return err
			}
		}
		return nil
	})
}

// ScanReportIndex walks the report index and touches every value: the
// baseline of the report's benchmark.
func ScanReportIndex(s *Store) (n int, sum int) {
	s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bReport).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			n++
			sum += int(v[len(v)-1])
		}
		return nil
	})
	return n, sum
}

// ForgetReportIndex empties the report index and sets the schema back to
// 2, as a store made before the index was.
func ForgetReportIndex(s *Store) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bReport); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(bReport); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(kSchema, u64(2))
	})
}
