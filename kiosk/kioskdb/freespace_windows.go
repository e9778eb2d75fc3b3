//go:build windows

package kioskdb

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows"
)

// FreeSpace reports the bytes available to the calling user on the disk
// that holds dir (GetDiskFreeSpaceEx, which honours quotas).
func FreeSpace(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, fmt.Errorf("kioskdb: free space of %s: %w", dir, err)
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, fmt.Errorf("kioskdb: free space of %s: %w", dir, err)
	}
	return avail, nil
}

// DiskSize reports the size of the disk that holds dir, as the calling
// user sees it (GetDiskFreeSpaceEx's total), so the city can judge free
// space as a share.
func DiskSize(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, fmt.Errorf("kioskdb: disk size of %s: %w", dir, err)
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, fmt.Errorf("kioskdb: disk size of %s: %w", dir, err)
	}
	return total, nil
}

// isNoSpace reports a write that failed because the disk is full.
func isNoSpace(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL)
}
