package app

import (
	"strings"
	"testing"
)

// A citizen who applied at another kiosk is not told "not made here":
// the kiosk asks the city, with the last 4 digits of the ID number, and
// shows the status and dates; with other digits the city says it has no
// such request; with no city in reach the kiosk says so in plain words.
func TestLookupAtTheCity(t *testing.T) {
	srv, cityURL := newTestCity(t)
	enrol := func() *Node {
		n, _ := newTestNode(t, false)
		enrolNode(t, n, srv, cityURL)
		return n
	}
	a, b := enrol(), enrol()
	rv, err := a.Requests.Submit(sampleDraft(t))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := a.sync.current().RunOnce(t.Context()); err != nil || res.Accepted != 1 {
		t.Fatalf("kiosk A's sync: %+v %v", res, err)
	}

	v, err := b.Lookup.Status(LookupQuery{Code: rv.Code})
	if err != nil || v.Found || !v.NeedIDLast4 || v.Source != "city" || !strings.Contains(words(t, v.StatusText).EN, "not made on this kiosk") {
		t.Fatalf("code only, at kiosk B: %+v %v", v, err)
	}
	v, err = b.Lookup.Status(LookupQuery{Code: rv.Code, IDLast4: last4(t)})
	if err != nil || !v.Found || v.Source != "city" || v.Status != "received" || v.ReceivedAt.IsZero() || v.ServiceName.VI == "" || words(t, v.StatusText).EN == "" {
		t.Fatalf("with the digits, at kiosk B: %+v %v", v, err)
	}
	wrong := "0000"
	if wrong == last4(t) {
		wrong = "1111"
	}
	v, err = b.Lookup.Status(LookupQuery{Code: rv.Code, IDLast4: wrong})
	if err != nil || v.Found || v.Status != "" || !v.ReceivedAt.IsZero() || !strings.Contains(words(t, v.StatusText).EN, "The city has no request") {
		t.Fatalf("wrong digits, at kiosk B: %+v %v", v, err)
	}
}

// Offline: the kiosk cannot reach the city and says so, in Vietnamese and
// English, without an error.
func TestLookupAtTheCityOffline(t *testing.T) {
	n, _ := newTestNode(t, true) // its city is 127.0.0.1:1: nothing listens
	v, err := n.Lookup.Status(LookupQuery{Code: "H7A-TTH-YVK", IDLast4: "2345"})
	if err != nil || v.Found || !v.Offline || !strings.Contains(words(t, v.StatusText).EN, "cannot reach the city") || !strings.Contains(words(t, v.StatusText).VI, "không kết nối được") {
		t.Fatalf("offline lookup: %+v %v", v, err)
	}
}
