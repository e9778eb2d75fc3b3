package kiosk

import (
	"encoding/json"
	"strings"
	"testing"
)

// setPath sets a dotted path ("requester.full_name") in a JSON object.
func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

// TestEveryFormCanBeFilled fills every field of every service that has a
// form with a plausible value for its kind, through the JSON paths the UI
// uses, and expects no errors: the catalogue's fields, kinds and option
// lists fit together and each field ID reaches Request.
func TestEveryFormCanBeFilled(t *testing.T) {
	cat := mustCatalogue(t)
	for _, svc := range cat.Services {
		if svc.Form == FormCounter {
			continue
		}
		t.Run(svc.ID, func(t *testing.T) {
			m := map[string]any{"service": svc.ID}
			for _, st := range svc.Steps {
				for _, f := range st.Fields {
					var v any
					switch f.Kind {
					case KindName:
						v = "Nguyễn Văn An"
					case KindPersonalID:
						v = "001090012345"
					case KindPhone:
						v = "0912345678"
					case KindDate:
						v = "2015-01-01"
						if f.ID == "subject.birth_date" {
							v = "1990-05-17"
						}
					case KindSelect:
						v = cat.Options(f.Options)[0].ID
					case KindNumber:
						v = 1
						if f.ID != "copies" {
							v = "1"
						}
					case KindAddress:
						v = map[string]any{"province": "01", "commune": "00004", "street": "1 phố Huế"}
					case KindOffice:
						v = "00004"
					case KindCheckbox:
						v = "false"
						if f.Required {
							v = "true"
						}
					default:
						v = "Để làm thủ tục"
					}
					if f.ID == "subject.sex" {
						v = SexMale
					}
					setPath(m, f.ID, v)
				}
			}
			setPath(m, "consent", map[string]any{"notice_version": cat.NoticeVersion,
				"purposes": []string{"process_request"}, "accepted_at": testNow})
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var r Request
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&r); err != nil {
				t.Fatalf("a field ID does not reach Request: %v", err)
			}
			for _, p := range Validate(r, cat, testNow) {
				if p.Severity == SeverityError {
					t.Errorf("%s: %s", p.Field, p.Code)
				}
			}
		})
	}
}
