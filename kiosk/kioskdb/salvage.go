package kioskdb

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SalvageReport says what Salvage found in a damaged file and what it
// kept.
type SalvageReport struct {
	Damaged string // the damaged file
	// Found is the number of requests read from the damaged file;
	// FoundUnsent those of them not yet acknowledged by the city.
	Found       int
	FoundUnsent int
	// Imported are the receipt codes added to the store (queued ones go
	// back in the outbox under their original sequence number).
	Imported []string
	// Present counts requests the store already had (or had purged):
	// nothing to do, which makes a second run change nothing.
	Present int
	// Problems are the parts of the damaged file that could not be read.
	Problems []string
}

// Salvage reads what it can of a damaged store file with bbolt's own
// reader (read-only: the damaged file is never written) and imports into
// db, in one transaction, every request it finds that db lacks: the
// requests and outbox buckets are walked forward and backward, each step
// guarded against the panics a broken page causes, so the keys on both
// sides of a broken page are still read, and each request listed in the
// outbox is also read by its key. Unsent requests are put back in the
// outbox under their original sequence, the outbox sequence is raised past
// them so no receipt code is ever given twice, and each import writes an
// audit line. The outbox sequence is also raised to the damaged file's, so
// the codes of receipts on unreadable pages are not given again. Running
// it again changes nothing.
//
// When bbolt cannot open the file at all (both meta pages damaged) it
// fails; docs/store.md's restore runbook says what to try then.
//
// bbolt is not hardened against every damage: pages that point to
// themselves make it loop or overflow its stack, which no recover stops.
// kioskd therefore reads the damaged file in a child process
// (ReadDamaged, with a time limit) and imports here with ImportSalvaged;
// Salvage does both in this process.
func (db *DB) Salvage(damaged string, now time.Time) (SalvageReport, error) {
	s, err := ReadDamaged(damaged)
	if err != nil {
		return SalvageReport{Damaged: damaged, Problems: s.Problems}, err
	}
	return db.ImportSalvaged(s, damaged, now)
}

// Salvaged is what ReadDamaged could read of a damaged file; it travels
// as JSON between the reading process and the importing one (payloads
// stay sealed).
type Salvaged struct {
	Requests []SalvagedRequest `json:"requests"`
	// LastSeq is the damaged file's outbox sequence (0: unreadable).
	LastSeq  uint64   `json:"last_seq"`
	Problems []string `json:"problems"`
}

// SalvagedRequest is one request read from a damaged file.
type SalvagedRequest struct {
	Record Record `json:"record"`
	Sealed []byte `json:"sealed,omitempty"`
}

// ReadDamaged reads what it can of a damaged store file, read-only.
func ReadDamaged(path string) (Salvaged, error) {
	found, lastSeq, problems, err := readDamagedSeq(path)
	out := Salvaged{LastSeq: lastSeq, Problems: problems, Requests: []SalvagedRequest{}}
	for _, r := range found {
		out.Requests = append(out.Requests, SalvagedRequest(r))
	}
	return out, err
}

