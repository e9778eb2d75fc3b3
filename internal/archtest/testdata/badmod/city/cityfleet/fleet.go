// Package cityfleet has no rule of its own, so importing the kiosk's
// store is no direct violation; cityd reaching it is.
package cityfleet

import _ "communekiosk/kiosk/kioskdb"
