package kiosk

import (
	_ "communekiosk/kiosk/kioskdb"
	_ "go.etcd.io/bbolt"
	_ "golang.org/x/text/unicode/norm"
	_ "strings"
)
