package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"reflect"
	"strings"
)

// maxCallBody bounds one call's JSON arguments.
const maxCallBody = 1 << 20

// Handler serves the UI from ui and the facades' methods as JSON over HTTP:
// POST /api/{Facade}/{Method} with a JSON array of arguments answers 200 and
// the result, or an error status and {"error": {...}}. It is the same call
// the Wails bindings make, so the page needs one code path.
func (n *Node) Handler(ui fs.FS) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /api/{facade}/{method}", n.dispatcher())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	if ui != nil {
		mux.Handle("GET /", noStore(gzipAssets(http.FileServerFS(ui))))
	}
	return securityHeaders(mux)
}

// dispatcher calls facade methods by name with reflection, exactly as the
// Wails bindings do.
func (n *Node) dispatcher() http.Handler {
	facades := map[string]reflect.Value{}
	for _, f := range n.Bindings() {
		v := reflect.ValueOf(f)
		facades[v.Elem().Type().Name()] = v
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only JSON calls: a cross-site form post cannot send this content
		// type without a preflight the server never grants.
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			w.WriteHeader(http.StatusUnsupportedMediaType)
			writeErrorBody(w, newError(CodeBadInput, msg("calls_must_be_json"), nil))
			return
		}
		f, ok := facades[r.PathValue("facade")]
		if !ok {
			writeError(w, newError(CodeNotFound, msg("no_such_function"), nil))
			return
		}
		m := f.MethodByName(r.PathValue("method"))
		if !m.IsValid() {
			writeError(w, newError(CodeNotFound, msg("no_such_function"), nil))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallBody))
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, newError(CodeTooLarge, msg("too_large"), err))
			return
		}
		if err != nil {
			writeError(w, badInput(err))
			return
		}
		args, err := decodeArgs(m.Type(), body)
		if err != nil {
			writeError(w, badInput(err))
			return
		}
		out := m.Call(args)
		if len(out) > 0 {
			if e, ok := out[len(out)-1].Interface().(error); ok && e != nil {
				if ae := asError(e); ae.Code == CodeInternal {
					// Errors of the store or the engine: no personal data in them.
					n.log.Error("Call failed", "facade", r.PathValue("facade"), "method", r.PathValue("method"), "err", e)
				}
				writeError(w, e)
				return
			}
		}
		var result any
		if len(out) > 0 && m.Type().Out(0) != errorType {
			result = out[0].Interface()
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(result)
	})
}

var errorType = reflect.TypeFor[error]()

func badInput(err error) *Error {
	return newError(CodeBadInput, msg("bad_data"), err)
}

// decodeArgs reads a JSON array into the parameters of method type t.
func decodeArgs(t reflect.Type, body []byte) ([]reflect.Value, error) {
	var raw []json.RawMessage
	body = bytes.TrimSpace(body)
	if len(body) > 0 {
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON array: %w", err)
		}
	}
	if len(raw) != t.NumIn() {
		return nil, fmt.Errorf("want %d arguments, got %d", t.NumIn(), len(raw))
	}
	args := make([]reflect.Value, t.NumIn())
	for i := range args {
		p := reflect.New(t.In(i))
		if err := json.Unmarshal(raw[i], p.Interface()); err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		args[i] = p.Elem()
	}
	return args, nil
}

func writeError(w http.ResponseWriter, err error) {
	e := asError(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus(e.Code))
	writeErrorBody(w, e)
}

func writeErrorBody(w http.ResponseWriter, e *Error) {
	json.NewEncoder(w).Encode(map[string]any{"error": e})
}

// noStore keeps the browser from caching pages that may show personal data.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/assets/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("X-Frame-Options", "DENY")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}
