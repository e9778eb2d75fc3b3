package kioskdb

import (
	"errors"
	"fmt"
	"path/filepath"
)

// Disk is the state of the disk that holds the store.
type Disk struct {
	// Free is the space available, in bytes (0 when Known is false).
	Free uint64
	// Floor is Options.SubmitFloor.
	Floor uint64
	// Known is false when the free space could not be read; the kiosk then
	// takes requests (an unknown disk is not a full one) and a write that
	// fails for lack of space still answers ErrDiskFull.
	Known bool
}

// Low reports whether new requests must be refused.
func (d Disk) Low() bool { return d.Known && d.Free < d.Floor }

// Disk reads the free space of the store's folder.
func (db *DB) Disk() Disk {
	d := Disk{Floor: db.opts.SubmitFloor}
	free, err := db.opts.FreeSpace(filepath.Dir(db.path))
	if err != nil {
		db.log.Warn("Free disk space unknown", "err", err)
		return d
	}
	d.Free, d.Known = free, true
	return d
}

// checkRoom fails with ErrDiskFull when the free space is below the floor
// plus need bytes.
func (db *DB) checkRoom(what string, need uint64) error {
	d := db.Disk()
	if d.Known && d.Free < d.Floor+need {
		db.log.Error("Disk too full", "what", what, "free_bytes", d.Free, "floor_bytes", d.Floor, "need_bytes", need)
		return fmt.Errorf("kioskdb: %s: %d bytes free, %d kept for acks and purges: %w", what, d.Free, d.Floor+need, ErrDiskFull)
	}
	return nil
}

// diskFullError marks a write that failed for lack of space.
func diskFullError(err error) error {
	if err != nil && !errors.Is(err, ErrDiskFull) && isNoSpace(err) {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}
