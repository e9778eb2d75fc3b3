package syncer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"communekiosk/sync/syncproto"
)

// RunOnce does one sync: push every pending request in batches, then pull
// status changes until the city has no more, then send a heartbeat. It
// waits for a run already in progress to finish. The result is also kept
// for Last. Errors are classified with ErrorCode.
func (s *Syncer) RunOnce(ctx context.Context) (Result, error) {
	return s.runOnce(ctx, TriggerManual)
}

func (s *Syncer) runOnce(ctx context.Context, trigger string) (Result, error) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	r := &run{s: s, ctx: ctx, res: Result{Started: s.opts.Now(), Trigger: trigger}}
	err := r.do()
	r.res.Finished = s.opts.Now()
	r.res.Err = err
	r.res.ErrorCode = ErrorCode(err)
	// Last holds the result before the done event goes out, so a listener
	// that reads Last on PhaseDone sees this run.
	s.mu.Lock()
	s.last = r.res
	if err != nil && r.res.ErrorCode != CodeCancelled {
		s.lastFail = failMark{code: r.res.ErrorCode, at: r.res.Finished}
	}
	s.mu.Unlock()
	s.emit(Progress{Phase: PhaseDone, Batches: r.batches, Batch: r.res.Batches, ItemsSent: r.res.Pushed, ItemsTotal: r.total, Statuses: r.res.Statuses})
	if err != nil {
		s.opts.Logger.Warn("Sync failed", "trigger", trigger, "error_code", r.res.ErrorCode, "err", err,
			"pushed", r.res.Pushed, "statuses", r.res.Statuses)
	} else {
		s.opts.Logger.Info("Sync done", "trigger", trigger, "pushed", r.res.Pushed, "accepted", r.res.Accepted,
			"duplicate", r.res.Duplicate, "rejected", r.res.Rejected, "conflict", r.res.Conflict, "too_large", r.res.TooLarge, "statuses", r.res.Statuses)
	}
	return r.res, err
}

// run is the state of one RunOnce.
type run struct {
	s       *Syncer
	ctx     context.Context
	res     Result
	id      syncproto.Identity
	total   int // queue depth at start
	batches int // expected number of batches
}

func (r *run) do() error {
	s := r.s
	if s.opts.Store == nil || s.opts.Transport == nil {
		return errors.New("syncer: no store or transport configured")
	}
	id, err := s.opts.Store.Identity()
	if err != nil || id.KioskID == "" {
		if err == nil || errors.Is(err, syncproto.ErrNotEnrolled) {
			return ErrNotEnrolled
		}
		return fmt.Errorf("syncer: read identity: %w: %w", errStore, err)
	}
	r.id = id
	s.mu.Lock()
	s.kioskID = id.KioskID
	s.mu.Unlock()
	counts, err := s.opts.Store.QueueCounts()
	if err != nil {
		return fmt.Errorf("syncer: count queue: %w: %w", errStore, err)
	}
	r.total = counts.Queued
	s.noteCounts(counts, s.opts.Now())
	lim := s.resetLimits()
	r.batches = ceilDiv(counts.Queued, lim.items)
	s.emit(Progress{Phase: PhaseStart, Batches: r.batches, ItemsTotal: r.total})
	if err := r.push(); err != nil {
		return err
	}
	if err := r.pull(); err != nil {
		return err
	}
	r.heartbeat()
	return nil
}

