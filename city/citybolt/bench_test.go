package citybolt_test

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/sync/syncproto"
)

func benchStore(b *testing.B) *citybolt.Store {
	s, err := citybolt.Open(filepath.Join(b.TempDir(), "city.db"), citybolt.Options{NoSync: os.Getenv("CITY_BENCH_NOSYNC") != ""})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkIngest100 is one ingest transaction of 100 new items of a
// realistic size (1.5 KB sealed).
func BenchmarkIngest100(b *testing.B) {
	s := benchStore(b)
	k, err := s.RegisterKiosk(b.Context(), "00004", "", make(ed25519.PublicKey, 32), time.Now())
	if err != nil {
		b.Fatal(err)
	}
	sealed := make([]byte, 1500)
	seq := uint64(0)
	for b.Loop() {
		items := make([]city.IngestItem, 100)
		for i := range items {
			seq++
			items[i] = city.IngestItem{Item: syncproto.Item{Seq: seq, RequestID: fmt.Sprintf("r-%d", seq), Code: fmt.Sprintf("C-%d", seq), Service: "birth_extract_copy",
				Sealed: sealed, SHA256: "h", CreatedAt: time.Now()}, Commune: "00004", Channel: city.ChannelSync}
		}
		if _, err := s.Ingest(b.Context(), k.ID, items, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkFresh is the replay check of one signed request.
func BenchmarkFresh(b *testing.B) {
	s := benchStore(b)
	t0 := time.Now()
	n := 0
	for b.Loop() {
		n++
		if err := s.Fresh(b.Context(), "K0001", fmt.Sprintf("nonce-%d", n), t0.Add(time.Duration(n)*time.Millisecond), 24*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
