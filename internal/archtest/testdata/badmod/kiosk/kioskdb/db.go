package kioskdb

import (
	_ "communekiosk/kiosk"
	_ "go.etcd.io/bbolt"
)
