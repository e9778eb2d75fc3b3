// Package syncclient is the HTTP transport of the syncer (kiosk to city):
// signed, gzipped requests and strict reading of the city's envelopes.
// Imported by sync/syncer and app.
package syncclient