// push sends every pending item, batch by batch, with up to
// Options.InFlight batches in flight at once, applying each batch's
// results in one store transaction before asking the store for more.
func (r *run) push() error {
	s := r.s
	acked := map[string]bool{} // request IDs the store was told about in this run
	for n := 0; n < maxPushBatchesPerRun; n++ {
		if err := r.ctx.Err(); err != nil {
			return fmt.Errorf("syncer: push: %w", err)
		}
		lim := s.currentLimits()
		w := s.opts.InFlight
		items, err := s.opts.Store.Pending(lim.items*w, lim.bytes*w)
		if err != nil {
			return fmt.Errorf("syncer: read outbox: %w: %w", errStore, err)
		}
		batches := splitBatches(items, lim.items, lim.bytes, w)
		if len(batches) == 0 {
			return nil
		}
		for _, b := range batches {
			for _, it := range b {
				if acked[it.RequestID] {
					return fmt.Errorf("syncer: outbox still holds acked request %s: %w", it.RequestID, errStore)
				}
			}
		}
		answers := r.sendAll(batches)
		var firstErr error
		tooLarge := 0 // size of the smallest batch the city found too large
		for i, b := range batches {
			a := answers[i]
			var tl *syncproto.TooLargeError
			if errors.As(a.err, &tl) {
				if len(b) == 1 {
					if err := r.tooLargeAlone(b[0], a.err, acked); err != nil {
						if errors.Is(err, errStore) {
							return err
						}
						firstErr = cmp.Or(firstErr, err)
					}
				} else if tooLarge == 0 || len(b) < tooLarge {
					tooLarge = len(b)
				}
				continue
			}
			if a.err != nil {
				firstErr = cmp.Or(firstErr, fmt.Errorf("syncer: push batch %d: %w", r.res.Batches+1, a.err))
				continue
			}
			if err := r.apply(b, a.resp, acked); err != nil {
				if errors.Is(err, errStore) {
					return err
				}
				firstErr = cmp.Or(firstErr, err)
			}
		}
		if firstErr != nil {
			return firstErr
		}
		if tooLarge > 0 {
			s.halveLimits(tooLarge)
		}
	}
	return fmt.Errorf("syncer: push: too many batches in one run: %w", errProtocol)
}

// ReasonTooLarge begins the quarantine reason of a request the city
// refused as too large even when sent alone.
const ReasonTooLarge = "too_large"

// tooLargeAlone handles a 413 for a batch of one item, the batch size
// having been halved down to it: the item goes to quarantine with its
// reason, and the run carries on with the rest (invariant 4). One case is
// not the item's fault: when the city's advertised byte limit is known and
// the item fits in it, the 413 comes from something in between (a proxy
// with a smaller limit), and quarantining would empty the whole queue into
// quarantine one item at a time; that fails the run instead, as before.
func (r *run) tooLargeAlone(it syncproto.Item, cause error, acked map[string]bool) error {
	s := r.s
	size := itemWireBytes(it)
	s.mu.Lock()
	cityMax := s.city.MaxBytes
	s.mu.Unlock()
	if cityMax > 0 && size+64 <= cityMax {
		return fmt.Errorf("syncer: request %s (%d bytes) is within the city's limit of %d bytes but was refused as too large: %w",
			it.RequestID, size, cityMax, cause)
	}
	reason := fmt.Sprintf("%s: the city refuses this request as too large even sent alone (%d bytes on the wire)", ReasonTooLarge, size)
	res := syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Rejected, Reason: reason}
	if err := s.opts.Store.ApplyPushResults([]syncproto.ItemResult{res}, s.opts.Now()); err != nil {
		return fmt.Errorf("syncer: quarantine %s: %w: %w", it.RequestID, errStore, err)
	}
	acked[it.RequestID] = true
	r.res.TooLarge++
	s.opts.Logger.Warn("Request quarantined: too large for the city even alone", "request_id", it.RequestID, "code", it.Code, "bytes", size)
	return nil
}

type pushAnswer struct {
	resp syncproto.PushResponse
	err  error
}

// sendAll pushes the batches concurrently and returns the answers in order.
func (r *run) sendAll(batches [][]syncproto.Item) []pushAnswer {
	answers := make([]pushAnswer, len(batches))
	if len(batches) == 1 {
		answers[0].resp, answers[0].err = r.s.opts.Transport.Push(r.ctx, r.pushRequest(batches[0]))
		return answers
	}
	var wg sync.WaitGroup
	for i, b := range batches {
		wg.Go(func() {
			answers[i].resp, answers[i].err = r.s.opts.Transport.Push(r.ctx, r.pushRequest(b))
		})
	}
	wg.Wait()
	return answers
}

