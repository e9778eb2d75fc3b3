// Package receipt renders a kiosk receipt without a print dialog: an 80 mm
// (576-dot) 1-bit raster drawn in Go with an embedded Vietnamese-capable
// font (DejaVu Sans, fonts/LICENSE), its QR code, and the two forms a
// printer takes: an ESC/POS raster stream for a receipt printer and an A4
// PDF for an office printer. It knows nothing of the kiosk's store or UI;
// imported by app.
package receipt
