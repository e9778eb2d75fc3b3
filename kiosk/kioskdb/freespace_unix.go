//go:build unix

package kioskdb

import (
	"errors"
	"fmt"
	"syscall"
)

// FreeSpace reports the bytes available to an unprivileged user on the
// disk that holds dir (statfs's available blocks, not the free ones: the
// root reserve is not the kiosk's).
func FreeSpace(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("kioskdb: free space of %s: %w", dir, err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

// DiskSize reports the size of the disk that holds dir, as the kiosk's
// share of it (statfs's blocks), so the city can judge free space as a share.
func DiskSize(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("kioskdb: disk size of %s: %w", dir, err)
	}
	return uint64(st.Blocks) * uint64(st.Bsize), nil
}

// isNoSpace reports a write that failed because the disk is full (or the
// user's quota is).
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