// apply stores one batch's results in one transaction and counts them.
func (r *run) apply(items []syncproto.Item, resp syncproto.PushResponse, acked map[string]bool) error {
	s := r.s
	s.noteServerTime(resp.ServerTime)
	s.lowerLimits(resp.Limits)
	results, matchErr := matchResults(items, resp.Results)
	if len(results) > 0 {
		if err := s.opts.Store.ApplyPushResults(results, s.opts.Now()); err != nil {
			return fmt.Errorf("syncer: store push results: %w: %w", errStore, err)
		}
	}
	for _, res := range results {
		acked[res.RequestID] = true
		switch res.Outcome {
		case syncproto.Accepted:
			r.res.Accepted++
		case syncproto.Duplicate:
			r.res.Duplicate++
		case syncproto.Rejected:
			r.res.Rejected++
		case syncproto.Conflict:
			r.res.Conflict++
		}
	}
	r.res.Batches++
	r.batches = max(r.batches, r.res.Batches)
	r.res.Pushed += len(items)
	s.emit(Progress{Phase: PhasePush, Batch: r.res.Batches, Batches: r.batches, ItemsSent: r.res.Pushed, ItemsTotal: r.total})
	if matchErr != nil {
		return fmt.Errorf("syncer: push batch %d: %w", r.res.Batches, matchErr)
	}
	return nil
}

// splitBatches cuts items into at most w batches, each within maxItems
// and maxBytes on the wire (and at least one item).
func splitBatches(items []syncproto.Item, maxItems, maxBytes, w int) [][]syncproto.Item {
	var out [][]syncproto.Item
	for len(items) > 0 && len(out) < w {
		b := trimToBytes(items, maxItems, maxBytes)
		out = append(out, b)
		items = items[len(b):]
	}
	return out
}

func (r *run) pushRequest(items []syncproto.Item) syncproto.PushRequest {
	return syncproto.PushRequest{
		Version: syncproto.Version,
		KioskID: r.id.KioskID,
		BatchID: newBatchID(r.s.opts.Now()),
		SentAt:  r.s.opts.Now().UTC(),
		Items:   items,
	}
}

// matchResults keeps the city's valid results for items of this batch,
// one per item. It reports an error when an item has no
// valid result (the results it could match are still returned, so they are
// stored).
func matchResults(items []syncproto.Item, got []syncproto.ItemResult) ([]syncproto.ItemResult, error) {
	want := make(map[string]bool, len(items))
	for _, it := range items {
		want[it.RequestID] = true
	}
	out := make([]syncproto.ItemResult, 0, len(items))
	for _, g := range got {
		if !want[g.RequestID] || !validOutcome(g.Outcome) {
			continue
		}
		want[g.RequestID] = false
		out = append(out, g)
	}
	if len(out) != len(items) {
		return out, fmt.Errorf("%d of %d items have no valid result: %w", len(items)-len(out), len(items), errProtocol)
	}
	return out, nil
}

func validOutcome(o syncproto.Outcome) bool {
	switch o {
	case syncproto.Accepted, syncproto.Duplicate, syncproto.Rejected, syncproto.Conflict:
		return true
	}
	return false
}

// itemWireBytes estimates an item's size in the JSON body (before gzip):
// base64 of the sealed payload plus the fields around it.
func itemWireBytes(it syncproto.Item) int {
	return (len(it.Sealed)+2)/3*4 + len(it.RequestID) + len(it.Code) + len(it.Service) + len(it.SHA256) + 160
}

// trimToBytes keeps the longest prefix within maxItems and maxBytes of
// wire size, and always at least one item.
func trimToBytes(items []syncproto.Item, maxItems, maxBytes int) []syncproto.Item {
	if len(items) > maxItems {
		items = items[:maxItems]
	}
	total := 64
	for i, it := range items {
		total += itemWireBytes(it)
		if total > maxBytes && i > 0 {
			return items[:i]
		}
	}
	return items
}

