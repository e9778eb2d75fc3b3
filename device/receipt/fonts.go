package receipt

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

// DejaVu Sans from Debian's fonts-dejavu-core 2.37; licence in fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
)

var (
	fontsOnce sync.Once
	regular   *opentype.Font
	bold      *opentype.Font
	fontsErr  error
)

func parseFonts() error {
	fontsOnce.Do(func() {
		if regular, fontsErr = opentype.Parse(regularTTF); fontsErr != nil {
			return
		}
		bold, fontsErr = opentype.Parse(boldTTF)
	})
	if fontsErr != nil {
		return fmt.Errorf("receipt: font: %w", fontsErr)
	}
	return nil
}

// face makes a face of f at px pixels (the printer's 203 dpi dots).
func face(f *opentype.Font, px float64) (font.Face, error) {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("receipt: face: %w", err)
	}
	return fc, nil
}
