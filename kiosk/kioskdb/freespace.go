package kioskdb

// FreeSpaceFunc reports the bytes available to the kiosk on the disk that
// holds dir. FreeSpace is the real one; tests inject their own.
type FreeSpaceFunc func(dir string) (uint64, error)

var (
	_ FreeSpaceFunc = FreeSpace
	_ FreeSpaceFunc = DiskSize
)
