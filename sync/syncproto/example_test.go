package syncproto_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"net/http/httptest"
	"time"

	"communekiosk/sync/syncproto"
)

func ExampleSign() {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)) // made on the kiosk at enrolment
	pub := priv.Public().(ed25519.PublicKey)                    // known to the city
	body := []byte(`{"version":1,"kiosk_id":"K0007","cursor":{"epoch":"","seq":0}}`)

	// Kiosk side: sign every attempt anew, with the kiosk's own clock.
	r := httptest.NewRequest("POST", syncproto.PathPull, bytes.NewReader(body))
	kioskClock := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC) // days off does not matter
	if err := syncproto.Sign(r, body, "K0007", priv, kioskClock); err != nil {
		panic(err)
	}

	// City side: look the kiosk up, verify; a ReplayGuard refuses replays.
	lookup := func(id string) (ed25519.PublicKey, error) { return pub, nil }
	id, err := syncproto.Verify(r, body, lookup, time.Now(), nil)
	fmt.Println(id, err)
	// Output: K0007 <nil>
}

func ExampleDecodePushResponse() {
	_, err := syncproto.DecodePushResponse([]byte("<html><body>Free Wi-Fi: log in</body></html>"))
	fmt.Println(err != nil)
	// Output: true
}
