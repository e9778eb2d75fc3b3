package kiosk

import (
	"testing"
)

func TestValidateGoodRequest(t *testing.T) {
	cat := mustCatalogue(t)
	if ps := Validate(goodRequest(), cat, testNow); len(ps) != 0 {
		t.Fatalf("problems on a good request: %+v", ps)
	}
}
