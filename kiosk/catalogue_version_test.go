package kiosk

import "testing"

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2026.11.1", "2026.11.1", 0},
		{"2026.11.1", "2026.11.2", -1},
		{"2026.9.5", "2026.11.1", -1},
		{"2027.1.0", "2026.12.99", 1},
		{"bad", "2026.11.1", -1},
		{"2026.11.1", "", 1},
		{"", "", 0},
	} {
		t.Run(tc.a+" vs "+tc.b, func(t *testing.T) {
			if got := CompareVersions(tc.a, tc.b); got != tc.want {
				t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if got := CompareVersions(tc.b, tc.a); got != -tc.want {
				t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	for code, m := range messages {
		for _, s := range []string{m.VI, m.EN} {
			if len(s) < 4 || s[:4] != "%s: " {
				t.Errorf("%s: message %q does not start with the field label", code, s)
			}
		}
		if m.VI == m.EN {
			t.Errorf("%s: Vietnamese text is the English one", code)
		}
	}
}
