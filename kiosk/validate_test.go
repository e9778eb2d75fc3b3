package kiosk

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestValidateGoodRequest(t *testing.T) {
	cat := mustCatalogue(t)
	if ps := Validate(goodRequest(), cat, testNow); len(ps) != 0 {
		t.Fatalf("problems on a good request: %+v", ps)
	}
}

// want is the problem a case expects: field and code, and its severity.
type want struct {
	field, code, severity string
}

func codes(ps []Problem) []want {
	var out []want
	for _, p := range ps {
		out = append(out, want{p.Field, p.Code, p.Severity})
	}
	return out
}

func TestValidateRules(t *testing.T) {
	cat := mustCatalogue(t)
	E, W := SeverityError, SeverityWarning
	tests := []struct {
		name string
		edit func(r *Request)
		want []want
	}{
		// Names.
		{"name decomposed", func(r *Request) { r.Requester.FullName = norm.NFD.String("Nguyễn Thị Hoà") }, nil},
		{"name old tone style", func(r *Request) { r.Requester.FullName = "Đặng Thị Thúy Hòa" }, nil},
		{"name new tone style", func(r *Request) { r.Requester.FullName = "Đặng Thị Thuý Hoà" }, nil},
		{"name apostrophe", func(r *Request) { r.Subject.FullName = "H'Hen Niê" }, nil},
		{"name typographic apostrophe", func(r *Request) { r.Subject.FullName = "H’Hen Niê" }, nil},
		{"name Ê", func(r *Request) { r.Subject.FullName = "Y Moan Ênuôl" }, nil},
		{"name hyphen", func(r *Request) { r.Subject.FullName = "Nguyễn-Phan Minh Châu" }, nil},
		{"name f j w z", func(r *Request) { r.Subject.FullName = "Sùng A Zùa Wừ Fa Ja" }, nil},
		{"name extra spaces", func(r *Request) { r.Subject.FullName = "  Trần   Minh Khôi " }, nil},
		{"name digit", func(r *Request) { r.Subject.FullName = "Trần Minh 2" }, []want{{"subject.full_name", "name_chars", E}}},
		{"name symbol", func(r *Request) { r.Subject.FullName = "Trần @Minh" }, []want{{"subject.full_name", "name_chars", E}}},
		{"name double apostrophe", func(r *Request) { r.Subject.FullName = "H''Hen" }, []want{{"subject.full_name", "name_chars", E}}},
		{"name trailing hyphen", func(r *Request) { r.Subject.FullName = "Trần Minh-" }, []want{{"subject.full_name", "name_chars", E}}},
		{"name full-width", func(r *Request) { r.Subject.FullName = "Ｔrần Minh" }, []want{{"subject.full_name", "name_chars", E}}},
		{"name foreign spouse", func(r *Request) { r.Subject.FullName = "François Müller" }, nil},
		{"name Cyrillic", func(r *Request) { r.Subject.FullName = "Тrần Minh" }, []want{{"subject.full_name", "name_chars", E}}},
		{"name too long", func(r *Request) { r.Subject.FullName = strings.Repeat("Nguyễn ", 15) + "Hoa" }, []want{{"subject.full_name", "name_length", E}}},
		{"name 100 chars", func(r *Request) { r.Subject.FullName = strings.Repeat("a", 100) }, nil},
		{"name missing", func(r *Request) { r.Requester.FullName = "  " }, []want{{"requester.full_name", "required", E}}},

		// Personal ID numbers.
		{"id 11 digits", func(r *Request) { r.Requester.PersonalID = "00119001234" }, []want{{"requester.personal_id", "id_format", E}}},
		{"id letter", func(r *Request) { r.Requester.PersonalID = "00119001234X" }, []want{{"requester.personal_id", "id_format", E}}},
		{"id old 9-digit", func(r *Request) { r.Requester.PersonalID = "012345678" }, []want{{"requester.personal_id", "id_format", E}}},
		{"id century", func(r *Request) { r.Requester.PersonalID = "001390012345" }, []want{{"requester.personal_id", "id_century", E}}},
		{"id year", func(r *Request) { r.Requester.PersonalID = "001191012345" }, []want{{"requester.personal_id", "id_year", E}}},
		{"id sex", func(r *Request) { r.Requester.PersonalID = "001090012345" }, []want{{"requester.personal_id", "id_sex", E}}},
		{"id unknown province warns", func(r *Request) { r.Requester.PersonalID = "003190012345" }, []want{{"requester.personal_id", "id_province", W}}},
		{"id no birth date given", func(r *Request) {
			r.Requester.BirthDate, r.Requester.Sex = "", ""
			r.Requester.PersonalID = "001999999999"
		}, nil},
		{"requester QR birth date bad", func(r *Request) { r.Requester.BirthDate = "17/05/1990" }, []want{{"requester.birth_date", "date_format", E}}},
		{"requester QR sex bad", func(r *Request) { r.Requester.Sex = "nữ" }, []want{{"requester.sex", "option_unknown", E}}},
		{"subject id checked against subject", func(r *Request) { r.Subject.PersonalID = "001315001234" }, []want{{"subject.personal_id", "id_sex", E}}},
		{"subject id 2000s female", func(r *Request) { r.Subject.Sex = SexFemale; r.Subject.PersonalID = "001315001234" }, nil},
		{"subject id optional", func(r *Request) { r.Subject.PersonalID = "" }, nil},

		// Phones.
		{"phone +84", func(r *Request) { r.Requester.Phone = "+84 912 345 678" }, nil},
		{"phone 84", func(r *Request) { r.Requester.Phone = "84912345678" }, nil},
		{"phone dots", func(r *Request) { r.Requester.Phone = "0912.345.678" }, nil},
		{"phone Viettel 086", func(r *Request) { r.Requester.Phone = "0862345678" }, nil},
		{"phone landline Hà Nội", func(r *Request) { r.Requester.Phone = "024 3825 1234" }, nil},
		{"phone unknown prefix warns", func(r *Request) { r.Requester.Phone = "0312345678" }, []want{{"requester.phone", "phone_prefix", W}}},
		{"phone short", func(r *Request) { r.Requester.Phone = "091234567" }, []want{{"requester.phone", "phone_format", E}}},
		{"phone letters", func(r *Request) { r.Requester.Phone = "09123abc78" }, []want{{"requester.phone", "phone_format", E}}},
		{"phone foreign", func(r *Request) { r.Requester.Phone = "+33612345678" }, []want{{"requester.phone", "phone_format", E}}},
		{"phone 1 prefix", func(r *Request) { r.Requester.Phone = "0112345678" }, []want{{"requester.phone", "phone_format", E}}},

		// Dates.
		{"birth date today", func(r *Request) { r.Subject.BirthDate = "2026-11-28"; r.Register.Date = ""; r.Subject.PersonalID = "" }, nil},
		{"birth date tomorrow", func(r *Request) { r.Subject.BirthDate = "2026-11-29"; r.Register.Date = ""; r.Subject.PersonalID = "" }, []want{{"subject.birth_date", "date_future", E}}},
		{"birth date not a date", func(r *Request) { r.Subject.BirthDate = "2015-02-30" }, []want{{"subject.birth_date", "date_format", E}}},
		{"birth date d/m/y", func(r *Request) { r.Subject.BirthDate = "02/03/2015" }, []want{{"subject.birth_date", "date_format", E}}},
		{"birth date 1899", func(r *Request) { r.Subject.BirthDate = "1899-12-31"; r.Subject.PersonalID = "" }, []want{{"subject.birth_date", "date_too_old", E}}},
		{"registered before birth", func(r *Request) { r.Register.Date = "2015-03-01" }, []want{{"register.date", "date_before_birth", E}}},
		{"registered on birth day", func(r *Request) { r.Register.Date = "2015-03-02" }, nil},
		{"register date future", func(r *Request) { r.Register.Date = "2027-01-01" }, []want{{"register.date", "date_future", E}}},
		{"register date optional", func(r *Request) { r.Register.Date = "" }, nil},

		// Copies.
		{"copies 0", func(r *Request) { r.Copies = 0 }, []want{{"copies", "copies_range", E}}},
		{"copies 10", func(r *Request) { r.Copies = 10 }, nil},
		{"copies 11", func(r *Request) { r.Copies = 11 }, []want{{"copies", "copies_range", E}}},
		{"copies negative", func(r *Request) { r.Copies = -1 }, []want{{"copies", "copies_range", E}}},

		// Relation and authorisation.
		{"self with other name", func(r *Request) { r.Requester.Relation = "self" }, []want{{"subject.full_name", "self_mismatch", W}, {"subject.personal_id", "self_mismatch", W}}},
		{"self with same person, other tone style", func(r *Request) {
			r.Requester.Relation = "self"
			r.Requester.FullName, r.Subject.FullName = "Lê Thị Hoà", "LÊ THỊ HÒA"
			r.Subject.BirthDate, r.Subject.Sex, r.Register.Date = "1990-05-17", SexFemale, "1990-06-01"
			r.Subject.PersonalID = r.Requester.PersonalID
		}, nil},
		{"relation sibling", func(r *Request) { r.Requester.Relation = "sibling" }, nil},
		{"relation authorised without text", func(r *Request) { r.Requester.Relation = "authorised" }, []want{{"requester.authorisation", "authorisation_required", E}}},
		{"relation other without text", func(r *Request) { r.Requester.Relation = "other" }, []want{{"requester.authorisation", "authorisation_required", E}}},
		{"relation guardian without text", func(r *Request) { r.Requester.Relation = "guardian" }, []want{{"requester.authorisation", "authorisation_required", E}}},
		{"relation authorised with text", func(r *Request) {
			r.Requester.Relation = "authorised"
			r.Requester.Authorisation = "Giấy ủy quyền ngày 01/11/2026, bà Trần Thị Lan ký"
		}, nil},
		{"relation grandchild without text", func(r *Request) { r.Requester.Relation = "grandchild" }, []want{{"requester.authorisation", "authorisation_required", E}}},
		{"relation grandparent", func(r *Request) { r.Requester.Relation = "grandparent" }, nil},
		{"relation unknown", func(r *Request) { r.Requester.Relation = "friend" }, []want{{"requester.relation", "option_unknown", E}}},
		{"relation missing", func(r *Request) { r.Requester.Relation = "" }, []want{{"requester.relation", "required", E}}},

		// Addresses.
		{"residence elsewhere", func(r *Request) { r.Requester.Residence = Address{"79", communeOf(t, "79"), "5 Lê Lợi"} }, nil},
		{"residence missing", func(r *Request) { r.Requester.Residence = Address{} }, []want{{"requester.residence", "required", E}}},
		{"residence unknown province", func(r *Request) { r.Requester.Residence.Province = "02" }, []want{{"requester.residence", "address_province", E}}},
		{"residence commune of another province", func(r *Request) { r.Requester.Residence.Commune = communeOf(t, "79") }, []want{{"requester.residence", "address_commune", E}}},
		{"residence no street", func(r *Request) { r.Requester.Residence.Street = " " }, []want{{"requester.residence", "address_street", E}}},
		{"post with address", func(r *Request) {
			r.Delivery = Delivery{Method: DeliveryPost, Address: Address{"01", "00070", "3 Tràng Tiền"}}
		}, nil},
		{"post without address", func(r *Request) { r.Delivery = Delivery{Method: DeliveryPost} }, []want{{"delivery.address", "address_required", E}}},
		{"post without commune", func(r *Request) {
			r.Delivery = Delivery{Method: DeliveryPost, Address: Address{"01", "", "3 Tràng Tiền"}}
		},
			[]want{{"delivery.address", "address_commune", E}}},
		{"post commune not in province", func(r *Request) {
			r.Delivery = Delivery{Method: DeliveryPost, Address: Address{"79", "00070", "3 Tràng Tiền"}}
		}, []want{{"delivery.address", "address_commune", E}}},
		{"post without street", func(r *Request) { r.Delivery = Delivery{Method: DeliveryPost, Address: Address{"01", "00070", ""}} },
			[]want{{"delivery.address", "address_street", E}}},
		{"pickup ignores address", func(r *Request) { r.Delivery = Delivery{Method: DeliveryPickup, Address: Address{"xx", "", ""}} }, nil},
		{"delivery unknown", func(r *Request) { r.Delivery.Method = "drone" }, []want{{"delivery.method", "option_unknown", E}}},

		// Registering office.
		{"office free text", func(r *Request) {
			r.Register = Register{OfficeText: "UBND phường Điện Biên, quận Ba Đình, TP Hà Nội"}
		}, nil},
		{"office code outside Hà Nội", func(r *Request) { r.Register.Office = communeOf(t, "79") }, []want{{"register.office", "office_unknown", E}}},
		{"office missing", func(r *Request) { r.Register = Register{} }, []want{{"register.office", "required", E}}},
		{"office text control char", func(r *Request) { r.Register = Register{OfficeText: "UBND\x00"} }, []want{{"register.office", "text_chars", E}}},

		// Consent.
		{"consent missing", func(r *Request) { r.Consent = Consent{} }, []want{{"consent", "consent_missing", E}}},
		{"consent old notice", func(r *Request) { r.Consent.NoticeVersion = "2025.1.1" }, []want{{"consent", "consent_notice_version", E}}},
		{"consent optional only", func(r *Request) { r.Consent.Purposes = []string{"sms_updates"} }, []want{{"consent", "consent_purpose", E}}},
		{"consent with optional", func(r *Request) { r.Consent.Purposes = []string{"process_request", "sms_updates"} }, nil},
		{"consent unknown purpose", func(r *Request) { r.Consent.Purposes = []string{"process_request", "marketing"} }, []want{{"consent", "consent_purpose_unknown", E}}},

		// Service and event.
		{"service unknown", func(r *Request) { r.Service = "nope" }, []want{{"service", "service_unknown", E}}},
		{"service at the counter", func(r *Request) { r.Service = "birth_registration" }, []want{{"service", "service_counter", E}}},
		{"event mismatch", func(r *Request) { r.Event = "death" }, []want{{"event", "event_mismatch", E}}},
		{"event empty", func(r *Request) { r.Event = "" }, nil},

		// Others.
		{"ethnicity unknown", func(r *Request) { r.Subject.Ethnicity = "99" }, []want{{"subject.ethnicity", "option_unknown", E}}},
		{"waiver checkbox", func(r *Request) { r.Extra = map[string]string{"digital_citizen": "true"} }, nil},
		{"waiver checkbox garbage", func(r *Request) { r.Extra = map[string]string{"digital_citizen": "yes"} }, []want{{"extra.digital_citizen", "checkbox_value", E}}},
		{"extra not in the service", func(r *Request) { r.Extra = map[string]string{"shoe_size": "42"} }, []want{{"extra.shoe_size", "field_unknown", E}}},
		{"extra empty not in the service", func(r *Request) { r.Extra = map[string]string{"marital_status": ""} }, nil},
		{"unlisted field too long", func(r *Request) { r.Purpose = strings.Repeat("x", 1001) }, []want{{"purpose", "text_length", E}}},
		{"unlisted field short", func(r *Request) { r.Purpose = "để đi học" }, nil},
		{"register number too long", func(r *Request) { r.Register.Number = strings.Repeat("9", 201) }, []want{{"register.number", "text_length", E}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := goodRequest()
			tc.edit(&r)
			got := codes(Validate(r, cat, testNow))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for _, p := range Validate(r, cat, testNow) {
				checkMessage(t, p)
			}
		})
	}
}

