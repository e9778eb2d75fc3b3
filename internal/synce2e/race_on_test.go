//go:build race

package synce2e

// raceEnabled is true under the race detector, which makes sealing and
// validation several times slower. TestOfflineThenSync still submits
// 10,000 requests (about 35 s to submit and 25 s to sync under -race on
// this machine); KIOSK_E2E_SMALL=1 submits 2,000 when the machine is busy.
const raceEnabled = true
