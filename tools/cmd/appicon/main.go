// Command appicon draws the Commune Kiosk mark — a white receipt slip with
// a tick on a rounded blue square — and writes build/appicon.png and the
// Windows icon build/windows/icon.ico from it. Run from the repository
// root: go run -C tools ./cmd/appicon -root ..
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"github.com/tc-hib/winres"
)

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "appicon:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	img := draw(1024)
	if err := writePNG(filepath.Join(root, "build", "appicon.png"), img); err != nil {
		return err
	}
	ico, err := winres.NewIconFromResizedImage(img, []int{256, 128, 64, 48, 32, 16})
	if err != nil {
		return fmt.Errorf("icon: %w", err)
	}
	f, err := os.Create(filepath.Join(root, "build", "windows", "icon.ico"))
	if err != nil {
		return err
	}
	if err := ico.SaveICO(f); err != nil {
		f.Close()
		return fmt.Errorf("icon.ico: %w", err)
	}
	return f.Close()
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

var (
	blue  = color.NRGBA{0x0a, 0x4a, 0x80, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	line  = color.NRGBA{0x9c, 0xb3, 0xc9, 0xff}
)

// draw renders the mark at size×size, 4×4 samples a pixel.
func draw(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					c, ok := sample(x, y)
					if !ok {
						continue
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(r / a), G: uint8(g / a), B: uint8(b / a),
				A: uint8(255 * a / (ss * ss)),
			})
		}
	}
	return img
}

// sample says the colour at (x, y) in the unit square, and false outside
// the mark.
func sample(x, y float64) (color.NRGBA, bool) {
	if !inRoundRect(x, y, 0.06, 0.06, 0.94, 0.94, 0.19) {
		return color.NRGBA{}, false
	}
	if !inSlip(x, y) {
		return blue, true
	}
	if nearSegment(x, y, 0.37, 0.555, 0.46, 0.645, 0.035) || nearSegment(x, y, 0.46, 0.645, 0.64, 0.43, 0.035) {
		return blue, true
	}
	if nearSegment(x, y, 0.37, 0.29, 0.63, 0.29, 0.016) || nearSegment(x, y, 0.37, 0.355, 0.55, 0.355, 0.016) {
		return line, true
	}
	return white, true
}

func inRoundRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return math.Hypot(x-cx, y-cy) <= r
}

// inSlip is the receipt: a rectangle whose bottom edge is torn in teeth.
func inSlip(x, y float64) bool {
	const x0, x1, top, bottom, teeth, depth = 0.28, 0.72, 0.17, 0.83, 5, 0.045
	if x < x0 || x > x1 || y < top {
		return false
	}
	period := (x1 - x0) / teeth
	t := math.Mod(x-x0, period) / period // 0..1 across one tooth
	tri := 1 - math.Abs(2*t-1)           // 0 at the edges, 1 mid-tooth
	return y <= bottom-depth+depth*tri
}

func nearSegment(x, y, ax, ay, bx, by, half float64) bool {
	dx, dy := bx-ax, by-ay
	t := ((x-ax)*dx + (y-ay)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(x-(ax+t*dx), y-(ay+t*dy)) <= half
}
