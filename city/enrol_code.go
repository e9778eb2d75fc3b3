package city

import (
	"crypto/rand"

	"communekiosk/sync/syncproto"
)

// NewEnrolCode returns a random one-time code of syncproto.EnrolCodeLen
// characters in groups of four ("7KQM-X3AD-9TWF-HC4P"): 15 random
// characters (about 68 bits) and a check character, so a mistyped code is
// caught on the kiosk before anything is sent.
func NewEnrolCode() string {
	body := make([]byte, 0, syncproto.EnrolCodeLen-1)
	alpha := syncproto.EnrolCodeAlphabet
	limit := 256 - 256%len(alpha) // rejection sampling: no bias
	var b [1]byte
	for len(body) < cap(body) {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err)
		}
		if int(b[0]) < limit {
			body = append(body, alpha[int(b[0])%len(alpha)])
		}
	}
	c, err := syncproto.EnrolCodeCheck(string(body))
	if err != nil {
		panic(err)
	}
	return syncproto.FormatEnrolCode(string(append(body, c)))
}
