package kiosk

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefaultCatalogue(t *testing.T) {
	cat := mustCatalogue(t)
	if cat.Version == "" || cat.NoticeVersion == "" {
		t.Fatal("no version")
	}
	for _, tc := range []struct{ id, event string }{
		{"birth_extract_copy", "birth"}, {"death_extract_copy", "death"}, {"marriage_extract_copy", "marriage"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			s, ok := cat.Service(tc.id)
			if !ok || s.Procedure != "2.000635" || s.Level != 4 || s.Form != FormExtractCopy || s.Event != tc.event {
				t.Fatalf("%s: %+v", tc.id, s)
			}
			var steps []string
			for _, st := range s.Steps {
				steps = append(steps, st.ID)
			}
			if !slices.Equal(steps, []string{StepRequester, StepRecord, StepDelivery}) {
				t.Errorf("%s steps %v", tc.id, steps)
			}
			if r, ok := cat.FeeRuleAt(s.Fee, "2026-11-28"); !ok || r.AmountVND != 8000 || r.Per != PerCopy {
				t.Errorf("%s fee %+v", tc.id, r)
			}
			for _, f := range []string{"requester.full_name", "requester.personal_id", "requester.phone", "requester.residence",
				"requester.relation", "requester.authorisation", "subject.full_name", "subject.birth_date",
				"register.office", "register.date", "register.number", "register.book", "copies", "delivery.method", "delivery.address"} {
				if _, _, ok := s.Field(f); !ok {
					t.Errorf("%s has no field %s", tc.id, f)
				}
			}
		})
	}
	ms, ok := cat.Service("marital_status_confirmation")
	if !ok || ms.Procedure != "1.004873" || ms.Form != FormMaritalStatus || len(ms.Steps) == 0 {
		t.Fatalf("marital status: %+v", ms)
	}
	// Every procedure of the research table §1.7 is in the catalogue.
	procs := map[string]bool{}
	for _, s := range cat.Services {
		procs[s.Procedure] = true
	}
	for _, p := range []string{"1.001193", "1.000656", "1.000894", "1.004873", "1.004859", "1.004884", "1.005461",
		"1.004746", "1.004772", "1.001022", "1.000689", "1.004837", "1.004845", "2.000528", "2.000806",
		"2.000986", "2.001023", "2.000815", "2.000884", "2.001035", "2.001019", "2.001016", "2.000908"} {
		if !procs[p] {
			t.Errorf("procedure %s missing", p)
		}
	}
	if n := len(cat.Options("ethnicities")); n != 54 {
		t.Errorf("%d ethnic groups, want 54", n)
	}
	if len(cat.Waivers) != 1 || cat.Waivers[0].ValidFrom != "2026-08-15" || cat.Waivers[0].ValidTo != "2027-02-28" {
		t.Errorf("waivers %+v", cat.Waivers)
	}
	// Two loads do not share state.
	cat.Services[0].Name.VI = "x"
	if mustCatalogue(t).Services[0].Name.VI == "x" {
		t.Error("DefaultCatalogue shares state")
	}
}

