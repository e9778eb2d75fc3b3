//go:build !windows

package kioskshell

// On Linux the usblp driver makes the first USB printer /dev/usb/lp0.
const (
	defaultPrinterKind = "escpos"
	defaultPrinter     = "/dev/usb/lp0"
)
