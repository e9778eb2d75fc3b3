package citybolt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// The queue benchmarks share one store of 1,000,000 dossiers with the back
// office's indexes, made once per process: 126 communes, received over
// 2026 at an even pace; what came in the last two weeks is still open
// (accepted, processing, needs supplement, ready), the rest is closed, as
// in a working city.
var (
	qOnce  sync.Once
	qStore *citybolt.Store
	qDir   string
	qErr   error
	qNow   = time.Date(2026, 12, 31, 10, 0, 0, 0, kiosk.VietnamZone())
)

func queueStore(b *testing.B) *citybolt.Store {
	qOnce.Do(func() {
		if qDir, qErr = os.MkdirTemp("", "citybolt-queue-bench-"); qErr != nil {
			return
		}
		if qStore, qErr = citybolt.Open(filepath.Join(qDir, "city.db"), citybolt.Options{NoSync: true}); qErr != nil {
			return
		}
		communes := kiosk.Communes("01")
		services := []string{"birth_extract_copy", "death_extract_copy", "marriage_extract_copy", "marital_status_confirmation"}
		closed := []syncproto.Status{syncproto.StatusDone, syncproto.StatusDone, syncproto.StatusDone, syncproto.StatusPickedUp,
			syncproto.StatusPosted, syncproto.StatusRefused, syncproto.StatusNotAccepted, syncproto.StatusWithdrawn}
		open := []syncproto.Status{syncproto.StatusReceived, syncproto.StatusAccepted, syncproto.StatusProcessing,
			syncproto.StatusNeedsSupplement, syncproto.StatusReady}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, kiosk.VietnamZone())
		step := qNow.Sub(start) / bigN
		batch := make([]city.Request, 0, 20_000)
		for i := range bigN {
			received := start.Add(time.Duration(i) * step)
			st := closed[i%len(closed)]
			if qNow.Sub(received) < 14*24*time.Hour {
				st = open[i%len(open)]
			}
			r := city.Request{RequestID: fmt.Sprintf("r%07d", i), KioskID: "K0001", Seq: uint64(i + 1), Code: fmt.Sprintf("C%07d", i),
				Service: services[i%len(services)], Commune: "00004", Office: communes[(i*31)%len(communes)].Code,
				CityRef: fmt.Sprintf("HN-%010d", i+1), SHA256: "h", CreatedAt: received, ReceivedAt: received, UpdatedAt: received,
				Status: st, Delivery: []string{"pickup", "post"}[i%2], MaskedName: "N***** T** H**"}
			if st != syncproto.StatusReceived && st != syncproto.StatusNotAccepted && st != syncproto.StatusWithdrawn {
				r.AcceptedAt = received.Add(time.Hour).Truncate(time.Second)
				r.DueAt = city.EndOfDay(received.Add(24 * time.Hour * time.Duration(1+i%4)))
			}
			if batch = append(batch, r); len(batch) == cap(batch) {
				if qErr = citybolt.PutDossierRows(qStore, batch); qErr != nil {
					return
				}
				batch = batch[:0]
			}
		}
		qErr = citybolt.PutDossierRows(qStore, batch)
	})
	if qErr != nil {
		b.Fatal(qErr)
	}
	return qStore
}

// closeQueueStore is called by TestMain.
func closeQueueStore() {
	if qStore != nil {
		qStore.Close()
	}
	if qDir != "" {
		os.RemoveAll(qDir)
	}
}

// queuePage makes the store calls of one queue page (handleQueue): 50
// dossiers, the exact count of every bucket (12 statuses in one pass, due
// soon, overdue) and, under a due filter, the total.
func queuePage(b *testing.B, s *citybolt.Store, sc city.Scope, f city.DossierFilter) {
	ctx := context.Background()
	cal := city.NewCalendar(nil)
	f.Limit = 50
	list, err := s.Dossiers(ctx, sc, f)
	if err != nil || len(list) == 0 {
		b.Fatalf("page: %d, %v", len(list), err)
	}
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		if _, err := s.CountDossiers(ctx, sc, f); err != nil {
			b.Fatal(err)
		}
	} // else the total is the buckets' sum
	g := f
	g.Statuses, g.DueFrom, g.DueTo, g.After = nil, time.Time{}, time.Time{}, ""
	if _, err := s.CountByStatus(ctx, sc, g); err != nil {
		b.Fatal(err)
	}
	soon := g
	soon.DueFrom, soon.DueTo = qNow, city.EndOfDay(cal.AddWorkingDays(qNow, 3)).Add(time.Second)
	late := g
	late.DueFrom, late.DueTo = time.Unix(1, 0), qNow
	for _, h := range []city.DossierFilter{soon, late} {
		if _, err := s.CountDossiers(ctx, sc, h); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareRead50 is the baseline: 50 requests read and decoded by
// key in one bbolt read transaction, no index.
func BenchmarkBareRead50Q1M(b *testing.B) {
	s := queueStore(b)
	b.ResetTimer()
	for range b.N {
		err := citybolt.View(s, func(tx *bolt.Tx) error {
			c := tx.Bucket([]byte("requests")).Cursor()
			k, v := c.Seek([]byte("r0500000"))
			for i := 0; i < 50 && k != nil; i++ {
				var r city.Request
				if err := json.Unmarshal(v, &r); err != nil {
					return err
				}
				k, v = c.Next()
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func oneCommune() city.Scope { return city.Scope{Communes: []string{kiosk.Communes("01")[0].Code}} }

// BenchmarkQueuePageCommune1M: an officer of one commune (about 7,900
// dossiers of the million), the queue as it opens.
func BenchmarkQueuePageCommune1M(b *testing.B) {
	s := queueStore(b)
	b.ResetTimer()
	for range b.N {
		queuePage(b, s, oneCommune(), city.DossierFilter{})
	}
}

// BenchmarkQueuePageCity1M: a city-wide officer (all 126 communes).
func BenchmarkQueuePageCity1M(b *testing.B) {
	s := queueStore(b)
	b.ResetTimer()
	for range b.N {
		queuePage(b, s, cityScope(), city.DossierFilter{})
	}
}

// BenchmarkQueuePageCityStatus1M: city-wide, one status bucket, page 100
// (keyset: after the 5,000th).
func BenchmarkQueuePageCityStatus1M(b *testing.B) {
	s := queueStore(b)
	first, err := s.Dossiers(context.Background(), cityScope(), city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusDone}, Limit: 1000})
	if err != nil || len(first) == 0 {
		b.Fatal(err)
	}
	after := first[len(first)-1].CityRef
	b.ResetTimer()
	for range b.N {
		queuePage(b, s, cityScope(), city.DossierFilter{Statuses: []syncproto.Status{syncproto.StatusDone}, After: after})
	}
}

// BenchmarkQueuePageCitySearch1M: a search by receipt code, city-wide.
func BenchmarkQueuePageCitySearch1M(b *testing.B) {
	s := queueStore(b)
	b.ResetTimer()
	for range b.N {
		queuePage(b, s, cityScope(), city.DossierFilter{Query: "C0999990"})
	}
}

// BenchmarkQueuePageCommuneService1M: one commune, filtered by service and
// delivery (not indexed: the commune's dossiers are walked; counts too).
func BenchmarkQueuePageCommuneService1M(b *testing.B) {
	s := queueStore(b)
	b.ResetTimer()
	for range b.N {
		queuePage(b, s, oneCommune(), city.DossierFilter{Service: "birth_extract_copy", Delivery: "pickup"})
	}
}
