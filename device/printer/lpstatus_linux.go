package printer

import (
	"os"

	"golang.org/x/sys/unix"
)

// The usblp driver's status ioctl and bits (linux/lp.h).
const (
	lpGetStatus = 0x060b
	lpPOutPaper = 0x20 // paper out
	lpPSelected = 0x10 // online
	lpPNoError  = 0x08 // no error
)

// status asks a usblp device for paper and online; a file or pty cannot
// answer, so its state is unknown.
func status(f *os.File) string {
	v, err := unix.IoctlGetInt(int(f.Fd()), lpGetStatus)
	if err != nil {
		return StateUnknown
	}
	switch {
	case v&lpPOutPaper != 0:
		return StateNoPaper
	case v&lpPSelected == 0:
		return StateOffline
	case v&lpPNoError == 0:
		return StateError
	}
	return StateReady
}
