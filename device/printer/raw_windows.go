package printer

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the receipt printer is named as Windows knows it (Settings >
// Printers), and the job goes to the spooler as RAW data, so the driver
// passes the ESC/POS bytes through untouched.
var (
	winspool         = windows.NewLazySystemDLL("winspool.drv")
	procOpenPrinter  = winspool.NewProc("OpenPrinterW")
	procClosePrinter = winspool.NewProc("ClosePrinter")
	procStartDoc     = winspool.NewProc("StartDocPrinterW")
	procEndDoc       = winspool.NewProc("EndDocPrinter")
	procStartPage    = winspool.NewProc("StartPagePrinter")
	procEndPage      = winspool.NewProc("EndPagePrinter")
	procWrite        = winspool.NewProc("WritePrinter")
)

type docInfo1 struct {
	docName    *uint16
	outputFile *uint16
	datatype   *uint16
}

func openPrinter(name string) (windows.Handle, error) {
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	var h windows.Handle
	if r, _, e := procOpenPrinter.Call(uintptr(unsafe.Pointer(n)), uintptr(unsafe.Pointer(&h)), 0); r == 0 {
		return 0, fmt.Errorf("OpenPrinter %q: %w", name, e)
	}
	return h, nil
}

func sendRaw(name, doc string, job []byte) error {
	h, err := openPrinter(name)
	if err != nil {
		return &Problem{State: StateOffline, Code: ProblemNoSuchPrinter, Target: name, err: err}
	}
	defer procClosePrinter.Call(uintptr(h))
	dn, _ := windows.UTF16PtrFromString(doc)
	raw, _ := windows.UTF16PtrFromString("RAW")
	di := docInfo1{docName: dn, datatype: raw}
	if r, _, e := procStartDoc.Call(uintptr(h), 1, uintptr(unsafe.Pointer(&di))); r == 0 {
		return problemOf(name, fmt.Errorf("StartDocPrinter: %w", e))
	}
	defer procEndDoc.Call(uintptr(h))
	if r, _, e := procStartPage.Call(uintptr(h)); r == 0 {
		return problemOf(name, fmt.Errorf("StartPagePrinter: %w", e))
	}
	var written uint32
	r, _, e := procWrite.Call(uintptr(h), uintptr(unsafe.Pointer(&job[0])), uintptr(len(job)), uintptr(unsafe.Pointer(&written)))
	procEndPage.Call(uintptr(h))
	if r == 0 {
		return problemOf(name, fmt.Errorf("WritePrinter: %w", e))
	}
	if int(written) != len(job) {
		return problemOf(name, fmt.Errorf("WritePrinter wrote %d of %d bytes", written, len(job)))
	}
	return nil
}

// probeRaw: the printer exists in Windows; the spooler does not tell
// paper state without the vendor's driver.
func probeRaw(name string) string {
	h, err := openPrinter(name)
	if err != nil {
		return StateOffline
	}
	procClosePrinter.Call(uintptr(h))
	return StateUnknown
}
