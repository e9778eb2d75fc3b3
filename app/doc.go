// Package app composes a kiosk node (store, sync engine, facades) for both
// shells and holds the facades the UI calls (Requests, Lookup, Staff),
// their DTOs and error codes. web.go serves the same methods as JSON over
// HTTP for kioskd. Imported only by main.go and cmd/kioskd.
package app
