// Package kioskdb is the kiosk's bbolt store: requests, outbox, statuses,
// quarantine, meta and audit; migrations, integrity checks, backups and
// payload sealing. Imported by app and sync/syncer.
package kioskdb
