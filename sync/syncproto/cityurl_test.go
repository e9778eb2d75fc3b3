package syncproto

import (
	"errors"
	"testing"
)

func TestCheckCityURL(t *testing.T) {
	tests := []struct {
		url       string
		allowHTTP bool
		ok        bool
	}{
		{"https://city.example", false, true},
		{"http://127.0.0.1:8480", false, true},
		{"http://localhost:8480/", false, true},
		{"http://[::1]:8480", false, true},
		{"http://127.8.9.1", false, true},
		{"http://10.0.0.5:8480", false, false},
		{"http://city.example", false, false},
		{"http://localhost.city.example", false, false},
		{"http://city.example", true, true},
		{"ftp://city.example", true, false},
		{"city.example", false, false},
		{"", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			err := CheckCityURL(tc.url, tc.allowHTTP)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInsecureCity)) {
				t.Fatalf("CheckCityURL(%q, %v) = %v; want ok=%v", tc.url, tc.allowHTTP, err, tc.ok)
			}
		})
	}
}
