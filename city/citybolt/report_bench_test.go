package citybolt_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// The report benchmarks share one store of 1,000,000 dossiers, made once
// per process: 126 communes, four services, received over 2026, in the
// mix of statuses a working city has.
var (
	bigOnce  sync.Once
	bigStore *citybolt.Store
	bigDir   string
	bigErr   error
)

const bigN = 1_000_000

func bigReportStore(b *testing.B) *citybolt.Store {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "citybolt-report-bench-")
		if bigErr != nil {
			return
		}
		bigStore, bigErr = citybolt.Open(filepath.Join(bigDir, "city.db"), citybolt.Options{NoSync: true})
		if bigErr != nil {
			return
		}
		communes := kiosk.Communes("01")
		services := []string{"birth_extract_copy", "death_extract_copy", "marriage_extract_copy", "marital_status_confirmation"}
		statuses := []syncproto.Status{syncproto.StatusDone, syncproto.StatusDone, syncproto.StatusPickedUp, syncproto.StatusPosted,
			syncproto.StatusProcessing, syncproto.StatusAccepted, syncproto.StatusReady, syncproto.StatusRefused,
			syncproto.StatusNotAccepted, syncproto.StatusWithdrawn, syncproto.StatusReceived, syncproto.StatusNeedsSupplement}
		year := time.Date(2026, 1, 1, 0, 0, 0, 0, kiosk.VietnamZone())
		batch := make([]city.Request, 0, 50_000)
		for i := range bigN {
			// Offices in blocks, written in key order (a fast fill); the
			// dates spread over the year in every office.
			received := year.Add(time.Duration((i*7919)%bigN) * (365 * 24 * time.Hour / bigN))
			st := statuses[i%len(statuses)]
			r := city.Request{Office: communes[i*len(communes)/bigN].Code, Service: services[i%len(services)],
				CityRef: fmt.Sprintf("HN-%010d", i+1), Channel: []string{city.ChannelSync, city.ChannelUSB}[i%5/4],
				Status: st, ReceivedAt: received, DueAt: received.Add(30 * time.Hour), UpdatedAt: received.Add(time.Duration(i%72) * time.Hour)}
			if st == syncproto.StatusDone || st == syncproto.StatusPickedUp || st == syncproto.StatusPosted {
				r.ResultAt = r.UpdatedAt
			}
			if batch = append(batch, r); len(batch) == cap(batch) {
				if bigErr = citybolt.PutReportRows(bigStore, batch); bigErr != nil {
					return
				}
				batch = batch[:0]
			}
		}
		bigErr = citybolt.PutReportRows(bigStore, batch)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigStore
}

func TestMain(m *testing.M) {
	code := m.Run()
	closeQueueStore()
	if bigStore != nil {
		bigStore.Close()
	}
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

func cityScope() city.Scope {
	var sc city.Scope
	for _, u := range kiosk.Communes("01") {
		sc.Communes = append(sc.Communes, u.Code)
	}
	return sc
}

// BenchmarkScanReport1M is the baseline: a bare cursor walk over the
// report index's 1,000,000 rows.
func BenchmarkScanReport1M(b *testing.B) {
	s := bigReportStore(b)
	for b.Loop() {
		if n, _ := citybolt.ScanReportIndex(s); n != bigN {
			b.Fatalf("%d rows", n)
		}
	}
}

func benchReport(b *testing.B, p city.Period) {
	s := bigReportStore(b)
	sc := cityScope()
	made := time.Date(2027, 1, 10, 0, 0, 0, 0, kiosk.VietnamZone())
	for b.Loop() {
		rb := city.NewReportBuilder(p, made)
		if err := s.UptakeRows(b.Context(), sc, p.From, p.To, rb.Add); err != nil {
			b.Fatal(err)
		}
		rep := rb.Report(sc, nil)
		if len(rep.Communes) != 126 || rep.Total.Received == 0 {
			b.Fatalf("report %+v", rep.Total)
		}
	}
}

// BenchmarkReportMonth1M is November 2026's report for the whole city
// over the store of 1,000,000 dossiers.
func BenchmarkReportMonth1M(b *testing.B) { benchReport(b, city.MonthPeriod(2026, time.November)) }

// BenchmarkReportYear1M is the whole year's report: every row counted.
func BenchmarkReportYear1M(b *testing.B) {
	p, err := city.RangePeriod("2026-01-01", "2026-12-31")
	if err != nil {
		b.Fatal(err)
	}
	benchReport(b, p)
}
