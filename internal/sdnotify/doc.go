// Package sdnotify tells systemd a service's state over the notify socket
// ($NOTIFY_SOCKET: READY=1, STOPPING=1, WATCHDOG=1) and runs the watchdog,
// which pings only while a health check passes. Standard library only;
// imported by cmd/kioskd and cmd/cityd.
package sdnotify