// pull asks for status changes until the city has no more, storing each
// page with its cursor in one store transaction.
func (r *run) pull() error {
	s := r.s
	cur, err := s.opts.Store.Cursor()
	if err != nil {
		return fmt.Errorf("syncer: read cursor: %w: %w", errStore, err)
	}
	catVersion := ""
	if s.opts.CatalogueVersion != nil {
		catVersion = s.opts.CatalogueVersion()
	}
	for page := 0; page < maxPullPages; page++ {
		if err := r.ctx.Err(); err != nil {
			return fmt.Errorf("syncer: pull: %w", err)
		}
		resp, err := s.opts.Transport.Pull(r.ctx, syncproto.PullRequest{
			Version:          syncproto.Version,
			KioskID:          r.id.KioskID,
			Cursor:           cur,
			Limit:            s.opts.PullLimit,
			CatalogueVersion: catVersion,
		})
		if err != nil {
			return fmt.Errorf("syncer: pull: %w", err)
		}
		s.noteServerTime(resp.ServerTime)
		if resp.Catalogue != nil && s.opts.OnCatalogue != nil && resp.Catalogue.Version != catVersion {
			if err := s.opts.OnCatalogue(*resp.Catalogue); err != nil {
				return fmt.Errorf("syncer: catalogue %s: %w", resp.Catalogue.Version, err)
			}
			catVersion = resp.Catalogue.Version
		}
		next := resp.Next
		moved := next != cur || resp.Reset || len(resp.Changes) > 0
		if moved {
			if err := s.opts.Store.ApplyStatuses(resp.Changes, next, resp.Reset, s.opts.Now()); err != nil {
				return fmt.Errorf("syncer: store statuses: %w: %w", errStore, err)
			}
			r.res.Statuses += len(resp.Changes)
			s.emit(Progress{Phase: PhasePull, Batches: r.batches, Batch: r.res.Batches, ItemsSent: r.res.Pushed, ItemsTotal: r.total, Statuses: r.res.Statuses})
		}
		if !resp.HasMore {
			return nil
		}
		if next == cur && !resp.Reset {
			return fmt.Errorf("syncer: pull: has_more without a new cursor: %w", errProtocol)
		}
		cur = next
	}
	return fmt.Errorf("syncer: pull: too many pages: %w", errProtocol)
}

// heartbeat reports the kiosk's health. Its failure does not fail the run
// (the requests and statuses moved); it is kept as a warning.
func (r *run) heartbeat() {
	s := r.s
	now := s.opts.Now()
	counts, err := s.opts.Store.QueueCounts()
	if err != nil {
		r.res.Warning = "heartbeat: count queue: " + err.Error()
		return
	}
	s.noteCounts(counts, now)
	s.emit(Progress{Phase: PhaseHeartbeat, Batches: r.batches, Batch: r.res.Batches, ItemsSent: r.res.Pushed, ItemsTotal: r.total, Statuses: r.res.Statuses})
	free, size := s.disk()
	hb := syncproto.Heartbeat{
		Version:       syncproto.Version,
		KioskID:       r.id.KioskID,
		SentAt:        now.UTC(),
		QueueDepth:    counts.Queued,
		Quarantined:   counts.Quarantined,
		ClockSkewSecs: int64(s.clockSkew() / time.Second),
		FreeDiskBytes: free,
		DiskBytes:     size,
		AppVersion:    s.opts.AppVersion,
	}
	if !counts.OldestUnsent.IsZero() {
		hb.OldestUnsentSecs = int64(now.Sub(counts.OldestUnsent) / time.Second)
	}
	s.mu.Lock()
	if f := s.lastFail; f.code != "" {
		hb.LastError, hb.LastErrorSecs = f.code, max(int64(now.Sub(f.at)/time.Second), 0)
	}
	s.mu.Unlock()
	if s.opts.CatalogueVersion != nil {
		hb.CatalogueVersion = s.opts.CatalogueVersion()
	}
	hb.Alarms = s.heartbeatAlarms()
	if s.opts.Satisfaction != nil {
		days, err := s.opts.Satisfaction()
		if err != nil {
			s.opts.Logger.Warn("Satisfaction tallies not read; heartbeat without them", "err", err)
		}
		hb.Satisfaction = days[max(0, len(days)-syncproto.MaxSatisfactionDays):]
	}
	resp, err := s.opts.Transport.Heartbeat(r.ctx, hb)
	if err != nil {
		r.res.Warning = "heartbeat: " + err.Error()
		s.opts.Logger.Warn("Heartbeat failed", "err", err)
		return
	}
	s.noteServerTime(resp.ServerTime)
}

