package city_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"

	"communekiosk/city"
	"communekiosk/city/citybolt"
)

// A city in a process, as tests start it: a bbolt store and city.New.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "city")
	defer os.RemoveAll(dir)
	store, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		panic(err)
	}
	defer store.Close()
	srv, err := city.New(city.Options{Store: store, DataDir: dir, OperatorToken: "secret",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	resp, err := ts.Client().Get(ts.URL + "/healthz")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output: 200
}
