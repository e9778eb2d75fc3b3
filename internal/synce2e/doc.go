// Package synce2e holds the end-to-end tests of sync: a real syncer and
// kioskdb against a real city over HTTP on loopback, through a
// fault-injecting proxy, with kiosk processes killed mid-sync. The package
// itself only provides the proxy; it is imported by nothing but its tests.
package synce2e