// checkMessage: every message exists in both languages, is NFC and has no
// formatting leftovers.
func checkMessage(t *testing.T, p Problem) {
	t.Helper()
	for _, s := range []string{p.Message.VI, p.Message.EN} {
		if s == "" || !norm.NFC.IsNormalString(s) || strings.Contains(s, "%!") || strings.Contains(s, "%s") {
			t.Errorf("bad message for %s/%s: %q", p.Field, p.Code, s)
		}
	}
	if p.Severity != SeverityError && p.Severity != SeverityWarning {
		t.Errorf("bad severity %q", p.Severity)
	}
}

func communeOf(t *testing.T, province string) string {
	cs := Communes(province)
	if len(cs) == 0 {
		t.Fatalf("no communes in %s", province)
	}
	return cs[0].Code
}

func TestValidateOtherServices(t *testing.T) {
	cat := mustCatalogue(t)
	death := goodRequest()
	death.Service, death.Event = "death_extract_copy", "death"
	death.Requester.Relation = "child"
	death.Subject = Person{FullName: "Trần Văn Bình", BirthDate: "1940-01-01", Sex: SexMale}
	death.Extra = map[string]string{"death_date": "2020-05-05"}
	if ps := Validate(death, cat, testNow); len(ps) != 0 {
		t.Errorf("death: %+v", ps)
	}
	death.Extra["death_date"] = "1939-01-01"
	if got := codes(Validate(death, cat, testNow)); !slices.Equal(got, []want{{"extra.death_date", "date_before_birth", SeverityError}}) {
		t.Errorf("death before birth: %v", got)
	}

	marriage := goodRequest()
	marriage.Service, marriage.Event = "marriage_extract_copy", "marriage"
	marriage.Requester.Relation = "self"
	marriage.Subject = Person{FullName: "Nguyễn Thị Hoa", BirthDate: "1990-05-17", SpouseName: "Trần Văn Nam"}
	marriage.Register.Date = "2014-06-01"
	if ps := Validate(marriage, cat, testNow); len(ps) != 0 {
		t.Errorf("marriage: %+v", ps)
	}
	marriage.Subject.SpouseName = ""
	if got := codes(Validate(marriage, cat, testNow)); !slices.Equal(got, []want{{"subject.spouse_name", "required", SeverityError}}) {
		t.Errorf("marriage without spouse: %v", got)
	}

	ms := goodRequest()
	ms.Service, ms.Event = "marital_status_confirmation", ""
	ms.Requester.Relation = "self"
	ms.Subject = Person{FullName: "Nguyễn Thị Hoa", BirthDate: "1990-05-17", Sex: SexFemale, Ethnicity: "01", Nationality: "Việt Nam", PersonalID: "001190012345"}
	ms.Register = Register{}
	ms.Purpose = "Để đăng ký kết hôn"
	ms.Extra = map[string]string{"marital_status": "single"}
	if ps := Validate(ms, cat, testNow); len(ps) != 0 {
		t.Errorf("marital status: %+v", ps)
	}
	ms.Purpose = ""
	ms.Extra = nil
	got := codes(Validate(ms, cat, testNow))
	if !slices.Equal(got, []want{{"extra.marital_status", "required", SeverityError}, {"purpose", "required", SeverityError}}) {
		t.Errorf("marital status without purpose: %v", got)
	}
}

