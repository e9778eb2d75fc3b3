// Package printer sends finished print jobs to the kiosk's printer without
// a dialog and keeps its state for the staff screen (ready, no paper,
// offline, the last error, in plain words): an ESC/POS receipt printer as a
// device file (/dev/usb/lp0 on Linux) or by its name (Windows, a raw job to
// the spooler), or PDF files for an office printer (a CUPS queue through
// lp, or a folder). Imported by app.
package printer
