// Package syncclient is the HTTP transport of the syncer (kiosk to city):
// signed, gzipped requests and strict reading of the city's envelopes. It
// implements the syncer's Transport and Enroller in syncproto's types and
// returns syncproto's transport error kinds. Imported by app, which wires
// it into the syncer; the syncer does not import it.
package syncclient
