// Package syncer is the kiosk side of sync: RunOnce (push, then pull), the
// cron schedule, backoff, single flight, progress and USB bundles. Imported
// by app.
package syncer
