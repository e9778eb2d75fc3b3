package receipt

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a receipt with Vietnamese in every field, one of them written
// decomposed (NFD) as some keyboards send it.
func sample() Receipt {
	return Receipt{
		Commune:       "Phường Ba Đình",
		Code:          "K7M4QXR9P",
		Service:       "Cấp bản sao trích lục khai sinh",
		Copies:        2,
		Fee:           "16.000 đồng",
		Delivery:      "Nhận tại UBND xã/phường / Pick up at the commune",
		Expected:      "Thứ Năm, 03/12/2026",
		Created:       "01/12/2026 09:30",
		NoticeVersion: "2025-07",
		Purposes:      []string{"Giải quyết hồ sơ / Processing the request", "Gửi tin nhắn báo kết quả / Text message when ready"},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to make it)", err)
	}
	if !bytes.Equal(got, want) {
		os.WriteFile(filepath.Join(t.TempDir(), name), got, 0o644)
		t.Fatalf("%s differs from the golden file (%d bytes, want %d); look at the new one, then go test -update", name, len(got), len(want))
	}
}

func TestRenderGolden(t *testing.T) {
	img, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != Width {
		t.Fatalf("width %d, want %d", img.Bounds().Dx(), Width)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	golden(t, "receipt.png", buf.Bytes())
}

// The raster is made of ink: a receipt with no text would still be the
// right width, so count the dots too.
func TestRenderHasInk(t *testing.T) {
	img, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	dots := 0
	for _, p := range img.Pix {
		dots += int(p)
	}
	if frac := float64(dots) / float64(len(img.Pix)); frac < 0.03 || frac > 0.5 {
		t.Fatalf("%.1f%% of the dots are black", 100*frac)
	}
}

// NFC: the same words typed precomposed or decomposed print the same.
func TestRenderNormalisesText(t *testing.T) {
	a := sample()
	b := sample()
	b.Commune = "Phu\u031bo\u031b\u0300ng Ba \u0110i\u0300nh" // Phường Ba Đình, decomposed
	if a.Commune == b.Commune {
		t.Fatal("the test strings are equal")
	}
	ia, err := Render(a)
	if err != nil {
		t.Fatal(err)
	}
	ib, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ia.Pix, ib.Pix) {
		t.Fatal("decomposed Vietnamese prints differently from precomposed")
	}
}

// The font has every Vietnamese letter: none is drawn as the missing-glyph box.
func TestFontCoversVietnamese(t *testing.T) {
	if err := parseFonts(); err != nil {
		t.Fatal(err)
	}
	fc, err := face(regular, 20)
	if err != nil {
		t.Fatal(err)
	}
	letters := "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
	for _, r := range letters + strings.ToUpper(letters) {
		if _, ok := fc.GlyphAdvance(r); !ok {
			t.Errorf("no glyph for %q", r)
		}
	}
}

func TestWrap(t *testing.T) {
	if err := parseFonts(); err != nil {
		t.Fatal(err)
	}
	fc, _ := face(regular, 20)
	d := &font.Drawer{Face: fc}
	tests := []struct {
		name, in string
		width    int
	}{
		{"short", "Phí", 500},
		{"words", "Đã lưu trên máy này; sẽ tự động gửi lên thành phố.", 200},
		{"one long word", strings.Repeat("đ", 80), 200},
		{"empty", "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := wrap(d, tt.in, tt.width)
			if strings.ReplaceAll(strings.Join(lines, ""), " ", "") != strings.ReplaceAll(tt.in, " ", "") {
				t.Fatalf("wrap lost text: %q", lines)
			}
			for _, l := range lines {
				if d.MeasureString(l).Ceil() > tt.width {
					t.Errorf("line %q is wider than %d", l, tt.width)
				}
			}
		})
	}
}

func TestGroupCode(t *testing.T) {
	for in, want := range map[string]string{"K7M4QXR9P": "K7M-4QX-R9P", "K7M4": "K7M-4", "": ""} {
		if got := GroupCode(in); got != want {
			t.Errorf("GroupCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderTooLong(t *testing.T) {
	r := sample()
	for range 400 {
		r.Purposes = append(r.Purposes, "Một mục đích rất dài để thử giới hạn của phiếu")
	}
	if _, err := Render(r); err == nil {
		t.Fatal("a receipt longer than the canvas rendered without an error")
	}
}
