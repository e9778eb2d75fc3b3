// Package scanner reads a QR scanner in serial mode (USB CDC / a COM port):
// the scanner sends each code's bytes as UTF-8 and ends it with CR or LF,
// which, unlike keyboard mode, carries every Vietnamese letter. It opens
// the port by path or finds the first USB serial port, splits the stream
// into scans, drops garbage, and hands each scan to the caller. Imported
// by app.
package scanner
