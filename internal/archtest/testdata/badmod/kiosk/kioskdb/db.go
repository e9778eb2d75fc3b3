package kioskdb

import _ "go.etcd.io/bbolt"
