//go:build race

package synce2e

// raceEnabled is true under the race detector, which makes sealing and
// validation about ten times slower: the default sizes shrink so the run
// stays bounded, and KIOSK_LONG=1 restores them.
const raceEnabled = true
