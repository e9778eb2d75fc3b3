package city_test

import (
	"strings"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// A kiosk asks the city about a request made at another kiosk: with the
// code and the last four digits of the requester's ID number it gets the
// status and dates, never personal data; with other digits, or a code
// that does not exist, the same "not found"; and guessing the digits is
// throttled.
func TestLookupAtTheCity(t *testing.T) {
	e := newEnv(t, func(o *city.Options) {
		o.GuessLimits = city.GuessLimits{PerAddressBurst: 100, PerCodeBurst: 3, Every: time.Minute}
	})
	a := e.enrol("00004")
	b := e.enrol("00008")
	it := a.item(goodRequest()) // requester 001190012345
	code, err := kiosk.NewReceiptCode(1, 42)
	if err != nil {
		t.Fatal(err)
	}
	it.Code = code
	if r := a.push(it).Results[0]; r.Outcome != syncproto.Accepted {
		t.Fatalf("push: %+v", r)
	}
	lookup := func(k *testKiosk, code, last4 string) (int, syncproto.LookupResponse, string) {
		t.Helper()
		status, body := e.do(k.signed(syncproto.PathLookup, k.id, syncproto.LookupRequest{Version: 1, KioskID: k.id, Code: code, IDLast4: last4}, false))
		resp, _ := syncproto.DecodeLookupResponse(body)
		return status, resp, string(body)
	}

	status, resp, body := lookup(b, strings.ToLower(strings.ReplaceAll(code, "-", "")), "2345")
	if status != 200 || !resp.Found || resp.Status != syncproto.StatusReceived || resp.Code != code || !resp.ReceivedAt.Equal(cityNow) || resp.Service != "birth_extract_copy" {
		t.Fatalf("lookup from another kiosk: %d %s", status, body)
	}
	for _, personal := range []string{"Nguyễn", "Hoa", "001190012345", "0912", "Quán Thánh", "Khôi"} {
		if strings.Contains(body, personal) {
			t.Fatalf("the answer holds personal data %q: %s", personal, body)
		}
	}
	other, _ := kiosk.NewReceiptCode(1, 43)
	_, wrongDigits, wdBody := lookup(b, code, "0000")
	_, unknown, unBody := lookup(b, other, "2345")
	if wrongDigits.Found || unknown.Found || strings.Replace(wdBody, code, "", 1) != unBody {
		t.Fatalf("wrong digits %s / unknown code %s; want the same not-found answer", wdBody, unBody)
	}
	// One wrong try so far on code; two more, then even the right digits wait.
	lookup(b, code, "1111")
	lookup(b, code, "2222")
	if status, _, _ := lookup(b, code, "2345"); status != 429 {
		t.Fatalf("after 3 wrong tries: %d; want 429", status)
	}
	e.now = e.now.Add(time.Minute)
	if status, resp, _ := lookup(b, code, "2345"); status != 200 || !resp.Found {
		t.Fatalf("a minute later: %d %+v", status, resp)
	}
	// Only as itself.
	status, _ = e.do(b.signed(syncproto.PathLookup, b.id, syncproto.LookupRequest{Version: 1, KioskID: a.id, Code: code, IDLast4: "2345"}, false))
	if status != 403 {
		t.Fatalf("lookup as another kiosk: %d; want 403", status)
	}
}
