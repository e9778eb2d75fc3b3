package kioskdb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the version of the layout this code reads and writes.
//
//	1  requests held the index Record and the sealed payload as one JSON
//	   document (the payload in base64); no codes index, no tombstones.
//	2  requests hold a framed value (record.go); codes and tombstones buckets.
const SchemaVersion = 2

// A migration moves a store from version from to from+1 inside one
// transaction. Migrations never drop queued data: a record they cannot read
// fails the migration, the transaction rolls back and Open reports it.
type migration struct {
	from  int
	about string
	apply func(tx *bolt.Tx) error
}

var migrations = []migration{
	{from: 1, about: "frame request values, index receipt codes, add tombstones", apply: migrateV1toV2},
}

// migrate creates the buckets of a new store or brings an older one up to
// SchemaVersion, taking a backup before touching existing data.
func (db *DB) migrate() error {
	version, fresh, err := db.schemaVersion()
	if err != nil {
		return err
	}
	if version > SchemaVersion {
		return fmt.Errorf("kioskdb: %s has schema version %d, newer than this program's %d: run the newer kiosk program, or restore a backup made by this version",
			db.path, version, SchemaVersion)
	}
	if !fresh && version == SchemaVersion && db.hasAllBuckets() {
		return nil // up to date: open without a write
	}
	if !fresh && version < SchemaVersion {
		p, err := db.Backup(context.Background(), "")
		if err != nil {
			return fmt.Errorf("kioskdb: backup before migrating %s: %w", db.path, err)
		}
		db.log.Info("Backed up before migrating", "path", p, "from", version, "to", SchemaVersion)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if fresh {
			version = SchemaVersion
		}
		for _, m := range migrations {
			if m.from < version {
				continue
			}
			if err := m.apply(tx); err != nil {
				return fmt.Errorf("kioskdb: migrate %s from schema %d (%s): %w", db.path, m.from, m.about, err)
			}
			version = m.from + 1
			if err := appendAudit(tx, AuditEntry{Time: db.opts.Now(), Action: AuditMigrate,
				Detail: fmt.Sprintf("%d→%d", m.from, version)}); err != nil {
				return err
			}
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("kioskdb: create bucket %s: %w", name, err)
			}
		}
		return tx.Bucket(bucketMeta).Put(metaSchemaVersion, []byte(strconv.Itoa(version)))
	})
}

func (db *DB) hasAllBuckets() bool {
	ok := true
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			ok = ok && tx.Bucket(name) != nil
		}
		return nil
	})
	return ok
}

// schemaVersion reads the stored version; fresh is true for an empty file.
func (db *DB) schemaVersion() (version int, fresh bool, err error) {
	err = db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("kioskdb: %s is a bbolt file without a meta bucket: not a kiosk store", db.path)
			}
			fresh = true
			return nil
		}
		v := meta.Get(metaSchemaVersion)
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 {
			return fmt.Errorf("kioskdb: %s: bad schema version %q", db.path, v)
		}
		version = n
		return nil
	})
	return version, fresh, err
}

// v1Request is the requests value of schema 1.
type v1Request struct {
	Record
	Sealed []byte `json:"sealed,omitempty"`
}

func migrateV1toV2(tx *bolt.Tx) error {
	reqs := tx.Bucket(bucketRequests)
	if reqs == nil {
		return fmt.Errorf("no requests bucket")
	}
	codes, err := tx.CreateBucketIfNotExists(bucketCodes)
	if err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketTombstones); err != nil {
		return err
	}
	type kv struct{ k, v []byte }
	var all []kv
	err = reqs.ForEach(func(k, v []byte) error {
		var old v1Request
		dec := json.NewDecoder(bytes.NewReader(v))
		if err := dec.Decode(&old); err != nil {
			return fmt.Errorf("request %s: %w", k, err)
		}
		if old.RequestID != string(k) || old.Code == "" || old.Seq == 0 {
			return fmt.Errorf("request %s: record without request_id, code or seq", k)
		}
		nv, err := encodeRequest(storedRequest{Record: old.Record, Sealed: old.Sealed})
		if err != nil {
			return err
		}
		all = append(all, kv{append([]byte(nil), k...), nv})
		return nil
	})
	if err != nil {
		return err
	}
	reqs.FillPercent = appendFill
	for _, e := range all {
		if err := reqs.Put(e.k, e.v); err != nil {
			return err
		}
		r, _ := decodeRequest(e.v)
		if err := codes.Put([]byte(r.Record.Code), e.k); err != nil {
			return err
		}
	}
	return nil
}
