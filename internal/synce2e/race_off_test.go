//go:build !race

package synce2e

const raceEnabled = false
