package city_test

import (
	"testing"

	"communekiosk/city"
)

// BenchmarkQueuePageHTML is one queue page of 50 rendered as HTML through
// the real handler over loopback HTTP (session check, store calls, the
// template), on a small store: the rendering's share of a page, next to the
// store's share over a million dossiers (BenchmarkQueuePage*1M in
// city/citybolt).
func BenchmarkQueuePageHTML(b *testing.B) {
	e := newEnv(b, func(o *city.Options) { o.Office.Password = fastPasswords })
	k := e.enrol("00004")
	for range 60 {
		k.submit(goodRequest())
	}
	_, pw := e.user("lan", city.RoleOfficer, "00004")
	br := e.browser()
	br.login("lan", pw)
	b.ResetTimer()
	for range b.N {
		if status, body := br.get("/office/queue"); status != 200 || len(body) < 10000 {
			b.Fatalf("%d, %d bytes", status, len(body))
		}
	}
}
