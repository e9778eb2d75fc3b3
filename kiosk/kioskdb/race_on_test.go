//go:build race

package kioskdb

const raceEnabled = true
