// Package city is the city backend: the kiosk API (enrol, push, pull,
// heartbeat), ingest, the status feed, the operator API, metrics, over a
// small Store interface. Imported by cmd/cityd and the city stores' tests.
package city
