package citypg_test

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
)

const benchRequests, benchPayload = 20000, 2048

// BenchmarkMoveStore: cityd migrate-store's work on a store of 20,000
// requests with 2 KB sealed payloads: the copy in one transaction and the
// verification. Reported: requests/s and the peak of the heap in use (MB,
// the whole test process's).
func BenchmarkMoveStore(b *testing.B) {
	ctx := context.Background()
	src := bigStore(b, benchRequests, benchPayload)
	var peak int64
	for range b.N {
		b.StopTimer()
		dst := open(b, citypgtest.Schema(b))
		runtime.GC()
		h := sampleHeap()
		b.StartTimer()
		rep, err := citypg.Copy(ctx, src, dst)
		b.StopTimer()
		peak = max(peak, int64(h.Stop()))
		if err != nil || !rep.Copied {
			b.Fatalf("copied %v, %v", rep.Copied, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRequests)*float64(b.N)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
}

// BenchmarkMoveBareCopy is the baseline of BenchmarkMoveStore: the same
// requests, already in memory as rows, COPYed into the requests table by a
// bare pgx CopyFrom, with no source to read, nothing else copied and no
// verification. Its peak heap holds that one table, as a copy held in
// memory does.
func BenchmarkMoveBareCopy(b *testing.B) {
	ctx := context.Background()
	src := bigStore(b, benchRequests, benchPayload)
	var kiosks [][]any
	var rows [][]any
	err := src.ReadSnapshot(ctx, func(x *citybolt.Snapshot) error {
		ks, err := x.Kiosks()
		for _, k := range ks {
			kiosks = append(kiosks, []any{k.ID, int64(k.Number), k.Commune, k.CommuneName, []byte(k.PublicKey), k.EnrolledAt})
		}
		if err != nil {
			return err
		}
		return x.Requests(func(r city.Request) error {
			sealed := append([]byte(nil), r.Sealed...)
			r.Sealed = nil
			doc, err := json.Marshal(r)
			rows = append(rows, []any{r.RequestID, r.KioskID, int64(r.Seq), r.Code, r.Service, r.Commune, r.CityRef, r.SHA256, sealed,
				r.CreatedAt, r.ReceivedAt, string(r.Status), r.StatusNote, r.UpdatedAt, r.Office, r.Delivery, r.Assignee, nil, string(doc)})
			return err
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	var peak int64
	for range b.N {
		b.StopTimer()
		dst := open(b, citypgtest.Schema(b))
		if _, err := dst.Pool().CopyFrom(ctx, pgx.Identifier{"kiosks"}, []string{"id", "number", "commune", "commune_name", "public_key", "enrolled_at"}, pgx.CopyFromRows(kiosks)); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		h := sampleHeap()
		b.StartTimer()
		_, err := dst.Pool().CopyFrom(ctx, pgx.Identifier{"requests"}, []string{"request_id", "kiosk_id", "seq", "code", "service", "commune", "city_ref", "sha256", "sealed",
			"created_at", "received_at", "status", "status_note", "updated_at", "office", "delivery", "assignee", "due_at", "doc"}, pgx.CopyFromRows(rows))
		b.StopTimer()
		peak = max(peak, int64(h.Stop()))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRequests)*float64(b.N)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
}
