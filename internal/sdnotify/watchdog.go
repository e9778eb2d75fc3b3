package sdnotify

import (
	"context"
	"log/slog"
	"time"
)

// WatchdogOptions configure Watchdog.
type WatchdogOptions struct {
	// Timeout is systemd's watchdog timeout (see WatchdogInterval); pings
	// go out at half of it.
	Timeout time.Duration
	// Check says whether the service is healthy (its store answers). A
	// failing check sends no ping, so systemd restarts a wedged service.
	Check func(ctx context.Context) error
	// Tick, when set, replaces the ticker (tests).
	Tick <-chan time.Time
	// Logger; nil means slog.Default().
	Logger *slog.Logger
}

// Watchdog pings systemd while Check passes, until ctx is done. It returns
// at once when the notifier is disabled or no timeout is set.
func (n *Notifier) Watchdog(ctx context.Context, o WatchdogOptions) {
	if !n.Enabled() || (o.Timeout <= 0 && o.Tick == nil) {
		return
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	tick := o.Tick
	if tick == nil {
		t := time.NewTicker(o.Timeout / 2)
		defer t.Stop()
		tick = t.C
	}
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		if o.Check != nil {
			cctx, cancel := context.WithTimeout(ctx, max(o.Timeout/4, time.Second))
			err := o.Check(cctx)
			cancel()
			if err != nil {
				if !failing {
					log.Error("Health check failed: no watchdog ping until it passes", "err", err)
				}
				failing = true
				continue
			}
			if failing {
				log.Info("Health check passes again")
			}
			failing = false
		}
		if _, err := n.Notify("WATCHDOG=1"); err != nil {
			log.Warn("Watchdog ping failed", "err", err)
		}
	}
}
