package kioskdb

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"communekiosk/kiosk"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// Benchmarks of the store; scripts/bench-kioskdb.sh runs them and prints
// the Markdown section of docs/benchmarks.md.

func percentile(d []time.Duration, p float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return float64(s[i].Nanoseconds()) / 1e3 // µs
}

// validRequest returns the sample request, checked by kiosk.Validate.
func validRequest(b *testing.B) (kiosk.Request, *kiosk.Catalogue) {
	cat, err := kiosk.DefaultCatalogue()
	if err != nil {
		b.Fatal(err)
	}
	req := sampleRequest("")
	// The test sample predates the catalogue's current lists: take its
	// values from the catalogue.
	req.Subject.Ethnicity = cat.Options("ethnicities")[0].ID
	req.Consent.NoticeVersion = cat.NoticeVersion
	if ps := kiosk.Validate(req, cat, time.Now()); kiosk.HasErrors(ps) {
		b.Fatalf("the sample request is not valid: %+v", ps)
	}
	return req, cat
}

// BenchmarkSubmitVsBareCommit interleaves, one for one, the whole submit
// path (kiosk.Validate + seal + one fsynced commit of request, code,
// outbox entry and audit line) and a bare bbolt commit of one 16-byte key
// in a second file in the same directory, so both see the same disk and
// the same load. It reports the p50 and p99 of each and their ratios.
func BenchmarkSubmitVsBareCommit(b *testing.B) {
	req, cat := validRequest(b)
	dir := b.TempDir()
	db, err := Open(filepath.Join(dir, "kiosk.db"), Options{Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	must(b, db.SetIdentity(testIdentity(b)))
	bare, err := bolt.Open(filepath.Join(dir, "bare.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	must(b, bare.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("k")); return err }))

	submit := make([]time.Duration, 0, b.N)
	commit := make([]time.Duration, 0, b.N)
	val := make([]byte, 16)
	b.ResetTimer()
	for i := range b.N {
		st := time.Now()
		err := bare.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("k")).Put(seqKey(uint64(i)), val)
		})
		commit = append(commit, time.Since(st))
		if err != nil {
			b.Fatal(err)
		}

		st = time.Now()
		now := time.Now()
		if ps := kiosk.Validate(req, cat, now); kiosk.HasErrors(ps) {
			b.Fatal(ps)
		}
		_, err = db.Submit(req, now)
		submit = append(submit, time.Since(st))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	sp50, sp99 := percentile(submit, 0.50), percentile(submit, 0.99)
	cp50, cp99 := percentile(commit, 0.50), percentile(commit, 0.99)
	b.ReportMetric(sp50, "submit-p50-µs")
	b.ReportMetric(sp99, "submit-p99-µs")
	b.ReportMetric(cp50, "bare-p50-µs")
	b.ReportMetric(cp99, "bare-p99-µs")
	b.ReportMetric(sp50/cp50, "p50-ratio")
	b.ReportMetric(sp99/cp99, "p99-ratio")
}

// BenchmarkSubmitParts times the parts of the submit path that are not the
// commit: validation and sealing, per request.
func BenchmarkSubmitParts(b *testing.B) {
	req, cat := validRequest(b)
	id := testIdentity(b)
	b.Run("validate", func(b *testing.B) {
		for b.Loop() {
			kiosk.Validate(req, cat, t0)
		}
	})
	b.Run("seal", func(b *testing.B) { // box.SealAnonymous: two X25519 multiplications
		for b.Loop() {
			if _, _, err := seal(req, &id.SealKey); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBytesPerRequest submits b.N requests, one transaction each as
// on a kiosk, and reports the file size divided by b.N.
func BenchmarkBytesPerRequest(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "kiosk.db"), Options{Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	must(b, db.SetIdentity(testIdentity(b)))
	req := sampleRequest("")
	for i := range b.N {
		if _, err := db.Submit(req, t0.Add(time.Duration(i)*time.Second)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	fi, err := os.Stat(db.Path())
	if err != nil {
		b.Fatal(err)
	}
	var sealed int
	var used int64
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		_, v := tx.Bucket(bucketRequests).Cursor().First()
		r, _ := decodeRequest(v)
		sealed = len(r.Sealed)
		used = tx.Size() // up to the high-water mark; the file is grown ahead in chunks
		return nil
	})
	free := int64(db.bolt.Stats().FreePageN) * int64(os.Getpagesize())
	b.ReportMetric(float64(fi.Size())/float64(b.N), "file-bytes/req")
	b.ReportMetric(float64(used)/float64(b.N), "hwm-bytes/req")
	b.ReportMetric(float64(used-free)/float64(b.N), "live-bytes/req")
	b.ReportMetric(float64(sealed), "sealed-bytes/req")
}

// BenchmarkOpenLarge builds a store of KIOSKDB_BENCH_OPEN_N requests
// (default 1,000,000) with large batched transactions of 10,000 requests
// each (not one Update per request), every request with its record, code,
// outbox entry and audit line and a real sealed payload (one payload sealed
// once and reused: same size, no sealing cost), and times Open on it, with
// and without the integrity check. Skipped unless KIOSKDB_BENCH_OPEN=1.
func BenchmarkOpenLarge(b *testing.B) {
	if os.Getenv("KIOSKDB_BENCH_OPEN") != "1" {
		b.Skip("set KIOSKDB_BENCH_OPEN=1 (builds a store of about 1.5 GB)")
	}
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("KIOSKDB_BENCH_OPEN_N")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(b.TempDir(), "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	id := testIdentity(b)
	must(b, db.SetIdentity(id))
	sealed, _, err := seal(sampleRequest(""), &id.SealKey)
	if err != nil {
		b.Fatal(err)
	}
	build := time.Now()
	const batch = 10_000
	for done := 0; done < n; {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			outbox := tx.Bucket(bucketOutbox)
			for j := 0; j < batch && done < n; j++ {
				seq, err := outbox.NextSequence()
				if err != nil {
					return err
				}
				code, err := kiosk.NewReceiptCode(id.Number, seq)
				if err != nil {
					return err
				}
				rid := uuid.Must(uuid.NewV7()).String()
				at := t0.Add(time.Duration(seq) * time.Second)
				rec := Record{Code: code, RequestID: rid, Seq: seq, Service: "birth_extract_copy",
					MaskedName: "N***** T** H**", Copies: 2, Delivery: "pickup", CreatedAt: at, State: StateQueued}
				if err := putNewRequest(tx, storedRequest{Record: rec, Sealed: sealed}, at); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	buildTime := time.Since(build)
	must(b, db.Close())
	fi, _ := os.Stat(path)

	var withCheck, noCheck time.Duration
	b.ResetTimer()
	for range b.N {
		st := time.Now()
		db, err := Open(path, Options{Logger: quietLogger()})
		if err != nil {
			b.Fatal(err)
		}
		withCheck += time.Since(st)
		must(b, db.Close())
		st = time.Now()
		db, err = Open(path, Options{Logger: quietLogger(), SkipCheck: true})
		if err != nil {
			b.Fatal(err)
		}
		noCheck += time.Since(st)
		if c, err := db.Counts(); err != nil || c.Queued != n {
			b.Fatalf("Counts %+v, %v", c, err)
		}
		must(b, db.Close())
	}
	b.StopTimer()
	b.ReportMetric(float64(n), "requests")
	b.ReportMetric(withCheck.Seconds()/float64(b.N), "open-checked-s")
	b.ReportMetric(noCheck.Seconds()/float64(b.N), "open-unchecked-s")
	b.ReportMetric(buildTime.Seconds(), "build-s")
	b.ReportMetric(float64(fi.Size())/float64(n), "file-bytes/req")
}
