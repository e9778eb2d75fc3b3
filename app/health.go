package app

import (
	"context"
	"errors"
	"fmt"

	"communekiosk/kiosk/kioskdb"
)

// Ping says whether the store answers: one read transaction. The service
// watchdog pings systemd only while it passes.
func (n *Node) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := n.db.Setting(settingIdleTimeout); err != nil && !errors.Is(err, kioskdb.ErrNotFound) {
		return fmt.Errorf("app: store does not answer: %w", err)
	}
	return nil
}