func TestValidateWithOlderNotice(t *testing.T) {
	cat := mustCatalogue(t)
	r := goodRequest()
	r.Consent.NoticeVersion = "2026.8.1"
	if got := codes(Validate(r, cat, testNow)); len(got) != 1 || got[0].code != "consent_notice_version" {
		t.Fatalf("Validate: %v", got)
	}
	if got := ValidateWith(r, cat, testNow, ValidateOptions{NoticeVersions: []string{"2026.8.1"}}); len(got) != 0 {
		t.Fatalf("ValidateWith: %+v", got)
	}
}

func TestNilCatalogue(t *testing.T) {
	if got := codes(Validate(goodRequest(), nil, testNow)); len(got) != 1 || got[0].code != "service_unknown" {
		t.Errorf("Validate with nil catalogue: %v", got)
	}
	if q := Quote(goodRequest(), nil, testNow); q.TotalVND != 0 || len(q.Lines) != 0 {
		t.Errorf("Quote with nil catalogue: %+v", q)
	}
}

func TestValidateStep(t *testing.T) {
	cat := mustCatalogue(t)
	r := goodRequest()
	r.Requester.Phone = "123"
	r.Subject.BirthDate = "tomorrow"
	r.Copies = 0
	r.Consent = Consent{}
	for _, tc := range []struct {
		step string
		want []want
	}{
		{StepRequester, []want{{"requester.phone", "phone_format", SeverityError}}},
		{StepRecord, []want{{"subject.birth_date", "date_format", SeverityError}}},
		{StepDelivery, []want{{"copies", "copies_range", SeverityError}}},
		{StepReview, []want{{"consent", "consent_missing", SeverityError}}},
		{"nope", []want{{"step", "step_unknown", SeverityError}}},
	} {
		t.Run(tc.step, func(t *testing.T) {
			if got := codes(ValidateStep(r, cat, tc.step, testNow)); !slices.Equal(got, tc.want) {
				t.Errorf("step %s: got %v, want %v", tc.step, got, tc.want)
			}
		})
	}
	// Validate is the union of the steps.
	var all []want
	for _, s := range []string{StepRequester, StepRecord, StepDelivery, StepReview} {
		all = append(all, codes(ValidateStep(r, cat, s, testNow))...)
	}
	if got := codes(Validate(r, cat, testNow)); !slices.Equal(got, all) {
		t.Errorf("Validate = %v, steps = %v", got, all)
	}
}

