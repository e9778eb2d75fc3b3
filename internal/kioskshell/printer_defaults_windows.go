package kioskshell

// On Windows the receipt printer is named by whoever installs it, so none
// is assumed.
const (
	defaultPrinterKind = "none"
	defaultPrinter     = ""
)
