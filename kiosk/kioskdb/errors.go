package kioskdb

import (
	"errors"
	"fmt"

	"communekiosk/sync/syncproto"
)

// Sentinel errors of the store; decide with errors.Is. The returned errors
// wrap them with the path or the key concerned.
var (
	// ErrNotFound: no request, code, quarantine entry or setting by that key.
	ErrNotFound = errors.New("kioskdb: not found")
	// ErrNotEnrolled: the kiosk has no identity yet (it does not know the
	// city's public key), so it cannot accept requests. It is
	// syncproto.ErrNotEnrolled, the sync engine's test for it.
	ErrNotEnrolled = fmt.Errorf("kioskdb: %w", syncproto.ErrNotEnrolled)
	// ErrCorrupt: the database file failed its integrity check, or is not a
	// kiosk database. The message names the file and the backup to restore.
	ErrCorrupt = errors.New("kioskdb: database file is corrupt")
	// ErrDiskFull: the disk is too full to take a new request (or a
	// backup): free space is below Options.SubmitFloor, or a write failed
	// for lack of space. Acks, statuses and purges still go through.
	ErrDiskFull = errors.New("kioskdb: the disk is too full to take new requests")
	// ErrLocked: another process holds the database file open.
	ErrLocked = errors.New("kioskdb: database file is in use by another process")
)
