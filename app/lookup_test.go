package app

import (
	"strings"
	"testing"
	"time"

	"communekiosk/kiosk"
)

// last4 is the last 4 digits of the sample draft's personal ID.
func last4(t *testing.T) string {
	t.Helper()
	id := sampleDraft(t).Requester.PersonalID
	return id[len(id)-4:]
}

func TestLookupAsksASecondFact(t *testing.T) {
	n, clk := newTestNode(t, true)
	rv, err := n.Requests.Submit(sampleDraft(t))
	if err != nil {
		t.Fatal(err)
	}
	right := last4(t)
	wrong := "0000"
	if wrong == right {
		wrong = "1111"
	}
	tests := []struct {
		name   string
		last4  string
		check  func(StatusView) bool
		detail bool // the view shows the request's details
	}{
		{"code only: found, nothing more", "", func(v StatusView) bool { return v.Found && v.NeedIDLast4 && !v.IDLast4Wrong }, false},
		{"not four digits: asked again", "12a4", func(v StatusView) bool { return v.Found && v.NeedIDLast4 }, false},
		{"wrong digits: said so, nothing shown", wrong, func(v StatusView) bool { return v.Found && v.NeedIDLast4 && v.IDLast4Wrong }, false},
		{"right digits: the status", right, func(v StatusView) bool { return v.Found && !v.NeedIDLast4 && v.State == "queued" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := n.Lookup.Status(LookupQuery{Code: strings.ToLower(rv.Code), IDLast4: tt.last4})
			if err != nil || !tt.check(v) {
				t.Fatalf("got %+v, %v", v, err)
			}
			shown := v.ServiceName.VI != "" || !v.StatusText.IsZero() || !v.CreatedAt.IsZero() || v.State != ""
			if shown != tt.detail {
				t.Errorf("details shown = %v, want %v: %+v", shown, tt.detail, v)
			}
		})
	}
	t.Run("five wrong tries lock the code, the right digits wait too", func(t *testing.T) {
		for i := 0; i < factTries; i++ {
			if _, err := n.Lookup.Status(LookupQuery{Code: rv.Code, IDLast4: wrong}); err != nil {
				t.Fatalf("try %d: %v", i+1, err)
			}
		}
		_, err := n.Lookup.Status(LookupQuery{Code: rv.Code, IDLast4: right})
		if e := asError(err); err == nil || e.Code != CodeLocked {
			t.Fatalf("after %d wrong tries: %v, want locked", factTries, err)
		}
		clk.t = clk.t.Add(factLockout + time.Second)
		v, err := n.Lookup.Status(LookupQuery{Code: rv.Code, IDLast4: right})
		if err != nil || v.State != "queued" {
			t.Fatalf("after the lockout: %+v, %v", v, err)
		}
	})
	t.Run("a request without a stored fact: found, ask the staff", func(t *testing.T) {
		rv2, err := n.Requests.Submit(sampleDraft(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := n.db.SetSetting(settingLookupFactAt+rv2.Code, ""); err != nil {
			t.Fatal(err)
		}
		v, err := n.Lookup.Status(LookupQuery{Code: rv2.Code, IDLast4: right})
		if err != nil || !v.Found || !v.AskStaff || v.State != "" || v.ServiceName.VI != "" {
			t.Fatalf("got %+v, %v", v, err)
		}
	})
	t.Run("a mistyped code fails its check symbol", func(t *testing.T) {
		b := []byte(rv.Code)
		b[0], b[1] = b[1], b[0]
		if b[0] == b[1] {
			b[0], b[2] = b[2], b[0]
		}
		_, err := n.Lookup.Status(LookupQuery{Code: string(b), IDLast4: right})
		if e := asError(err); err == nil || e.Code != CodeBadInput {
			t.Fatalf("got %v, want bad_input", err)
		}
	})
	t.Run("a well-formed code of no request is not found", func(t *testing.T) {
		code, err := kiosk.NewReceiptCode(7, 999)
		if err != nil {
			t.Fatal(err)
		}
		v, err := n.Lookup.Status(LookupQuery{Code: code, IDLast4: right})
		if err != nil || v.Found {
			t.Fatalf("got %+v, %v", v, err)
		}
	})
}
