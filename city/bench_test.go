package city_test

import (
	"fmt"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"communekiosk/sync/syncproto"
)

// BenchmarkBareBoltBatch is the baseline: one bbolt Update that puts 100
// keys of the size of a sealed request, fsynced, as ingest's commit does.
func BenchmarkBareBoltBatch(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	val := make([]byte, 1500)
	n := 0
	b.ResetTimer()
	for b.Loop() {
		err := db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("r"))
			if err != nil {
				return err
			}
			for range 100 {
				n++
				if err := bk.Put(fmt.Appendf(nil, "req-%012d", n), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkPush100 is one signed, gzipped push of 100 new items through
// the real handler over loopback HTTP: verify, replay check, open, validate,
// one ingest transaction.
func BenchmarkPush100(b *testing.B) {
	benchPush(b, 100)
}

func benchPush(b *testing.B, size int) {
	e := newEnv(b)
	k := e.enrol("00004")
	proto := k.item(goodRequest())
	b.ResetTimer()
	for b.Loop() {
		items := make([]syncproto.Item, size)
		for j := range items {
			it := proto
			k.seq++
			it.Seq, it.RequestID = k.seq, fmt.Sprintf("req-%d", k.seq)
			items[j] = it
		}
		resp := k.push(items...)
		if resp.Results[size-1].Outcome != syncproto.Accepted {
			b.Fatalf("%+v", resp.Results[size-1])
		}
	}
	b.ReportMetric(float64(size*b.N)/b.Elapsed().Seconds(), "items/s")
}
