package kiosk

import (
	"strconv"
	"strings"
)

// CompareVersions compares two catalogue versions "YYYY.M.N" numerically
// ("2026.11.1" < "2026.12.0" < "2027.1.0"), returning -1, 0 or +1. A
// version that is not well formed sorts before every well-formed one, so a
// kiosk never replaces its catalogue with one it cannot order.
func CompareVersions(a, b string) int {
	pa, oka := versionParts(a)
	pb, okb := versionParts(b)
	switch {
	case !oka && !okb:
		return strings.Compare(a, b)
	case !oka:
		return -1
	case !okb:
		return 1
	}
	for i := range pa {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func versionParts(v string) ([3]int, bool) {
	var out [3]int
	if !catalogueVersionRE.MatchString(v) {
		return out, false
	}
	for i, s := range strings.Split(v, ".") {
		n, err := strconv.Atoi(s)
		if err != nil {
			return out, false
		}
		out[i] = n
	}
	return out, true
}
