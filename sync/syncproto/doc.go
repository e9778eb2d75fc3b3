// Package syncproto is the wire contract between a kiosk and the city:
// versioned messages, item results, cursors and request signing.
//
// It imports only the standard library and is the only code shared by the
// kiosk side (sync/syncer, sync/syncclient) and the city side (city).
package syncproto
