package receipt

import (
	"bytes"
	"fmt"
	"image"
	"testing"
)

// A tiny image, encoded by hand: the exact bytes a printer receives.
func TestESCPOSBytes(t *testing.T) {
	img := image.NewPaletted(image.Rect(0, 0, 10, 2), Palette)
	img.SetColorIndex(0, 0, 1) // row 0: dot at x=0 and x=9
	img.SetColorIndex(9, 0, 1)
	img.SetColorIndex(7, 1, 1) // row 1: dot at x=7
	got, err := ESCPOS(img)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x1b, '@', // init
		0x1d, 'v', '0', 0, 2, 0, 2, 0, // GS v 0, 2 bytes a row, 2 rows
		0x80, 0x40, // row 0
		0x01, 0x00, // row 1
		0x1b, 'd', 4, // feed
		0x1d, 'V', 66, 0, // cut
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
}

// decodeESCPOS reads back a job made by ESCPOS into an image, so a test can
// compare what a printer would print with the raster.
func decodeESCPOS(job []byte) (*image.Paletted, error) {
	if !bytes.HasPrefix(job, escInit) {
		return nil, fmt.Errorf("no ESC @ at the start")
	}
	p := job[len(escInit):]
	var rows [][]byte
	width := 0
	for bytes.HasPrefix(p, gsV0) {
		p = p[len(gsV0):]
		if len(p) < 4 {
			return nil, fmt.Errorf("short GS v 0 header")
		}
		xb, n := int(p[0])|int(p[1])<<8, int(p[2])|int(p[3])<<8
		p = p[4:]
		if len(p) < xb*n {
			return nil, fmt.Errorf("band of %d rows is cut short", n)
		}
		width = xb * 8
		for i := range n {
			rows = append(rows, p[i*xb:(i+1)*xb])
		}
		p = p[xb*n:]
	}
	if !bytes.Equal(p, append(append([]byte{}, escFeed...), gsCut...)) {
		return nil, fmt.Errorf("job does not end with feed and cut: % x", p)
	}
	img := image.NewPaletted(image.Rect(0, 0, width, len(rows)), Palette)
	for y, r := range rows {
		for x := range width {
			if r[x/8]&(0x80>>(x%8)) != 0 {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	return img, nil
}

func TestESCPOSReceipt(t *testing.T) {
	img, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	job, err := ESCPOS(img)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "receipt.escpos", job)
	back, err := decodeESCPOS(job)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Bounds().Eq(img.Bounds()) || !bytes.Equal(back.Pix, img.Pix) {
		t.Fatalf("the job prints %v, not the %v raster", back.Bounds(), img.Bounds())
	}
	// Bands: no GS v 0 carries more than bandRows rows.
	if n := bytes.Count(job, gsV0); n != (img.Bounds().Dy()+bandRows-1)/bandRows {
		t.Errorf("%d raster bands for %d rows", n, img.Bounds().Dy())
	}
}

func TestESCPOSRejectsEmpty(t *testing.T) {
	if _, err := ESCPOS(image.NewPaletted(image.Rect(0, 0, 0, 0), Palette)); err == nil {
		t.Fatal("an empty image encoded without an error")
	}
}
