package city

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// ingest checks every item, then hands the batch to the store, which
// commits the new ones and their acks in one transaction. Push and USB
// import both come here. kioskNow is the kiosk's clock when it sent the
// items (a push's sent_at, a bundle's created_at; zero if unknown): the
// city reads the kiosk's times in the items against it. channel is how
// the items came (ChannelSync, ChannelUSB), kept for the report.
func (s *Server) ingest(ctx context.Context, k Kiosk, items []syncproto.Item, kioskNow time.Time, channel string) ([]syncproto.ItemResult, error) {
	now := s.now()
	skew := kioskSkew(k, kioskNow, now)
	batch := make([]IngestItem, len(items))
	// Opening and validating is the CPU-heavy part of a push: spread it
	// over the cores. Each worker writes only its own indexes.
	workers := min(runtime.GOMAXPROCS(0), 4, max(len(items)/8, 1))
	// The catalogue in force is looked up once per batch, for the items
	// of kiosks that do not name the version they used.
	current := sync.OnceValues(func() (*kiosk.Catalogue, error) {
		cat, _, err := s.currentCatalogue(ctx)
		return cat, err
	})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				batch[i] = s.check(ctx, items[i], now, skew, current)
				batch[i].Commune, batch[i].Channel = k.Commune, channel
			}
		}()
	}
	wg.Wait()
	results, err := s.store.Ingest(ctx, k.ID, batch, now)
	s.health.note(err, now)
	if err != nil {
		return nil, fmt.Errorf("city: ingest: %w", err)
	}
	for i, res := range results {
		if res.Outcome == syncproto.Rejected || res.Outcome == syncproto.Conflict {
			// Request IDs and codes only: never the payload.
			s.log.Warn("Item not accepted", "kiosk_id", k.ID, "request_id", items[i].RequestID, "code", items[i].Code,
				"outcome", res.Outcome, "reason", res.Reason)
		}
	}
	return results, nil
}

// check opens and validates one item with the catalogue the kiosk used;
// Reject is the reason to refuse it, "" when it is valid.
func (s *Server) check(ctx context.Context, it syncproto.Item, now time.Time, skew time.Duration, current func() (*kiosk.Catalogue, error)) IngestItem {
	out := IngestItem{Item: it}
	reject := func(reason string) IngestItem { out.Reject = reason; return out }
	if it.RequestID == "" || len(it.RequestID) > 64 {
		return reject("request_id missing or longer than 64 characters")
	}
	// The receipt code keys the city's lookups: an item without one is
	// refused alone, not left to fail its whole batch in the store.
	if it.Code == "" || len(it.Code) > 64 {
		return reject("code missing or longer than 64 characters")
	}
	sum := sha256.Sum256(it.Sealed)
	if !strings.EqualFold(hex.EncodeToString(sum[:]), it.SHA256) {
		return reject("sha256 does not match the sealed payload")
	}
	req, err := s.open(it.Sealed)
	if err != nil {
		return reject(err.Error())
	}
	if req.Service != it.Service {
		return reject(fmt.Sprintf("service %q in the payload differs from %q on the item", req.Service, it.Service))
	}
	cat, err := s.requestCatalogue(ctx, req, current)
	if err != nil {
		return reject(err.Error())
	}
	var reasons []string
	for _, p := range kiosk.ValidateWith(req, cat, now, kiosk.ValidateOptions{NoticeVersions: s.opts.NoticeVersions}) {
		if p.Severity == kiosk.SeverityError {
			reasons = append(reasons, p.Field+": "+p.Message.EN)
		}
	}
	if r := checkConsentTime(req.Consent.AcceptedAt, it.CreatedAt, req.Consent.NoticeVersion, skew, now, s.opts.ConsentSkew); r != "" && !req.Consent.AcceptedAt.IsZero() {
		reasons = append(reasons, r)
	}
	// The fee is the one the kiosk quoted with its catalogue on the day it
	// took the request (its clock): the same computation, here.
	q := kiosk.Quote(req, cat, it.CreatedAt)
	if req.CatalogueVersion != "" && q.TotalVND != req.QuotedVND {
		reasons = append(reasons, fmt.Sprintf("quoted_vnd: the kiosk quoted %d VND, catalogue %s gives %d", req.QuotedVND, cat.Version, q.TotalVND))
	}
	sort.Strings(reasons)
	out.Reject = strings.Join(reasons, "; ")
	out.CatalogueVersion, out.FeeVND = cat.Version, q.TotalVND
	if out.Reject == "" {
		describe(&out, req)
	}
	return out
}

// kioskSkew is the kiosk's clock offset (city minus kiosk): from the
// kiosk's time of sending when known (for a USB bundle, exported before
// it is imported, this overstates the offset by the trip, which only
// moves the kiosk's times later and never past the receipt), else from
// its last heartbeat, else 0.
func kioskSkew(k Kiosk, kioskNow, now time.Time) time.Duration {
	switch {
	case !kioskNow.IsZero():
		return now.Sub(kioskNow)
	case k.LastHeartbeat != nil:
		return time.Duration(k.LastHeartbeat.ClockSkewSecs) * time.Second
	}
	return 0
}

// requestCatalogue is the catalogue a request is checked with: the version
// the kiosk used, which the city must know; for requests of kiosks that
// do not say, the one in force.
func (s *Server) requestCatalogue(ctx context.Context, req kiosk.Request, current func() (*kiosk.Catalogue, error)) (*kiosk.Catalogue, error) {
	if req.CatalogueVersion == "" {
		cat, err := current()
		if err != nil {
			return nil, fmt.Errorf("the city could not read its catalogue: %v", err)
		}
		return cat, nil
	}
	cat, ok, err := s.catalogueVersion(ctx, req.CatalogueVersion)
	switch {
	case err != nil:
		return nil, fmt.Errorf("the city could not read catalogue %s: %v", req.CatalogueVersion, err)
	case !ok:
		return nil, fmt.Errorf("catalogue_version: %s is not a catalogue the city published", req.CatalogueVersion)
	}
	return cat, nil
}

// open decrypts a sealed payload and decodes the request in it.
func (s *Server) open(sealed []byte) (kiosk.Request, error) {
	plain, ok := s.opener.open(sealed)
	if !ok {
		return kiosk.Request{}, fmt.Errorf("payload cannot be opened with the city's key (sealed to another key?)")
	}
	var req kiosk.Request
	if err := json.Unmarshal(plain, &req); err != nil {
		return kiosk.Request{}, fmt.Errorf("payload is not a request: %v", err)
	}
	return req, nil
}

// ackedThrough is the highest seq up to which the batch's seqs run without
// a gap from its lowest; every item of a batch gets a result, so it tells
// the kiosk how far this answer covers. Kiosks rely on per-item results.
func ackedThrough(results []syncproto.ItemResult) uint64 {
	if len(results) == 0 {
		return 0
	}
	seqs := make([]uint64, len(results))
	for i, r := range results {
		seqs[i] = r.Seq
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	top := seqs[0]
	for _, q := range seqs[1:] {
		if q > top+1 {
			break
		}
		top = q
	}
	return top
}
