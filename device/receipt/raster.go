package receipt

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// Width is the printable width of an 80 mm receipt printer at 203 dpi.
const Width = 576

const margin = 8

// Render draws the receipt as a 1-bit image Width dots wide: black is
// palette index 1. The same text always gives the same pixels.
func Render(r Receipt) (*image.Paletted, error) {
	if err := parseFonts(); err != nil {
		return nil, err
	}
	c := &canvas{img: image.NewGray(image.Rect(0, 0, Width, 4000)), y: margin}
	draw.Draw(c.img, c.img.Bounds(), image.White, image.Point{}, draw.Src)
	var err error
	text := func(px float64, b bool, align int, s string) {
		if err == nil {
			err = c.text(px, b, align, s)
		}
	}
	if r.Test {
		text(34, true, center, Words.TestTitle)
		text(24, false, center, Words.TestSubtitle)
		c.gap(12)
	}
	text(28, true, center, r.Commune)
	text(22, false, center, Words.Title)
	c.rule()
	text(22, false, center, Words.CodeLabel)
	text(56, true, center, GroupCode(r.Code))
	if err == nil {
		err = c.qr(r.Code)
	}
	text(20, false, center, Words.KeepCodeVI)
	text(18, false, center, Words.KeepCodeEN)
	c.rule()
	row := func(label, value string) {
		text(19, false, left, label)
		text(24, true, left, value)
		c.gap(6)
	}
	row(Words.Service, r.Service)
	row(Words.Copies, strconv.Itoa(r.Copies))
	row(Words.Fee, r.Fee)
	row(Words.Delivery, r.Delivery)
	row(Words.Expected, r.Expected)
	row(Words.Created, r.Created)
	c.rule()
	text(19, false, left, Words.NoticeVI+r.NoticeVersion+Words.NoticeMid+r.NoticeVersion)
	if len(r.Purposes) > 0 {
		text(19, false, left, Words.Purposes)
		for _, p := range r.Purposes {
			text(19, false, left, "• "+p)
		}
	}
	c.gap(6)
	if r.Sent {
		text(19, false, left, Words.Sent)
	} else {
		text(19, false, left, Words.Saved)
	}
	if err != nil {
		return nil, err
	}
	c.gap(margin)
	return threshold(c.img, c.y), nil
}

const (
	left = iota
	center
)

type canvas struct {
	img *image.Gray
	y   int
}

func (c *canvas) gap(n int) { c.y += n }

func (c *canvas) rule() {
	c.gap(10)
	for y := c.y; y < c.y+3; y++ {
		for x := margin; x < Width-margin; x++ {
			c.img.SetGray(x, y, color.Gray{})
		}
	}
	c.gap(13)
}

// text draws s wrapped to the width, NFC-normalised so Vietnamese letters
// are the font's precomposed glyphs.
func (c *canvas) text(px float64, isBold bool, align int, s string) error {
	f := regular
	if isBold {
		f = bold
	}
	fc, err := face(f, px)
	if err != nil {
		return err
	}
	defer fc.Close()
	d := &font.Drawer{Dst: c.img, Src: image.Black, Face: fc}
	m := fc.Metrics()
	lineH := (m.Ascent + m.Descent).Ceil() + 2
	for _, line := range wrap(d, norm.NFC.String(s), Width-2*margin) {
		if c.y+lineH > c.img.Bounds().Dy() {
			return fmt.Errorf("receipt: too long to print")
		}
		x := margin
		if align == center {
			x = (Width - d.MeasureString(line).Ceil()) / 2
		}
		d.Dot = fixed.P(x, c.y+m.Ascent.Ceil())
		d.DrawString(line)
		c.y += lineH
	}
	return nil
}

// wrap breaks s into lines no wider than w; a word wider than w is broken
// between letters.
func wrap(d *font.Drawer, s string, w int) []string {
	var lines []string
	cur := ""
	fits := func(t string) bool { return d.MeasureString(t).Ceil() <= w }
	for _, word := range strings.Fields(s) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if fits(try) {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
			cur = ""
		}
		for !fits(word) {
			i := 1
			rs := []rune(word)
			for i < len(rs) && fits(string(rs[:i+1])) {
				i++
			}
			lines = append(lines, string(rs[:i]))
			word = string(rs[i:])
		}
		cur = word
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// qr draws the code's QR (error correction M, as the screen's) centred,
// each module a square of whole dots.
func (c *canvas) qr(code string) error {
	q, err := qrcode.New(code, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("receipt: qr: %w", err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	n := len(bm)
	module := 240 / n
	size := module * n
	x0 := (Width - size) / 2
	quiet := 4 * module // the quiet zone a scanner needs around the code
	c.gap(quiet)
	for my, row := range bm {
		for mx, black := range row {
			if !black {
				continue
			}
			for y := 0; y < module; y++ {
				for x := 0; x < module; x++ {
					c.img.SetGray(x0+mx*module+x, c.y+my*module+y, color.Gray{})
				}
			}
		}
	}
	c.y += size + quiet
	return nil
}

// Palette of the raster: index 0 white (paper), 1 black (a dot).
var Palette = color.Palette{color.White, color.Black}

func threshold(g *image.Gray, h int) *image.Paletted {
	out := image.NewPaletted(image.Rect(0, 0, Width, h), Palette)
	for y := 0; y < h; y++ {
		for x := 0; x < Width; x++ {
			if g.GrayAt(x, y).Y < 128 {
				out.SetColorIndex(x, y, 1)
			}
		}
	}
	return out
}
