package receipt

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

func TestPDF(t *testing.T) {
	img, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := PDF(img)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("not a PDF file")
	}
	// Every offset of the cross-reference table points at its object.
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	offs := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
	if len(offs) != 5 {
		t.Fatalf("%d objects in the xref table, want 5", len(offs))
	}
	for i, o := range offs {
		at, _ := strconv.Atoi(string(o[1]))
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(pdf[at:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, pdf[at:at+10])
		}
	}
	if !bytes.Contains(pdf, []byte(fmt.Sprintf("/Width %d /Height %d", Width, img.Bounds().Dy()))) {
		t.Error("the page does not carry the whole raster")
	}
	// Where poppler is installed, the file must open and render.
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		dir := t.TempDir()
		in := filepath.Join(dir, "r.pdf")
		os.WriteFile(in, pdf, 0o644)
		if out, err := exec.Command("pdftoppm", "-r", "30", "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
	}
}
