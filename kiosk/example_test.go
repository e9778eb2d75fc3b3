package kiosk_test

import (
	"fmt"
	"time"

	"communekiosk/kiosk"
)

func ExampleNewReceiptCode() {
	code, err := kiosk.NewReceiptCode(7, 12345)
	if err != nil {
		panic(err)
	}
	fmt.Println(code)
	// A clerk may type it back in any case, with or without separators.
	k, seq, err := kiosk.ParseReceiptCode("229 232 9pv")
	fmt.Println(k, seq, err)
	// One wrong character is caught.
	_, _, err = kiosk.ParseReceiptCode("229-232-9PX")
	fmt.Println(err)
	// Output:
	// 229-232-9PV
	// 7 12345 <nil>
	// kiosk: receipt code: check symbol does not match (a character is wrong or two are swapped)
}

func ExampleValidate() {
	cat, err := kiosk.DefaultCatalogue()
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, kiosk.VietnamZone())
	req := kiosk.Request{
		Service: "birth_extract_copy",
		Requester: kiosk.Requester{
			FullName:   "Nguyễn Thị Hoa",
			PersonalID: "00119001234",
			Phone:      "+84 912 345 678",
			Residence:  kiosk.Address{Province: "01", Commune: "00004", Street: "12 phố Quán Thánh"},
			Relation:   "self",
		},
		Subject:  kiosk.Person{FullName: "Nguyễn Thị Hoa", BirthDate: "1990-05-17", Sex: "female"},
		Register: kiosk.Register{OfficeText: "UBND phường Quán Thánh, quận Ba Đình"},
		Copies:   1,
		Delivery: kiosk.Delivery{Method: "pickup"},
		Consent:  kiosk.Consent{NoticeVersion: cat.NoticeVersion, Purposes: []string{"process_request"}, AcceptedAt: now},
	}
	for _, p := range kiosk.Validate(req, cat, now) {
		fmt.Println(p.Field, p.Code, p.Severity)
		fmt.Println(p.Message.VI)
		fmt.Println(p.Message.EN)
	}
	// Output:
	// requester.personal_id id_format error
	// Số định danh cá nhân: phải gồm đúng 12 chữ số, như trên thẻ căn cước.
	// Personal ID number: must be exactly 12 digits, as on the ID card.
}

func ExampleQuote() {
	cat, err := kiosk.DefaultCatalogue()
	if err != nil {
		panic(err)
	}
	req := kiosk.Request{
		Service: "birth_extract_copy",
		Copies:  2,
		Delivery: kiosk.Delivery{Method: "post",
			Address: kiosk.Address{Province: "01", Commune: "00070", Street: "3 Tràng Tiền"}},
		Extra: map[string]string{"digital_citizen": "true"},
	}
	show := func(q kiosk.FeeQuote) {
		for _, l := range q.Lines {
			fmt.Printf("%s: %s\n", l.Label.EN, l.Amount.EN)
		}
		fmt.Println("Total:", q.Total.EN)
		if q.Waiver != nil {
			fmt.Println("Waiver applied:", q.Waiver.Applied)
		}
	}
	// While Circular 117/2026/TT-BTC is in force, a digital citizen pays nothing.
	show(kiosk.Quote(req, cat, time.Date(2026, 11, 28, 10, 0, 0, 0, kiosk.VietnamZone())))
	// From 1 March 2027 the fee is due again.
	show(kiosk.Quote(req, cat, time.Date(2027, 3, 1, 10, 0, 0, 0, kiosk.VietnamZone())))
	// Output:
	// Copy fee (2 copies × 8,000 VND): 16,000 VND
	// Fee waived: −16,000 VND
	// Postage: Postage paid on delivery
	// Total: 0 VND
	// Waiver applied: true
	// Copy fee (2 copies × 8,000 VND): 16,000 VND
	// Postage: Postage paid on delivery
	// Total: 16,000 VND
}
