package syncer

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNewBatchID(t *testing.T) {
	at := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	uuidV7 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := newBatchID(at), newBatchID(at)
	for _, id := range []string{a, b} {
		if !uuidV7.MatchString(id) {
			t.Fatalf("%q is not a UUIDv7", id)
		}
		ms, err := strconv.ParseUint(strings.ReplaceAll(id[:13], "-", ""), 16, 64)
		if err != nil || int64(ms) != at.UnixMilli() {
			t.Fatalf("%q carries %d ms, want %d", id, ms, at.UnixMilli())
		}
	}
	if a == b {
		t.Fatalf("two batch IDs at the same time are equal: %s", a)
	}
}
