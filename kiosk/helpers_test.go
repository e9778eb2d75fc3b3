package kiosk

import (
	"testing"
	"time"
)

// testNow is the clock of the tests: 10:00 in Hà Nội on 28 November 2026,
// while the TT 117/2026 waiver is in force.
var testNow = time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)

func mustCatalogue(tb testing.TB) *Catalogue {
	tb.Helper()
	c, err := DefaultCatalogue()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// goodRequest is a complete, valid request for a copy of a birth extract.
func goodRequest() Request {
	return Request{
		Service: "birth_extract_copy",
		Requester: Requester{
			FullName:   "Nguyễn Thị Hoa",
			PersonalID: "001190012345",
			Phone:      "0912 345 678",
			Residence:  Address{Province: "01", Commune: "00004", Street: "12 phố Quán Thánh"},
			Relation:   "parent",
			BirthDate:  "1990-05-17",
			Sex:        SexFemale,
		},
		Subject: Person{
			FullName:    "Trần Minh Khôi",
			BirthDate:   "2015-03-02",
			Sex:         SexMale,
			Ethnicity:   "01",
			Nationality: "Việt Nam",
			PersonalID:  "001215001234",
		},
		Event:    "birth",
		Register: Register{Office: "00004", Date: "2015-03-20", Number: "123", Book: "01/2015"},
		Copies:   2,
		Delivery: Delivery{Method: DeliveryPickup},
		Consent: Consent{
			NoticeVersion: "2026.11.2",
			Purposes:      []string{"process_request"},
			AcceptedAt:    testNow,
		},
	}
}
