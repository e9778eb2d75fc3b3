package city

import (
	_ "communekiosk/kiosk"
	_ "communekiosk/kiosk/kioskdb"
	_ "golang.org/x/crypto/nacl/box"
)
