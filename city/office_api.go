package city

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
)

// parseAPIForm fills r.PostForm from a form-encoded body or from a flat
// JSON object whose values are strings or lists of strings, so the API's
// scripts may send either and the handlers read one thing.
func parseAPIForm(w http.ResponseWriter, r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return errors.New("body is not a form")
		}
		return nil
	}
	var raw map[string]any
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&raw); err != nil {
		return errors.New("body is not a JSON object")
	}
	form := url.Values{}
	for k, v := range raw {
		switch x := v.(type) {
		case string:
			form.Set(k, x)
		case bool:
			if x {
				form.Set(k, "1")
			}
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return fmt.Errorf("field %q: a list of strings expected", k)
				}
				form.Add(k, s)
			}
		default:
			return fmt.Errorf("field %q: a string or a list of strings expected", k)
		}
	}
	r.PostForm, r.Form = form, form
	return nil
}