func (s *Syncer) emit(p Progress) {
	if s.opts.OnProgress != nil {
		s.opts.OnProgress(p)
	}
}

func (s *Syncer) currentLimits() limits {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limits
}

// halveLimits answers a 413 for a batch of n items.
func (s *Syncer) halveLimits(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.items = min(s.limits.items, max(1, n/2))
	s.limits.bytes = max(1, s.limits.bytes/2)
	s.opts.Logger.Info("City refused a batch as too large; halving", "max_items", s.limits.items, "max_bytes", s.limits.bytes)
}

// lowerLimits applies the city's limits: they only lower the configured
// ones. They are remembered for the next runs; a 413's halving lasts for
// the rest of the run only.
func (s *Syncer) lowerLimits(l syncproto.Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.city = l
	if l.MaxItems > 0 {
		s.limits.items = min(s.limits.items, l.MaxItems)
	}
	if l.MaxBytes > 0 {
		s.limits.bytes = min(s.limits.bytes, l.MaxBytes)
	}
}

// resetLimits starts a run with the configured limits lowered by the
// city's last ones.
func (s *Syncer) resetLimits() limits {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = limits{items: s.opts.MaxItems, bytes: s.opts.MaxBytes}
	if s.city.MaxItems > 0 {
		s.limits.items = min(s.limits.items, s.city.MaxItems)
	}
	if s.city.MaxBytes > 0 {
		s.limits.bytes = min(s.limits.bytes, s.city.MaxBytes)
	}
	return s.limits
}

func (s *Syncer) noteServerTime(t time.Time) {
	if t.IsZero() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skew, s.skewKnown = t.Sub(s.opts.Now()), true
	if d := s.skew.Abs(); d > s.opts.SkewAlarm {
		// Raised once; its words follow the latest offset.
		since := s.opts.Now()
		if a, ok := s.alarms[AlarmSkew]; ok {
			since = a.Since
			delete(s.alarms, AlarmSkew)
		} else {
			s.opts.Logger.Warn("Kiosk clock off the city's", "offset", s.skew.String())
		}
		s.raiseQuietLocked(AlarmSkew, since)
	} else {
		s.clearLocked(AlarmSkew)
	}
}

// ClockOffset is the city's time minus the kiosk's at the last exchange
// with the city; ok is false before the first one. Add it to the kiosk's
// clock for dates that must not depend on a kiosk clock that is off (the
// expected date, the fee date).
func (s *Syncer) ClockOffset() (offset time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skew, s.skewKnown
}

func (s *Syncer) clockSkew() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skew
}

func (s *Syncer) noteCounts(c syncproto.QueueCounts, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oldest = c.OldestUnsent
	s.checkUnsentLocked(now)
}

// heartbeatAlarms are the kiosk's alarm codes and the syncer's own (but
// not the enrolment alarm: a heartbeat that goes through disproves it).
func (s *Syncer) heartbeatAlarms() []string {
	var out []string
	if s.opts.KioskAlarms != nil {
		out = append(out, s.opts.KioskAlarms()...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, code := range []string{AlarmReplay, AlarmSkew, AlarmUnsent} {
		if _, ok := s.alarms[code]; ok {
			out = append(out, code)
		}
	}
	return out
}

// disk is the space left on the kiosk's disk and the disk's size, 0 when
// unknown. A size that is unknown or below the free space (readings of two
// moments) is sent as 0, so the heartbeat stays valid.
func (s *Syncer) disk() (free, size uint64) {
	if s.opts.FreeSpace != nil {
		if n, err := s.opts.FreeSpace(s.opts.DataDir); err == nil {
			free = n
		}
	}
	if s.opts.DiskSize != nil {
		if n, err := s.opts.DiskSize(s.opts.DataDir); err == nil && n >= free {
			size = n
		}
	}
	return free, size
}

func ceilDiv(a, b int) int {
	if b <= 0 {
		return 0
	}
	return (a + b - 1) / b
}
