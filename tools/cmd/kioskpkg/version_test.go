package main

import "testing"

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, deb, win string
		err          bool
	}{
		{in: "v1.2.3", deb: "1.2.3", win: "1.2.3.0"},
		{in: "1.2.3", deb: "1.2.3", win: "1.2.3.0"},
		{in: "v1.2.3-4-gabc1234", deb: "1.2.3+4.gabc1234", win: "1.2.3.4"},
		{in: "v1.2.3-4-gabc1234-dirty", deb: "1.2.3+4.gabc1234~dirty", win: "1.2.3.4"},
		{in: "46953b6", deb: "0.0.0+git.46953b6", win: "0.0.0.0"},
		{in: "46953b6-dirty", deb: "0.0.0+git.46953b6~dirty", win: "0.0.0.0"},
		{in: "", err: true},
		{in: "dev", err: true},
		{in: "v1.2", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := ParseVersion(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("ParseVersion(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if tt.err {
				return
			}
			if v.Deb() != tt.deb || v.Windows() != tt.win {
				t.Fatalf("ParseVersion(%q) = deb %q windows %q, want %q %q", tt.in, v.Deb(), v.Windows(), tt.deb, tt.win)
			}
		})
	}
}
