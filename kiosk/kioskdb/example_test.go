package kioskdb_test

import (
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"

	"golang.org/x/crypto/nacl/box"
)

func Example() {
	dir, _ := os.MkdirTemp("", "kioskdb-example")
	defer os.RemoveAll(dir)

	db, err := kioskdb.Open(filepath.Join(dir, "kiosk.db"), kioskdb.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// Until enrolment the kiosk does not know the city's key.
	_, err = db.Submit(kiosk.Request{Service: "birth_extract_copy"}, time.Now())
	fmt.Println(err)

	cityPub, _, _ := box.GenerateKey(rand.Reader)
	if err := db.SetIdentity(syncproto.Identity{KioskID: "k1", Number: 42, SealKey: *cityPub}); err != nil {
		log.Fatal(err)
	}
	rc, err := db.Submit(kiosk.Request{
		Service:   "birth_extract_copy",
		Requester: kiosk.Requester{FullName: "Nguyễn Thị Hoa"},
		Copies:    1,
		Delivery:  kiosk.Delivery{Method: "pickup"},
	}, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	rec, _ := db.Lookup(rc.Code)
	fmt.Println(rc.Code, rec.State, rec.MaskedName)
	// Output:
	// kioskdb: kiosk not enrolled: no request is accepted before the kiosk knows the city's public key
	// 23T-222-23H queued N***** T** H**
}
