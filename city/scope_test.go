package city

import (
	"slices"
	"testing"
)

func TestScopeOffices(t *testing.T) {
	tests := []struct {
		name     string
		communes []string
		office   string
		want     []string
	}{
		{"empty scope reads nothing", nil, "", nil},
		{"empty scope, an office asked", nil, "00004", nil},
		{"whole scope, sorted, no repeats", []string{"00008", "00004", "00008", ""}, "", []string{"00004", "00008"}},
		{"narrowed to an office in scope", []string{"00004", "00008"}, "00008", []string{"00008"}},
		{"an office outside the scope reads nothing", []string{"00004"}, "00008", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Scope{Communes: tt.communes}).Offices(tt.office); !slices.Equal(got, tt.want) {
				t.Fatalf("Offices(%q) = %v, want %v", tt.office, got, tt.want)
			}
		})
	}
}
