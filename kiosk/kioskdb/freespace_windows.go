//go:build windows

package kioskdb

import (
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
