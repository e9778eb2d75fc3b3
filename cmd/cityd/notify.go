package main

import (
	"context"
	"log/slog"
	"os"

	"communekiosk/internal/sdnotify"
)

// notifyReady tells systemd (Type=notify) that cityd serves, and runs the
// watchdog, which pings only while ping (the store) answers.
func notifyReady(ctx context.Context, ping func(context.Context) error, log *slog.Logger) {
	n := sdnotify.FromEnv(os.Getenv)
	if _, err := n.Notify("READY=1"); err != nil {
		log.Warn("Could not tell systemd cityd is ready", "err", err)
	}
	timeout, err := sdnotify.WatchdogInterval(os.Getenv, os.Getpid())
	if err != nil {
		log.Warn("Watchdog off", "err", err)
	}
	go n.Watchdog(ctx, sdnotify.WatchdogOptions{Timeout: timeout, Check: ping, Logger: log})
}

func notifyStopping() { sdnotify.FromEnv(os.Getenv).Notify("STOPPING=1") }
