package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"communekiosk/device/printer"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// The UI's calls to Go are held to golden JSON written here: each type a
// facade takes or returns, marshalled with representative values, and the
// list of facade methods with the types of their arguments and result.
// frontend/src/lib/api/contract.test.ts checks every golden against the
// TypeScript types of frontend/src/lib/api, so a change on one side that
// the other does not follow fails a test. After a deliberate change of a
// DTO: go test ./app -run TestAPIContract -update, then follow it in
// frontend/src/lib/api/types.ts and its examples.
var update = flag.Bool("update", false, "rewrite the golden JSON of the UI contract")

const apiGoldenDir = "../frontend/src/lib/api/testdata"

// wireName is the name of each facade type in the goldens and in the
// frontend's Wire table.
var wireName = map[reflect.Type]string{
	reflect.TypeFor[string]():           "string",
	reflect.TypeFor[int]():              "number",
	reflect.TypeFor[int64]():            "number",
	reflect.TypeFor[KioskState]():       "KioskState",
	reflect.TypeFor[*kiosk.Catalogue](): "Catalogue",
	reflect.TypeFor[[]kiosk.Unit]():     "Unit[]",
	reflect.TypeFor[[]FormerUnitView](): "FormerUnit[]",
	reflect.TypeFor[kiosk.Request]():    "Request",
	reflect.TypeFor[[]kiosk.Problem]():  "Problem[]",
	reflect.TypeFor[kiosk.FeeQuote]():   "Quote",
	reflect.TypeFor[ReceiptView]():      "Receipt",
	reflect.TypeFor[LookupQuery]():      "LookupQuery",
	reflect.TypeFor[StatusView]():       "StatusView",
	reflect.TypeFor[UnlockResult]():     "UnlockResult",
	reflect.TypeFor[Overview]():         "StaffOverview",
	reflect.TypeFor[ProgressView]():     "SyncProgressView",
	reflect.TypeFor[[]QuarantineView](): "QuarantineItem[]",
	reflect.TypeFor[[]USBDrive]():       "USBDrive[]",
	reflect.TypeFor[USBResult]():        "USBResult",
	reflect.TypeFor[IdentityView]():     "Identity",
	reflect.TypeFor[SettingsView]():     "Settings",
	reflect.TypeFor[PrintResult]():      "PrintResult",
	reflect.TypeFor[printer.Status]():   "PrinterStatus",
	reflect.TypeFor[ScannerStatus]():    "ScannerStatus",
	reflect.TypeFor[ScanBatch]():        "ScanBatch",
	reflect.TypeFor[*Error]():           "Error",
}

var (
	at1 = time.Date(2026, 11, 28, 3, 4, 5, 0, time.UTC)
	at2 = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
)

func tx(vi, en string) kiosk.Text { return kiosk.Text{VI: vi, EN: en} }

// apiSample is one golden: a value of a facade type. Full samples set
// every field (checked), so a field Go adds shows up in the golden;
// minimal ones show what Go leaves out (null, absent) in a common case.
type apiSample struct {
	name  string // the golden's file name without .json
	value any
	full  bool
}

