package kioskdb

import "encoding/binary"

// Bucket names. The layout is described in docs/store.md.
var (
	bucketRequests   = []byte("requests")   // request_id → stored request (index Record + sealed payload)
	bucketCodes      = []byte("codes")      // canonical receipt code → request_id
	bucketOutbox     = []byte("outbox")     // big-endian seq → request_id; Sequence() is the last seq given
	bucketStatuses   = []byte("statuses")   // request_id → storedStatus JSON
	bucketQuarantine = []byte("quarantine") // request_id → QuarantineItem JSON
	bucketMeta       = []byte("meta")       // identity, cursor, schema version, settings
	bucketAudit      = []byte("audit")      // big-endian NextSequence → AuditEntry JSON
	bucketTombstones = []byte("tombstones") // request_id → Tombstone JSON
)

// allBuckets are the buckets of the current schema, created at open.
var allBuckets = [][]byte{
	bucketRequests, bucketCodes, bucketOutbox, bucketStatuses,
	bucketQuarantine, bucketMeta, bucketAudit, bucketTombstones,
}

// Keys of the meta bucket. Settings are stored under settingPrefix+key.
var (
	metaSchemaVersion = []byte("schema_version")
	metaIdentity      = []byte("identity")
	metaCursor        = []byte("cursor")
)

const settingPrefix = "setting/"

// appendFill is the fill percent of buckets whose keys only grow (UUIDv7
// request IDs, sequences): pages are filled before they split instead of
// being left half empty.
const appendFill = 0.95

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

func seqFromKey(k []byte) uint64 {
	if len(k) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}
