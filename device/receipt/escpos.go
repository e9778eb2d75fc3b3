package receipt

import (
	"bytes"
	"fmt"
	"image"
)

// ESC/POS commands used (Epson's command set, which 80 mm printers share).
var (
	escInit = []byte{0x1b, '@'}         // ESC @: initialise
	escFeed = []byte{0x1b, 'd', 4}      // ESC d 4: feed four lines
	gsCut   = []byte{0x1d, 'V', 66, 0}  // GS V 66 0: feed to the cutter, partial cut
	gsV0    = []byte{0x1d, 'v', '0', 0} // GS v 0 m=0: print raster image, normal size
)

// bandRows is how many rows one GS v 0 command carries: printers' input
// buffers are small, so a long receipt goes in bands.
const bandRows = 256

// ESCPOS encodes a 1-bit image (palette index 1 = a dot) as an ESC/POS job:
// initialise, the raster in bands of GS v 0, feed, cut.
func ESCPOS(img *image.Paletted) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 || w > 0xffff*8 {
		return nil, fmt.Errorf("receipt: escpos: bad image size %dx%d", w, h)
	}
	rowBytes := (w + 7) / 8
	var out bytes.Buffer
	out.Write(escInit)
	for y0 := 0; y0 < h; y0 += bandRows {
		rows := min(bandRows, h-y0)
		out.Write(gsV0)
		out.Write([]byte{byte(rowBytes), byte(rowBytes >> 8), byte(rows), byte(rows >> 8)})
		for y := y0; y < y0+rows; y++ {
			line := make([]byte, rowBytes)
			for x := 0; x < w; x++ {
				if img.ColorIndexAt(b.Min.X+x, b.Min.Y+y) == 1 {
					line[x/8] |= 0x80 >> (x % 8)
				}
			}
			out.Write(line)
		}
	}
	out.Write(escFeed)
	out.Write(gsCut)
	return out.Bytes(), nil
}
