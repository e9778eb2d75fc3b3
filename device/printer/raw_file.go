//go:build !windows

package printer

import "os"

// sendRaw writes the job to the printer's device file (/dev/usb/lp0), or
// to any file or pty standing in for it.
func sendRaw(dev, _ string, job []byte) error {
	f, err := os.OpenFile(dev, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return problemOf(dev, err)
	}
	if st := status(f); st == StateNoPaper || st == StateOffline {
		f.Close()
		return problemOf(dev, errState(st))
	}
	_, werr := f.Write(job)
	cerr := f.Close()
	if werr != nil {
		return problemOf(dev, werr)
	}
	if cerr != nil {
		return problemOf(dev, cerr)
	}
	return nil
}

// probeRaw opens the device to ask its state.
func probeRaw(dev string) string {
	f, err := os.OpenFile(dev, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return problemOf(dev, err).State
	}
	defer f.Close()
	return status(f)
}
