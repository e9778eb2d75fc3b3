package main

import (
	"flag"
	"time"

	"communekiosk/city"
)

// addFleetFlags adds the fleet page's red/amber thresholds (see
// docs/operations.md, "Kiosk fleet"); zero keeps a rule's default.
func addFleetFlags(fs *flag.FlagSet) func() city.FleetThresholds {
	days := fs.Int("fleet-silent-days", 1, "fleet: red when a kiosk has not been heard from for this many working days")
	amber := fs.Duration("fleet-silent-amber", time.Hour, "fleet: amber when a kiosk has not been heard from for this long")
	unsent := fs.Duration("fleet-oldest-unsent", 4*time.Hour, "fleet: red when a kiosk's oldest unsent request is older")
	quarantine := fs.Int("fleet-quarantine", 0, "fleet: amber when a kiosk has more requests in quarantine than this")
	disk := fs.Float64("fleet-free-disk-percent", 10, "fleet: red when a kiosk's free disk is under this share of its disk")
	skew := fs.Duration("fleet-clock-skew", 5*time.Minute, "fleet: amber when a kiosk's clock is further than this from the city's")
	return func() city.FleetThresholds {
		return city.FleetThresholds{SilentWorkingDays: *days, SilentAmber: *amber, OldestUnsent: *unsent,
			Quarantine: *quarantine, FreeDiskPercent: *disk, ClockSkew: *skew}
	}
}