func TestValidateJSONShape(t *testing.T) {
	cat := mustCatalogue(t)
	r := goodRequest()
	r.Copies = 0
	b, err := json.Marshal(Validate(r, cat, testNow))
	if err != nil {
		t.Fatal(err)
	}
	const want = `[{"field":"copies","code":"copies_range","severity":"error","message":{"vi":"Số bản sao: chọn từ 1 đến 10 bản.","en":"Number of copies: choose from 1 to 10 copies."}}]`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

func TestValidateClockInVietnam(t *testing.T) {
	cat := mustCatalogue(t)
	r := goodRequest()
	r.Subject.BirthDate, r.Register.Date, r.Subject.PersonalID = "2026-11-29", "", ""
	// 17:30 UTC on the 28th is 00:30 on the 29th in Hà Nội: not the future.
	now := time.Date(2026, 11, 28, 17, 30, 0, 0, time.UTC)
	if ps := Validate(r, cat, now); len(ps) != 0 {
		t.Fatalf("%+v", ps)
	}
	if ps := Validate(r, cat, now.Add(-time.Hour)); len(ps) != 1 || ps[0].Code != "date_future" {
		t.Fatalf("%+v", ps)
	}
}

func TestNormalizeRequest(t *testing.T) {
	cat := mustCatalogue(t)
	r := goodRequest()
	r.Requester.FullName = "  " + norm.NFD.String("Đặng  Văn Hoà") + " "
	r.Subject.FullName = "Lê Thị Thúy Hòa"
	r.Requester.Phone = "+84 912-345-678"
	r.Event = ""
	r.Register.OfficeText = norm.NFD.String(" Phường Điện Biên ")
	n := NormalizeRequest(r, cat)
	if n.Requester.FullName != "Đặng Văn Hoà" {
		t.Errorf("name %q", n.Requester.FullName)
	}
	if n.Subject.FullName != "Lê Thị Thúy Hòa" {
		t.Errorf("tone placement changed: %q", n.Subject.FullName)
	}
	if n.Requester.Phone != "0912345678" || n.Event != "birth" || n.Register.OfficeText != "Phường Điện Biên" {
		t.Errorf("got %+v", n)
	}
	if ps := Validate(n, cat, testNow); len(ps) != 0 {
		t.Errorf("%+v", ps)
	}
}