// ImportSalvaged imports what ReadDamaged read (see Salvage).
func (db *DB) ImportSalvaged(s Salvaged, damaged string, now time.Time) (SalvageReport, error) {
	rep := SalvageReport{Damaged: damaged, Problems: s.Problems}
	found := make([]storedRequest, 0, len(s.Requests))
	for _, r := range s.Requests {
		if r.Record.RequestID == "" || r.Record.Code == "" || r.Record.Seq == 0 {
			rep.Problems = append(rep.Problems, fmt.Sprintf("a salvaged request without its keys (%q) was skipped", r.Record.RequestID))
			continue
		}
		found = append(found, storedRequest(r))
	}
	damagedSeq := s.LastSeq
	rep.Found = len(found)
	for _, r := range found {
		if r.Record.State != StateSent {
			rep.FoundUnsent++
		}
	}
	now = now.UTC()
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		rep.Imported, rep.Present = nil, 0
		outbox := tx.Bucket(bucketOutbox)
		// Past every sequence the damaged file gave, read or not: a
		// receipt lost on a broken page keeps its code to itself.
		maxSeq := max(outbox.Sequence(), damagedSeq)
		for _, r := range found {
			id := []byte(r.Record.RequestID)
			if tx.Bucket(bucketRequests).Get(id) != nil || tx.Bucket(bucketTombstones).Get(id) != nil {
				rep.Present++
				continue
			}
			if owner := tx.Bucket(bucketCodes).Get([]byte(r.Record.Code)); owner != nil {
				// The code belongs to another request here: never two
				// requests under one code. Reported, not imported.
				rep.Problems = append(rep.Problems, fmt.Sprintf("request %s: its code %s is already used by request %s in this store; not imported", r.Record.RequestID, r.Record.Code, owner))
				continue
			}
			rec := &r.Record
			if rec.State != StateSent {
				// Queued or quarantined: send it again (the city answers
				// duplicate if it had it; quarantine reasons are not kept).
				rec.State = StateQueued
				if err := outbox.Put(seqKey(rec.Seq), id); err != nil {
					return fmt.Errorf("kioskdb: salvage: put outbox %d: %w", rec.Seq, err)
				}
			}
			if err := putRequest(tx, r); err != nil {
				return err
			}
			if err := tx.Bucket(bucketCodes).Put([]byte(rec.Code), id); err != nil {
				return fmt.Errorf("kioskdb: salvage: put code %s: %w", rec.Code, err)
			}
			if err := appendAudit(tx, AuditEntry{Time: now, Action: AuditSalvage, RequestID: rec.RequestID, Code: rec.Code, Detail: rec.State}); err != nil {
				return err
			}
			rep.Imported = append(rep.Imported, rec.Code)
			maxSeq = max(maxSeq, rec.Seq)
		}
		if maxSeq > outbox.Sequence() {
			if err := outbox.SetSequence(maxSeq); err != nil {
				return fmt.Errorf("kioskdb: salvage: outbox sequence: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("kioskdb: salvage into %s: %w", db.path, err)
	}
	db.log.Info("Salvaged requests from a damaged store", "damaged", damaged, "found", rep.Found,
		"unsent", rep.FoundUnsent, "imported", len(rep.Imported), "present", rep.Present, "problems", len(rep.Problems))
	return rep, nil
}

// readDamaged returns the requests readable in a damaged file, in
// sequence order, and the problems met.
func readDamaged(path string) (out []storedRequest, problems []string, err error) {
	out, _, problems, err = readDamagedSeq(path)
	return out, problems, err
}

// readDamagedSeq is readDamaged that also returns the damaged file's last
// outbox sequence (0 when unreadable).
func readDamagedSeq(path string) (out []storedRequest, lastSeq uint64, problems []string, err error) {
	// bbolt reads the file through mmap: a broken page can point outside
	// it, a fault the runtime would crash on. In this goroutine it is a
	// panic instead, recovered by the guards below like the others.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	bdb, err := openDamaged(path)
	if err != nil {
		return nil, 0, nil, err
	}
	defer bdb.Close()
	byID := map[string]storedRequest{}
	note := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	keep := func(where string, k, v []byte) {
		r, err := decodeRequest(v)
		if err != nil {
			note("%s: request %q: %v", where, k, err)
			return
		}
		byID[r.Record.RequestID] = r
	}
	var outboxIDs [][]byte
	verr := bdb.View(func(tx *bolt.Tx) error {
		reqs, ok := guardedBucket(tx, bucketRequests)
		if !ok {
			note("the requests bucket cannot be read")
		} else {
			for _, p := range walk(reqs, func(k, v []byte) { keep("requests", k, v) }) {
				note("requests: %s", p)
			}
		}
		if ob, ok := guardedBucket(tx, bucketOutbox); !ok {
			note("the outbox bucket cannot be read")
		} else {
			lastSeq = ob.Sequence() // in the bucket's header, read with the bucket
			for _, p := range walk(ob, func(k, v []byte) { outboxIDs = append(outboxIDs, append([]byte(nil), v...)) }) {
				note("outbox: %s", p)
			}
		}
		// Each outbox entry by its key too: a request on a page the walk
		// could not reach may still be found through the tree's other
		// branches.
		if reqs != nil {
			for _, id := range outboxIDs {
				if _, ok := byID[string(id)]; ok {
					continue
				}
				v, perr := guardedGet(reqs, id)
				switch {
				case perr != nil:
					note("request %s (in the outbox): %v", id, perr)
				case v == nil:
					note("request %s is in the outbox but not readable", id)
				default:
					keep("requests", id, v)
				}
			}
		}
		return nil
	})
	if verr != nil {
		return nil, 0, problems, fmt.Errorf("kioskdb: salvage: read %s: %w", path, verr)
	}
	for _, r := range byID {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Record.Seq < out[j].Record.Seq })
	return out, lastSeq, problems, nil
}

// openDamaged opens a file read-only with bbolt, a panic or a refusal
// turned into an error naming the file.
func openDamaged(path string) (bdb *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, fmt.Errorf("kioskdb: salvage: bbolt cannot open %s (%v): %w", path, r, ErrCorrupt)
		}
	}()
	bdb, err = bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("kioskdb: salvage: bbolt cannot open %s: %v: %w", path, err, ErrCorrupt)
	}
	return bdb, nil
}

func guardedBucket(tx *bolt.Tx, name []byte) (b *bolt.Bucket, ok bool) {
	defer func() {
		if recover() != nil {
			b, ok = nil, false
		}
	}()
	b = tx.Bucket(name)
	return b, b != nil
}

func guardedGet(b *bolt.Bucket, k []byte) (v []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("broken page: %v", r)
		}
	}()
	if v = b.Get(k); v != nil {
		v = append([]byte(nil), v...)
	}
	return v, nil
}

// walk visits a bucket's keys forward from the first, then, if a broken
// page stopped it, backward from the last until it meets the forward walk
// or breaks too. Each step is guarded: a panic ends that direction and is
// reported. Keys and values passed to f are only valid during the call.
func walk(b *bolt.Bucket, f func(k, v []byte)) (problems []string) {
	var lastFwd []byte
	fwdDone, err := walkDir(b, true, nil, func(k, v []byte) { lastFwd = append(lastFwd[:0], k...); f(k, v) })
	if fwdDone {
		return nil
	}
	problems = append(problems, "forward walk stopped: "+err.Error())
	_, err = walkDir(b, false, lastFwd, f)
	if err != nil {
		problems = append(problems, "backward walk stopped: "+err.Error())
	}
	return problems
}

// walkDir walks one way; backward it stops at stop (exclusive). It
// reports whether it reached the end cleanly.
func walkDir(b *bolt.Bucket, forward bool, stop []byte, f func(k, v []byte)) (done bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			done, err = false, fmt.Errorf("broken page: %v", r)
		}
	}()
	c := b.Cursor()
	var k, v []byte
	if forward {
		k, v = c.First()
	} else {
		k, v = c.Last()
	}
	for n := 0; k != nil; n++ {
		if n > 1<<26 {
			return false, errors.New("too many keys: the tree loops")
		}
		if !forward && stop != nil && string(k) <= string(stop) {
			return true, nil
		}
		if v != nil { // nil: a nested bucket, not ours
			f(k, v)
		}
		if forward {
			k, v = c.Next()
		} else {
			k, v = c.Prev()
		}
	}
	return true, nil
}