// TestCatalogueRoundTrip: what the UI receives parses back to the same.
func TestCatalogueRoundTrip(t *testing.T) {
	cat := mustCatalogue(t)
	b, err := json.Marshal(cat)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseCatalogue(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if !bytes.Equal(b, b2) {
		t.Fatal("round trip changed the catalogue")
	}
}

func TestParseCatalogueRejects(t *testing.T) {
	base := func() map[string]any {
		var m map[string]any
		if err := json.Unmarshal(defaultCatalogueJSON, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	svc := func(m map[string]any, i int) map[string]any { return m["services"].([]any)[i].(map[string]any) }
	field := func(m map[string]any, s, st, f int) map[string]any {
		return svc(m, s)["steps"].([]any)[st].(map[string]any)["fields"].([]any)[f].(map[string]any)
	}
	tests := []struct {
		name string
		edit func(m map[string]any)
		raw  string
	}{
		{name: "unknown top-level key", edit: func(m map[string]any) { m["colour"] = "red" }},
		{name: "bad version", edit: func(m map[string]any) { m["version"] = "latest" }},
		{name: "no services", edit: func(m map[string]any) { m["services"] = []any{} }},
		{name: "duplicate service", edit: func(m map[string]any) {
			m["services"] = append(m["services"].([]any), m["services"].([]any)[0])
		}},
		{name: "missing English name", edit: func(m map[string]any) { svc(m, 0)["name"] = map[string]any{"vi": "Khai sinh"} }},
		{name: "decomposed Vietnamese", edit: func(m map[string]any) {
			svc(m, 0)["name"] = map[string]any{"vi": "Tha\u0300nh", "en": "Birth"}
		}},
		{name: "unknown fee", edit: func(m map[string]any) { svc(m, 0)["fee"] = "nope" }},
		{name: "bad form", edit: func(m map[string]any) { svc(m, 0)["form"] = "paper" }},
		{name: "bad level", edit: func(m map[string]any) { svc(m, 0)["level"] = 7 }},
		{name: "bad procedure", edit: func(m map[string]any) { svc(m, 0)["procedure"] = "2000635" }},
		{name: "unknown event", edit: func(m map[string]any) { svc(m, 0)["event"] = "coronation" }},
		{name: "field kind", edit: func(m map[string]any) { field(m, 0, 0, 0)["kind"] = "colour" }},
		{name: "field path", edit: func(m map[string]any) { field(m, 0, 0, 0)["id"] = "requester.shoe_size" }},
		{name: "field unknown key", edit: func(m map[string]any) { field(m, 0, 0, 0)["max"] = 3 }},
		{name: "copies not a number", edit: func(m map[string]any) { field(m, 0, 2, 0)["kind"] = "text" }},
		{name: "address kind on extra", edit: func(m map[string]any) { field(m, 0, 2, 3)["kind"] = "address" }},
		{name: "relation with other list", edit: func(m map[string]any) { field(m, 0, 0, 4)["options"] = "sex" }},
		{name: "select default not an option", edit: func(m map[string]any) { field(m, 0, 0, 4)["default"] = "friend" }},
		{name: "select without list", edit: func(m map[string]any) { field(m, 0, 0, 4)["options"] = "nope" }},
		{name: "duplicate field", edit: func(m map[string]any) { field(m, 0, 0, 1)["id"] = "requester.full_name" }},
		{name: "reserved step id", edit: func(m map[string]any) { svc(m, 0)["steps"].([]any)[0].(map[string]any)["id"] = "review" }},
		{name: "counter without documents", edit: func(m map[string]any) { delete(svc(m, 5), "documents") }},
		{name: "counter with steps", edit: func(m map[string]any) { svc(m, 5)["steps"] = svc(m, 0)["steps"] }},
		{name: "negative fee", edit: func(m map[string]any) { m["fees"].([]any)[0].(map[string]any)["amount_vnd"] = -1 }},
		{name: "fee per", edit: func(m map[string]any) { m["fees"].([]any)[0].(map[string]any)["per"] = "kg" }},
		{name: "fee dates reversed", edit: func(m map[string]any) {
			m["fees"].([]any)[0].(map[string]any)["valid_to"] = "2010-01-01"
		}},
		{name: "overlapping fee rules", edit: func(m map[string]any) {
			m["fees"] = append(m["fees"].([]any), m["fees"].([]any)[0])
		}},
		{name: "waiver unknown fee", edit: func(m map[string]any) { m["waivers"].([]any)[0].(map[string]any)["fee"] = "nope" }},
		{name: "waiver bad date", edit: func(m map[string]any) { m["waivers"].([]any)[0].(map[string]any)["valid_from"] = "15/08/2026" }},
		{name: "waiver field", edit: func(m map[string]any) { m["waivers"].([]any)[0].(map[string]any)["field"] = "copies" }},
		{name: "no required purpose", edit: func(m map[string]any) { m["purposes"] = []any{} }},
		{name: "no self relation", edit: func(m map[string]any) {
			m["option_lists"].(map[string]any)["relations"] = []any{map[string]any{"id": "other", "label": map[string]any{"vi": "Khác", "en": "Other"}}}
		}},
		{name: "no post delivery", edit: func(m map[string]any) {
			m["option_lists"].(map[string]any)["delivery"] = m["option_lists"].(map[string]any)["delivery"].([]any)[:1]
		}},
		{name: "holidays unsorted", edit: func(m map[string]any) { m["holidays"] = []any{"2027-05-01", "2027-04-30"} }},
		{name: "holiday not a date", edit: func(m map[string]any) { m["holidays"] = []any{"30/04/2027"} }},
		{name: "office hours not a time", edit: func(m map[string]any) { m["office_hours"] = map[string]any{"open": "7h30", "close": "17:00"} }},
		{name: "office hours reversed", edit: func(m map[string]any) { m["office_hours"] = map[string]any{"open": "17:00", "close": "07:30"} }},
		{name: "postage negative", edit: func(m map[string]any) { m["postage"].(map[string]any)["tariff_vnd"] = -5 }},
		{name: "trailing data", raw: string(defaultCatalogueJSON) + "{}"},
		{name: "not JSON", raw: "version: 1"},
		{name: "not UTF-8", raw: "{\"version\": \"\xff\"}"},
		{name: "empty", raw: ""},
		{name: "null", raw: "null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.raw)
			if tc.edit != nil {
				m := base()
				tc.edit(m)
				var err error
				if data, err = json.Marshal(m); err != nil {
					t.Fatal(err)
				}
			}
			_, err := ParseCatalogue(data)
			if !errors.Is(err, ErrCatalogue) {
				t.Fatalf("err = %v, want ErrCatalogue", err)
			}
		})
	}
}

// TestCatalogueServiceIndex pins the indexes TestParseCatalogueRejects
// edits, so a reordered catalogue fails here with a clear message.
func TestCatalogueServiceIndex(t *testing.T) {
	cat := mustCatalogue(t)
	if cat.Services[0].ID != "birth_extract_copy" || cat.Services[5].Form != FormCounter ||
		cat.Services[0].Steps[0].Fields[4].Kind != KindSelect {
		t.Fatal("catalogue order changed; update TestParseCatalogueRejects")
	}
}

func TestCatalogueTextsAreVietnamese(t *testing.T) {
	// Every Vietnamese text has Vietnamese letters or is short; a cheap
	// guard against English pasted into "vi".
	cat := mustCatalogue(t)
	for _, s := range cat.Services {
		for _, txt := range []Text{s.Name, s.Summary, s.Processing} {
			if !strings.ContainsAny(txt.VI, "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ") {
				t.Errorf("%s: %q has no Vietnamese letter", s.ID, txt.VI)
			}
		}
	}
}

func FuzzParseCatalogue(f *testing.F) {
	f.Add(defaultCatalogueJSON)
	files, _ := filepath.Glob(filepath.Join("testdata", "catalogue", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := ParseCatalogue(data)
		if err != nil {
			if !errors.Is(err, ErrCatalogue) {
				t.Fatalf("error does not wrap ErrCatalogue: %v", err)
			}
			return
		}
		// A catalogue that parses round-trips, and the domain works on it.
		b, err := json.Marshal(cat)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseCatalogue(b); err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		for _, s := range cat.Services {
			r := goodRequest()
			r.Service = s.ID
			_ = Validate(r, cat, testNow)
			_ = Quote(r, cat, testNow)
			_ = ExpectedDate(s, testNow)
		}
	})
}
