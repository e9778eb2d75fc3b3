// Package citypg is the PostgreSQL implementation of city.Store (pgx and
// pgxpool), for cities that run several cityd on one database. It is the
// only package of the module that imports pgx. Imported by cmd/cityd.
//
// Uniqueness and ordering come from the database: request_id is a primary
// key, each kiosk's status feed is numbered from a counter on the kiosk's
// row, bumped in the transaction that appends (gap-free and in commit
// order), replay nonces are a table shared by every instance. No session
// state is relied on (no LISTEN, no session advisory locks, no SET), so
// it works behind PgBouncer in transaction mode.
package citypg
