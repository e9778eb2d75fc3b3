package app

import (
	"strings"
	"testing"

	"communekiosk/sync/syncer"
	"communekiosk/sync/syncproto"

	"golang.org/x/text/unicode/norm"
)

// TestSyncErrorWords: every code of a failed sync has words in both
// languages, in NFC, in the UI's catalogues.
func TestSyncErrorWords(t *testing.T) {
	for _, code := range syncproto.SyncErrorCodes() {
		t.Run(code, func(t *testing.T) {
			w := words(t, syncErrorMsg(code))
			if w.VI == "" || w.EN == "" {
				t.Fatalf("missing words: %+v", w)
			}
			if !norm.NFC.IsNormalString(w.VI) {
				t.Errorf("not NFC: %q", w.VI)
			}
		})
	}
	if got := words(t, syncErrorMsg(syncer.CodeUnreachable)).VI; got != "Không kết nối được tới máy chủ thành phố" {
		t.Fatalf("unreachable text changed: %q", got)
	}
	// A replay is not an enrolment problem.
	if en := words(t, syncErrorMsg(syncer.CodeReplay)).EN; !strings.Contains(en, "reset-clock") || strings.Contains(en, "must be enrolled") {
		t.Fatalf("replay: %q", en)
	}
}

// TestSyncAlarmWords: each alarm the engine raises is said in both
// languages with its parameters. The clock's offset is written out by the
// UI ({offset}; frontend/src/lib/i18n/messages.test.ts checks its words).
func TestSyncAlarmWords(t *testing.T) {
	tests := []struct {
		name       string
		alarm      syncer.Alarm
		wantVI     string
		wantEN     string
		unwantedEN string
	}{
		{"enrolment", syncer.Alarm{Code: syncer.AlarmEnrolment}, "đăng ký lại ki-ốt", "enrol the kiosk again", ""},
		{"unsent", syncer.Alarm{Code: syncer.AlarmUnsent}, "chuyển bằng USB", "move it by USB", ""},
		{"replay", syncer.Alarm{Code: syncer.AlarmReplay, Params: map[string]string{syncer.ParamKioskID: "K1"}},
			"cityd reset-clock K1", "cityd reset-clock K1", "<kiosk ID>"},
		{"replay before the kiosk ID is known", syncer.Alarm{Code: syncer.AlarmReplay}, "cityd reset-clock <mã ki-ốt>", "cityd reset-clock <kiosk ID>", ""},
		{"skew", syncer.Alarm{Code: syncer.AlarmSkew, Params: map[string]string{syncer.ParamOffsetMinutes: "180"}}, "lệch {offset} so với", "{offset} off", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := words(t, syncAlarmMsg(tt.alarm))
			if !strings.Contains(w.VI, tt.wantVI) || !strings.Contains(w.EN, tt.wantEN) {
				t.Fatalf("words %+v; want %q and %q", w, tt.wantVI, tt.wantEN)
			}
			if tt.unwantedEN != "" && strings.Contains(w.EN, tt.unwantedEN) {
				t.Fatalf("%q in %q", tt.unwantedEN, w.EN)
			}
			if !norm.NFC.IsNormalString(w.VI) {
				t.Errorf("not NFC: %q", w.VI)
			}
		})
	}
	if m := syncAlarmMsg(syncer.Alarm{Code: syncer.AlarmSkew, Params: map[string]string{syncer.ParamOffsetMinutes: "180"}}); m.Params["offset_minutes"] != "180" {
		t.Fatalf("skew alarm %+v: the UI needs offset_minutes", m)
	}
}
