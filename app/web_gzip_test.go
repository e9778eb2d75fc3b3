package app

import (
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestUIAssetsCompressed(t *testing.T) {
	js := strings.Repeat("console.log('kiosk');\n", 200)
	ui := fstest.MapFS{
		"index.html":       {Data: []byte("<html>" + strings.Repeat("kiosk ", 100) + "</html>")},
		"assets/index.js":  {Data: []byte(js)},
		"assets/photo.png": {Data: []byte("\x89PNG not really")},
	}
	n, _ := newTestNode(t, false)
	h := n.Handler(ui)
	get := func(path, ae string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	tests := []struct {
		name, path, ae string
		gzip           bool
		want           string
	}{
		{"script, gzip accepted", "/assets/index.js", "gzip, deflate, br", true, js},
		{"page, gzip accepted", "/", "gzip", true, "<html>"},
		{"script, gzip not accepted", "/assets/index.js", "", false, js},
		{"script, gzip refused with q=0", "/assets/index.js", "gzip;q=0", false, js},
		{"image: not compressed", "/assets/photo.png", "gzip", false, "\x89PNG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(tt.path, tt.ae)
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			body := w.Body.String()
			if got := w.Header().Get("Content-Encoding") == "gzip"; got != tt.gzip {
				t.Fatalf("gzip = %v, want %v", got, tt.gzip)
			}
			if tt.gzip {
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				if len(body) >= len(b) {
					t.Errorf("compressed %d bytes into %d", len(b), len(body))
				}
				body = string(b)
			}
			if !strings.HasPrefix(body, tt.want[:min(len(tt.want), 6)]) || (tt.want == js && body != js) {
				t.Errorf("body %q…", body[:min(len(body), 40)])
			}
		})
	}
	t.Run("a missing file is a plain 404", func(t *testing.T) {
		w := get("/assets/nope.js", "gzip")
		if w.Code != 404 || w.Header().Get("Content-Encoding") != "" {
			t.Fatalf("status %d, encoding %q", w.Code, w.Header().Get("Content-Encoding"))
		}
	})
}