func apiSamples() []apiSample {
	message := Message{Key: "alarm_disk_low", Params: map[string]string{"free_mb": "90", "floor_mb": "100"}}
	problem := kiosk.Problem{Field: "requester.phone", Code: "phone_format", Severity: kiosk.SeverityError, Message: tx("Số điện thoại: sai.", "Phone: wrong.")}
	quote := kiosk.FeeQuote{
		Service: "birth_extract_copy", CatalogueVersion: "2026.11", Date: "2026-11-28",
		Lines:    []kiosk.QuoteLine{{Kind: "fee", Label: tx("Lệ phí", "Fee"), AmountVND: 8000, Amount: tx("8.000 đồng", "8,000 VND"), Note: tx("mỗi bản", "per copy")}},
		TotalVND: 8000, Total: tx("8.000 đồng", "8,000 VND"),
		Waiver:            &kiosk.QuoteWaiver{ID: "digital", Applied: true, Condition: tx("Có VNeID", "Has VNeID"), Basis: tx("NQ 01", "Res. 01"), Field: "extra.digital_citizen"},
		PostageOnDelivery: true, FeeAtCounter: true,
	}
	receipt := ReceiptView{
		Code: "K7M4HXR9P", RequestID: "01JDX4", Service: "birth_extract_copy", ServiceName: tx("Trích lục khai sinh", "Birth extract"),
		Copies: 2, Quote: quote, DeliveryMethod: "post", ExpectedDate: "2026-12-02", CreatedAt: at1, NoticeVersion: "2026.1",
		Purposes: []string{"process"}, CommuneName: "Phường Ba Đình", Sent: true, TermsUnknown: true, Note: message,
	}
	progress := SyncProgress{Phase: "push", Batch: 1, Batches: 3, Sent: 20, Total: 50}
	last := SyncResult{At: at1, OK: true, Error: message, Pushed: 5, Accepted: 3, Duplicates: 1, Rejected: 1, Statuses: 2}
	identity := IdentityView{KioskID: "K-7", Number: 7, CommuneName: "Phường Ba Đình", CityURL: "https://city.example", EnrolledAt: at2}
	settings := SettingsView{SyncSpec: "*/15 * * * *", IdleTimeoutSecs: 90, CityURL: "https://city.example"}
	return []apiSample{
		{"KioskState", KioskState{Ready: true, NotReady: NotReadyDiskFull, Enrolled: true, Demo: true, CommuneName: "Phường Ba Đình", Commune: "00004",
			Online: true, LastSyncAt: at1, Unsent: 2, IdleTimeoutSecs: 90, Version: "1.2.3", CatalogueVersion: "2026.11", NoticeVersion: "2026.1"}, true},
		{"KioskState.unenrolled", KioskState{NotReady: NotReadyEnrolment, IdleTimeoutSecs: 90, Version: "dev", CatalogueVersion: "2026.11", NoticeVersion: "2026.1"}, false},
		{"Catalogue", &kiosk.Catalogue{
			Version: "2026.11", NoticeVersion: "2026.1", Notice: tx("Thông báo", "Notice"),
			Purposes: []kiosk.Purpose{{ID: "process", Label: tx("Giải quyết hồ sơ", "Process the request"), Required: true}},
			Services: []kiosk.Service{{
				ID: "birth_extract_copy", Procedure: "2.000635", Level: 4, Form: "extract_copy", Event: "birth",
				Name: tx("Trích lục khai sinh", "Birth extract"), Summary: tx("Bản sao", "A copy"), Processing: tx("Trong ngày", "Same day"),
				ProcessingDays: 1, Fee: "extract", Documents: tx("Căn cước", "ID card"),
				Steps: []kiosk.Step{{ID: "requester", Title: tx("Người yêu cầu", "Requester"), Fields: []kiosk.Field{{
					ID: "requester.relation", Kind: "select", Label: tx("Quan hệ", "Relation"), Help: tx("Chọn", "Choose"),
					Required: true, Options: "relations", Default: "self"}}}},
			}},
			Fees:        []kiosk.FeeRule{{ID: "extract", AmountVND: 8000, Per: kiosk.PerCopy, Basis: tx("TT 281", "Circular 281"), ValidFrom: "2025-07-01", ValidTo: "2026-12-31"}},
			Waivers:     []kiosk.Waiver{{ID: "digital", Fee: "extract", ValidFrom: "2025-07-01", ValidTo: "2026-12-31", Condition: tx("Có VNeID", "Has VNeID"), Basis: tx("NQ 01", "Res. 01"), Field: "extra.digital_citizen"}},
			Postage:     kiosk.Postage{TariffVND: 25000, Text: tx("Bưu phí", "Postage")},
			OptionLists: map[string][]kiosk.Option{"relations": {{ID: "parent", Label: tx("Cha, mẹ", "Parent"), Close: true}}},
			Holidays:    []string{"2026-09-02"},
			OfficeHours: &kiosk.OfficeHours{Open: "07:30", Close: "17:00"},
		}, true},
		{"Unit[]", []kiosk.Unit{{Code: "00004", Name: "Phường Ba Đình", ProvinceCode: "01", Kind: "phường"}}, true},
		{"FormerUnit[]", []FormerUnitView{{Code: "00001", Name: "Phường Phúc Xá", District: "Quận Ba Đình", NowPartOf: []string{"Phường Hồng Hà"}, NewCodes: []string{"00070"}, OfficeText: "UBND phường Phúc Xá, quận Ba Đình"}}, true},
		{"Request", kiosk.Request{
			Service: "birth_extract_copy",
			Requester: kiosk.Requester{FullName: "Nguyễn Văn An", PersonalID: "001090012345", Phone: "0912345678",
				Residence: kiosk.Address{Province: "01", Commune: "00004", Street: "1 Hàng Đào"}, Relation: "self",
				Authorisation: "Giấy uỷ quyền", BirthDate: "1990-01-02", Sex: "male"},
			Subject: kiosk.Person{FullName: "Nguyễn Văn An", BirthDate: "1990-01-02", Sex: "male", Ethnicity: "kinh", Nationality: "VN",
				PersonalID: "001090012345", SpouseName: "Trần Thị Bình"},
			Event:    "birth",
			Register: kiosk.Register{Office: "00004", OfficeText: "UBND phường Ba Đình", Date: "1990-01-10", Number: "12", Book: "01"},
			Copies:   2,
			Delivery: kiosk.Delivery{Method: "post", Address: kiosk.Address{Province: "01", Commune: "00004", Street: "1 Hàng Đào"}, Recipient: "Nguyễn Văn An", Phone: "0912345678"},
			Consent:  kiosk.Consent{NoticeVersion: "2026.1", Purposes: []string{"process"}, AcceptedAt: at1},
			Purpose:  "personal", Extra: map[string]string{"digital_citizen": "true"},
			CatalogueVersion: "2026.11", QuotedVND: 16000,
		}, true},
		{"Problem[]", []kiosk.Problem{problem}, true},
		{"Quote", quote, true},
		{"Receipt", receipt, true},
		{"LookupQuery", LookupQuery{Code: "K7M4HXR9P", IDLast4: "2345"}, true},
		{"StatusView", StatusView{Found: true, Code: "K7M4HXR9P", NeedIDLast4: true, IDLast4Wrong: true, AskStaff: true, Source: "city", Offline: true,
			ServiceName: tx("Trích lục khai sinh", "Birth extract"), State: "sent", Status: "accepted", StatusText: message,
			StatusNote: "ok", StatusChangedAt: at1, CreatedAt: at2, ReceivedAt: at1}, true},
		{"StatusView.need_last4", StatusView{Found: true, Code: "K7M4HXR9P", NeedIDLast4: true}, false},
		{"StatusView.city_offline", StatusView{Code: "K7M4HXR9P", Source: "city", Offline: true, StatusText: msg("lookup_city_offline")}, false},
		{"UnlockResult", UnlockResult{Token: "0123abcd"}, true},
		{"StaffOverview", Overview{Counts: QueueCounts{Queued: 2, Sent: 10, Quarantined: 1, OldestUnsent: at2}, LastSync: last, Running: true,
			Progress: progress, Alarms: []Message{message}, Identity: &identity, Settings: settings}, true},
		// Not enrolled, never synced: no identity, no time of a last sync
		// nor of an oldest unsent request (never Go's zero time).
		{"StaffOverview.unenrolled", Overview{Alarms: []Message{msg("alarm_not_enrolled")}, Settings: settings}, false},
		{"SyncProgressView", ProgressView{Running: true, Progress: progress, Last: last}, true},
		{"QuarantineItem[]", []QuarantineView{{RequestID: "01JDX4", Code: "K7M4HXR9P", Service: "birth_extract_copy", Outcome: syncproto.Rejected, Reason: "delivery.address: required", At: at1}}, true},
		{"USBDrive[]", []USBDrive{{Path: "/media/usb", Label: "usb", Files: []string{"receipts.json"}}}, true},
		{"USBResult", USBResult{Path: "/media/usb/bundle.json", Count: 3, Acks: 2, Statuses: 1}, true},
		{"Identity", identity, true},
		{"Settings", settings, true},
		{"PrintResult", PrintResult{Printed: true, Kind: printer.KindESCPOS}, true},
		{"PrinterStatus", printer.Status{Kind: printer.KindESCPOS, Target: "/dev/usb/lp0", State: printer.StateOffline,
			LastError: &printer.Problem{State: printer.StateOffline, Code: printer.ProblemNotFound, Target: "/dev/usb/lp0", At: at1}, LastJobAt: at2, Jobs: 4}, true},
		{"PrinterStatus.new", printer.Status{Kind: printer.KindPDF, Target: "out", State: printer.StateUnknown}, false},
		{"ScannerStatus", ScannerStatus{Enabled: true, Setting: "auto", Port: "/dev/ttyACM0", Error: "no such port"}, true},
		{"ScanBatch", ScanBatch{Enabled: true, Scans: []ScanView{{Seq: 3, Text: "001090012345|"}}, Last: 3}, true},
		{"Error", &Error{Code: CodeValidation, Message: message, Problems: []kiosk.Problem{problem},
			Detail: &ErrorDetail{AttemptsLeft: 3, LockedUntil: at1, PrinterState: printer.StateOffline}}, true},
		{"Error.plain", newError(CodeLocked, msg("staff_locked", "until", "15:04"), nil), false},
	}
}

