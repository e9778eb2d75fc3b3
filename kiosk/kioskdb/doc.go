// Package kioskdb is the kiosk's bbolt store: requests, outbox, statuses,
// quarantine, meta and audit; migrations, integrity checks, backups and
// payload sealing. It speaks syncproto's wire types for what it shares
// with the sync engine (items, results, cursors, status changes, the
// kiosk's identity) and implements the engine's interfaces, which app
// wires; it imports neither the engine nor the transport. Imported by app.
package kioskdb
