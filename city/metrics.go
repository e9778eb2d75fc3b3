package city

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"communekiosk/sync/syncproto"
)

// pushBuckets are the upper bounds (seconds) of the push latency histogram.
var pushBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics are the in-process counters; per-kiosk gauges come from the
// store at scrape time.
type metrics struct {
	mu        sync.Mutex
	outcomes  map[syncproto.Outcome]uint64
	refusals  map[string]uint64
	http      map[int]uint64
	buckets   []uint64 // cumulative counts per pushBuckets, then +Inf
	pushSum   float64
	pushCount uint64
}

func newMetrics() *metrics {
	return &metrics{outcomes: map[syncproto.Outcome]uint64{}, refusals: map[string]uint64{}, http: map[int]uint64{},
		buckets: make([]uint64, len(pushBuckets)+1)}
}

func (m *metrics) pushDone(d time.Duration, results []syncproto.ItemResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range results {
		m.outcomes[r.Outcome]++
	}
	sec := d.Seconds()
	for i, b := range pushBuckets {
		if sec <= b {
			m.buckets[i]++
		}
	}
	m.buckets[len(pushBuckets)]++
	m.pushSum += sec
	m.pushCount++
}

func (m *metrics) refused(code string) {
	m.mu.Lock()
	m.refusals[code]++
	m.mu.Unlock()
}

func (m *metrics) httpDone(status int) {
	m.mu.Lock()
	m.http[status]++
	m.mu.Unlock()
}

// handleMetrics writes the Prometheus text exposition format (0.0.4).
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	kiosks, err := s.store.Kiosks(r.Context())
	if err != nil {
		s.internal(w, "Metrics", err)
		return
	}
	var b strings.Builder
	m := s.metrics
	m.mu.Lock()
	b.WriteString("# HELP cityd_items_total Pushed or imported items by outcome.\n# TYPE cityd_items_total counter\n")
	for _, o := range []syncproto.Outcome{syncproto.Accepted, syncproto.Duplicate, syncproto.Rejected, syncproto.Conflict} {
		fmt.Fprintf(&b, "cityd_items_total{outcome=%q} %d\n", o, m.outcomes[o])
	}
	b.WriteString("# HELP cityd_refused_total Kiosk and operator calls refused, by error code.\n# TYPE cityd_refused_total counter\n")
	for _, code := range sortedKeys(m.refusals) {
		fmt.Fprintf(&b, "cityd_refused_total{code=\"%s\"} %d\n", labelValue(code), m.refusals[code])
	}
	b.WriteString("# HELP cityd_http_responses_total HTTP responses by status code.\n# TYPE cityd_http_responses_total counter\n")
	codes := make([]int, 0, len(m.http))
	for c := range m.http {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(&b, "cityd_http_responses_total{code=\"%d\"} %d\n", c, m.http[c])
	}
	b.WriteString("# HELP cityd_push_duration_seconds Time to answer a push.\n# TYPE cityd_push_duration_seconds histogram\n")
	for i, ub := range pushBuckets {
		fmt.Fprintf(&b, "cityd_push_duration_seconds_bucket{le=\"%g\"} %d\n", ub, m.buckets[i])
	}
	fmt.Fprintf(&b, "cityd_push_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.buckets[len(pushBuckets)])
	fmt.Fprintf(&b, "cityd_push_duration_seconds_sum %g\ncityd_push_duration_seconds_count %d\n", m.pushSum, m.pushCount)
	m.mu.Unlock()

	seen, enrolled, revoked := 0, 0, 0
	for _, k := range kiosks {
		switch {
		case k.Revoked:
			revoked++
		default:
			enrolled++
		}
		if k.LastHeartbeat != nil {
			seen++
		}
	}
	b.WriteString("# HELP cityd_kiosks Kiosks by state; seen = sent at least one heartbeat.\n# TYPE cityd_kiosks gauge\n")
	fmt.Fprintf(&b, "cityd_kiosks{state=\"enrolled\"} %d\ncityd_kiosks{state=\"revoked\"} %d\ncityd_kiosks{state=\"seen\"} %d\n", enrolled, revoked, seen)
	b.WriteString("# HELP cityd_kiosk_oldest_unsent_seconds Age of the oldest unsent request a kiosk reported.\n# TYPE cityd_kiosk_oldest_unsent_seconds gauge\n")
	for _, k := range kiosks {
		if hb := k.LastHeartbeat; hb != nil && !k.Revoked {
			fmt.Fprintf(&b, "cityd_kiosk_oldest_unsent_seconds{%s} %d\n", kioskLabels(k), hb.OldestUnsentSecs)
		}
	}
	b.WriteString("# HELP cityd_kiosk_queue_depth Unsent requests a kiosk reported.\n# TYPE cityd_kiosk_queue_depth gauge\n")
	for _, k := range kiosks {
		if hb := k.LastHeartbeat; hb != nil && !k.Revoked {
			fmt.Fprintf(&b, "cityd_kiosk_queue_depth{%s} %d\n", kioskLabels(k), hb.QueueDepth)
		}
	}
	b.WriteString("# HELP cityd_kiosk_last_heartbeat_seconds Unix time of a kiosk's last heartbeat (city clock).\n# TYPE cityd_kiosk_last_heartbeat_seconds gauge\n")
	for _, k := range kiosks {
		if k.LastHeartbeat != nil && !k.Revoked {
			fmt.Fprintf(&b, "cityd_kiosk_last_heartbeat_seconds{%s} %d\n", kioskLabels(k), k.LastHeartbeatAt.Unix())
		}
	}
	writeFleetMetrics(&b, AssessFleet(kiosks, s.now(), s.fleetThresholds(r.Context())))
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write([]byte(b.String()))
}

// labelEscaper escapes a label value as the text format wants.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func labelValue(v string) string { return labelEscaper.Replace(v) }

func kioskLabels(k Kiosk) string {
	return `kiosk="` + labelValue(k.ID) + `",commune="` + labelValue(k.Commune) + `"`
}

func sortedKeys(m map[string]uint64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
