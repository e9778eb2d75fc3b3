package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A call whose body is over the limit gets 413 too_large, not 422.
func TestCallBodyOverLimit413(t *testing.T) {
	n, _ := newTestNode(t, true)
	h := n.Handler(nil)
	body := append(append([]byte(`["`), bytes.Repeat([]byte("a"), maxCallBody)...), `"]`...)
	req := httptest.NewRequest("POST", "/api/Lookup/Status", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var eb struct {
		Error Error `json:"error"`
	}
	json.Unmarshal(rec.Body.Bytes(), &eb)
	if rec.Code != http.StatusRequestEntityTooLarge || eb.Error.Code != CodeTooLarge || words(t, eb.Error.Message).VI == "" {
		t.Fatalf("%d %s; want 413 %s", rec.Code, rec.Body, CodeTooLarge)
	}
}
