package receipt

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
)

// PDF writes the receipt's raster on an A4 page, 80 mm wide at the top
// centre (scaled down only if it would not fit), for an ordinary office
// printer. The page is the raster itself, so paper and screen say the same
// thing in the same letters. A PDF of one image needs no library: the
// file is a page, an image object and a content stream that draws it.
func PDF(img *image.Paletted) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("receipt: pdf: empty image")
	}
	// 1-bit rows, 1 = a dot; /Decode [1 0] makes a 1 black.
	rowBytes := (w + 7) / 8
	raw := make([]byte, 0, rowBytes*h)
	for y := 0; y < h; y++ {
		line := make([]byte, rowBytes)
		for x := 0; x < w; x++ {
			if img.ColorIndexAt(b.Min.X+x, b.Min.Y+y) == 1 {
				line[x/8] |= 0x80 >> (x % 8)
			}
		}
		raw = append(raw, line...)
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("receipt: pdf: %w", err)
	}

	const pageW, pageH = 595.28, 841.89 // A4 in points
	const mm = 72 / 25.4
	dw := 80 * mm
	dh := dw * float64(h) / float64(w)
	if max := pageH - 2*15*mm; dh > max {
		dw, dh = dw*max/dh, max
	}
	x := (pageW - dw) / 2
	y := pageH - 15*mm - dh
	content := fmt.Sprintf("q %.2f 0 0 %.2f %.2f %.2f cm /R Do Q\n", dw, dh, x, y)

	var out bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte) {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s", len(offsets), body)
		if stream != nil {
			out.WriteString("\nstream\n")
			out.Write(stream)
			out.WriteString("\nendstream")
		}
		out.WriteString("\nendobj\n")
	}
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /R 4 0 R >> >> /Contents 5 0 R >>", pageW, pageH), nil)
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Filter /FlateDecode /Length %d >>", w, h, z.Len()), z.Bytes())
	obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return out.Bytes(), nil
}
