package app

import (
	"compress/gzip"
	"net/http"
	"path"
	"strings"
)

// gzipAssets compresses the UI's text files (HTML, JS, CSS, SVG, JSON) for
// clients that accept gzip. Only 200 answers are compressed; a Range
// request is served whole, compressed.
func gzipAssets(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) || !compressible(r.URL.Path) || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		r.Header.Del("Range")
		w.Header().Add("Vary", "Accept-Encoding")
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func compressible(p string) bool {
	if strings.HasSuffix(p, "/") {
		return true // index.html
	}
	switch path.Ext(p) {
	case ".html", ".js", ".css", ".svg", ".json", ".txt", ".map":
		return true
	}
	return false
}

// gzipWriter compresses the body of a 200 answer and passes any other
// answer through as it is.
type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	decided bool
}

func (g *gzipWriter) WriteHeader(status int) {
	if !g.decided {
		g.decided = true
		if status == http.StatusOK {
			g.Header().Del("Content-Length")
			g.Header().Set("Content-Encoding", "gzip")
			g.zw = gzip.NewWriter(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipWriter) close() {
	if g.zw != nil {
		g.zw.Close()
	}
}