// TestAPIContract writes (with -update) or checks the goldens.
func TestAPIContract(t *testing.T) {
	files := map[string][]byte{}
	haveType := map[string]bool{}
	for _, s := range apiSamples() {
		if s.full {
			if missing := zeroFields(reflect.ValueOf(s.value), s.name); len(missing) > 0 {
				t.Errorf("sample %s leaves fields unset, so the golden does not show them: %s", s.name, strings.Join(missing, ", "))
			}
			haveType[s.name] = true
		}
		b, err := json.MarshalIndent(s.value, "", "  ")
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		files[s.name+".json"] = append(b, '\n')
	}
	methods, err := json.MarshalIndent(facadeMethods(t, haveType), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	files["methods.json"] = append(methods, '\n')

	if *update {
		if err := os.MkdirAll(apiGoldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(apiGoldenDir, "*.json"))
		for _, f := range old {
			if _, ok := files[filepath.Base(f)]; !ok {
				os.Remove(f)
			}
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(apiGoldenDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	onDisk, _ := filepath.Glob(filepath.Join(apiGoldenDir, "*.json"))
	for _, f := range onDisk {
		if _, ok := files[filepath.Base(f)]; !ok {
			t.Errorf("%s has no sample here any more; run go test ./app -run TestAPIContract -update", f)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(apiGoldenDir, name))
			if err != nil {
				t.Fatalf("%v; run go test ./app -run TestAPIContract -update", err)
			}
			if !bytes.Equal(got, files[name]) {
				t.Errorf("%s differs from what Go sends now:\n%s\nrun go test ./app -run TestAPIContract -update and follow the change in frontend/src/lib/api", name, files[name])
			}
		})
	}
}

// methodSig is one facade method in methods.json.
type methodSig struct {
	Args   []string `json:"args"`
	Result string   `json:"result"` // "void": only an error
}

// facadeMethods lists every exported method of every bound facade, with
// the wire names of its arguments and result; each named type must have a
// full sample.
func facadeMethods(t *testing.T, haveType map[string]bool) map[string]methodSig {
	t.Helper()
	out := map[string]methodSig{}
	name := func(where string, ty reflect.Type) string {
		n, ok := wireName[ty]
		if !ok {
			t.Errorf("%s: %s has no name in wireName; add it and a sample", where, ty)
			return ty.String()
		}
		if !slices.Contains([]string{"string", "number"}, n) && !haveType[n] {
			t.Errorf("%s: %s (%s) has no full sample in apiSamples", where, n, ty)
		}
		return n
	}
	for _, f := range (&Node{}).Bindings() {
		ft := reflect.TypeOf(f)
		facade := ft.Elem().Name()
		for i := range ft.NumMethod() {
			m := ft.Method(i)
			where := facade + "." + m.Name
			sig := methodSig{Args: []string{}, Result: "void"}
			for j := 1; j < m.Type.NumIn(); j++ {
				sig.Args = append(sig.Args, name(where, m.Type.In(j)))
			}
			switch m.Type.NumOut() {
			case 1:
			case 2:
				sig.Result = name(where, m.Type.Out(0))
			default:
				t.Errorf("%s returns %d values; a facade method returns (T, error) or error", where, m.Type.NumOut())
			}
			if m.Type.NumOut() == 0 || m.Type.Out(m.Type.NumOut()-1) != errorType {
				t.Errorf("%s does not end in error", where)
			}
			out[where] = sig
		}
	}
	return out
}

// zeroFields names the fields of v (recursively) left at their zero
// value, and the slices and maps left empty.
func zeroFields(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return []string{path}
		}
		return zeroFields(v.Elem(), path)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			if v.Interface().(time.Time).IsZero() {
				return []string{path}
			}
			return nil
		}
		var out []string
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			out = append(out, zeroFields(v.Field(i), path+"."+f.Name)...)
		}
		return out
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return []string{path}
		}
		if v.Kind() == reflect.Slice {
			var out []string
			for i := range v.Len() {
				out = append(out, zeroFields(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
			}
			return out
		}
		var out []string
		for _, k := range v.MapKeys() {
			out = append(out, zeroFields(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k))...)
		}
		return out
	default:
		if v.IsZero() {
			return []string{path}
		}
		return nil
	}
}
