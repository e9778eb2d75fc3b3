// Package syncer is the kiosk side of sync: RunOnce (push, then pull), the
// cron schedule, backoff, single flight, progress and USB bundles. It
// depends on the wire contract (sync/syncproto) only: its interfaces speak
// syncproto's types, kiosk/kioskdb and sync/syncclient implement them, and
// app wires them. It says nothing to people in words: failures and alarms
// are codes with parameters (ErrorCode, Alarm) that app and the frontend
// render. Imported by app.
package syncer
