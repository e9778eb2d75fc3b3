// The engine may import the domain, but not the transport; and the domain
// here reaches the kiosk's store, which the engine may not reach.
package syncer

import (
	_ "communekiosk/kiosk"
	_ "communekiosk/sync/syncclient"
)
