package city

import (
	"fmt"
	"strings"
)

// writeFleetMetrics writes the fleet page's signals: one level per kiosk,
// one series per broken rule, and the raw figures the rules read, so that
// Prometheus can alert on the same thresholds (docs/operations.md).
func writeFleetMetrics(b *strings.Builder, fleet []KioskHealth) {
	level := map[Level]int{LevelOK: 0, LevelAmber: 1, LevelRed: 2}
	b.WriteString("# HELP cityd_kiosk_level A kiosk's fleet-page level: 0 ok, 1 amber, 2 red (revoked kiosks are left out).\n# TYPE cityd_kiosk_level gauge\n")
	for _, h := range fleet {
		if h.Level != LevelRevoked {
			fmt.Fprintf(b, "cityd_kiosk_level{%s} %d\n", kioskLabels(h.Kiosk), level[h.Level])
		}
	}
	b.WriteString("# HELP cityd_kiosk_alert A rule a kiosk breaks (value 1), by signal and level.\n# TYPE cityd_kiosk_alert gauge\n")
	for _, h := range fleet {
		for _, a := range h.Alerts {
			fmt.Fprintf(b, "cityd_kiosk_alert{%s,signal=\"%s\",level=\"%s\"} 1\n", kioskLabels(h.Kiosk), labelValue(a.Signal), a.Level)
		}
	}
	b.WriteString("# HELP cityd_kiosk_silence_seconds Seconds since a kiosk's last heartbeat (or its enrolment, before the first).\n# TYPE cityd_kiosk_silence_seconds gauge\n")
	for _, h := range fleet {
		if h.Level != LevelRevoked {
			fmt.Fprintf(b, "cityd_kiosk_silence_seconds{%s} %d\n", kioskLabels(h.Kiosk), int64(h.Silence.Seconds()))
		}
	}
	gauge := func(name, help string, value func(KioskHealth) (string, bool)) {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		for _, h := range fleet {
			if h.Level == LevelRevoked || h.Kiosk.LastHeartbeat == nil {
				continue
			}
			if v, ok := value(h); ok {
				fmt.Fprintf(b, "%s{%s} %s\n", name, kioskLabels(h.Kiosk), v)
			}
		}
	}
	gauge("cityd_kiosk_quarantined", "Requests in a kiosk's quarantine, as it reported.", func(h KioskHealth) (string, bool) {
		return fmt.Sprint(h.Kiosk.LastHeartbeat.Quarantined), true
	})
	gauge("cityd_kiosk_clock_skew_seconds", "City time minus kiosk time, as the kiosk reported.", func(h KioskHealth) (string, bool) {
		return fmt.Sprint(h.Kiosk.LastHeartbeat.ClockSkewSecs), true
	})
	gauge("cityd_kiosk_free_disk_bytes", "Free disk a kiosk reported.", func(h KioskHealth) (string, bool) {
		return fmt.Sprint(h.Kiosk.LastHeartbeat.FreeDiskBytes), true
	})
	gauge("cityd_kiosk_free_disk_ratio", "Free disk as a share of the kiosk's disk (kiosks that report its size).", func(h KioskHealth) (string, bool) {
		hb := h.Kiosk.LastHeartbeat
		if hb.DiskBytes == 0 {
			return "", false
		}
		return fmt.Sprintf("%g", float64(hb.FreeDiskBytes)/float64(hb.DiskBytes)), true
	})
}
