package syncer

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"
)

// newBatchID names a push batch for the city's logs: a UUIDv7 (RFC 9562)
// made from the kiosk's clock at t and 74 random bits.
func newBatchID(t time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixMilli())<<16)
	rand.Read(b[6:])
	b[6] = 0x70 | b[6]&0x0f // version 7
	b[8] = 0x80 | b[8]&0x3f // variant 10
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
