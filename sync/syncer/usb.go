package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"communekiosk/internal/atomicfile"
	"communekiosk/sync/syncproto"
)

// settingExport is the store setting that remembers the last USB export
// until its receipt is imported.
const settingExport = "sync.usb_export"

// ExportMark describes a USB bundle whose receipt has not been imported:
// its items are still in the outbox, "exported, awaiting receipt".
type ExportMark struct {
	At      time.Time `json:"at"`
	File    string    `json:"file"`
	Count   int       `json:"count"`
	FromSeq uint64    `json:"from_seq"`
	ToSeq   uint64    `json:"to_seq"`
}

// ExportBundle writes the whole unsent outbox as a bundle signed with the
// kiosk's key into dir (a USB drive), atomically, and returns the file's
// path and the number of requests in it. The requests stay in the outbox
// until a receipt or a push acks them; exporting again is harmless.
func (s *Syncer) ExportBundle(ctx context.Context, dir string) (string, int, error) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	id, err := s.opts.Store.Identity()
	if err != nil {
		if errors.Is(err, syncproto.ErrNotEnrolled) {
			return "", 0, ErrNotEnrolled
		}
		return "", 0, fmt.Errorf("syncer: export: read identity: %w", err)
	}
	items, err := s.opts.Store.Pending(0, 0)
	if err != nil {
		return "", 0, fmt.Errorf("syncer: export: read outbox: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return "", 0, fmt.Errorf("syncer: export: %w", err)
	}
	now := s.opts.Now().UTC()
	b := syncproto.Bundle{KioskID: id.KioskID, CreatedAt: now, Items: items}
	data, err := syncproto.EncodeBundle(b, id.SigningKey)
	if err != nil {
		return "", 0, fmt.Errorf("syncer: export: %w", err)
	}
	var from, to uint64
	if len(items) > 0 {
		from, to = items[0].Seq, items[0].Seq
		for _, it := range items {
			from, to = min(from, it.Seq), max(to, it.Seq)
		}
	}
	name := fmt.Sprintf("bundle-%s-%d-%d-%s.json", safeName(id.KioskID), from, to, now.Format("20060102T150405Z"))
	path := filepath.Join(dir, name)
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return "", 0, fmt.Errorf("syncer: export: %w", err)
	}
	mark, _ := json.Marshal(ExportMark{At: now, File: name, Count: len(items), FromSeq: from, ToSeq: to})
	if err := s.opts.Store.SetSetting(settingExport, string(mark)); err != nil {
		s.opts.Logger.Warn("Could not record the USB export", "err", err)
	}
	s.opts.Logger.Info("USB bundle exported", "file", name, "count", len(items), "from_seq", from, "to_seq", to)
	return path, len(items), nil
}

// ReceiptSummary says what importing a receipt did.
type ReceiptSummary struct {
	Results  int `json:"results"`  // acks and verdicts in the file
	Statuses int `json:"statuses"` // status changes applied (0 when already known)
	// StatusesSkipped is true when the kiosk already had newer statuses
	// than the file (imported before, or synced online since).
	StatusesSkipped bool `json:"statuses_skipped"`
}

// ImportReceipt applies a receipt file from the city: its acks through
// the same store call as a push's results, its status changes as a pull.
// The file must be signed by the city and made for this kiosk. Importing
// the same file twice changes nothing.
func (s *Syncer) ImportReceipt(path string) (ReceiptSummary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ReceiptSummary{}, fmt.Errorf("syncer: import receipt: %w", err)
	}
	return s.ImportReceiptData(data)
}

// ImportReceiptData is ImportReceipt on the file's bytes.
func (s *Syncer) ImportReceiptData(data []byte) (ReceiptSummary, error) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	id, err := s.opts.Store.Identity()
	if err != nil {
		if errors.Is(err, syncproto.ErrNotEnrolled) {
			return ReceiptSummary{}, ErrNotEnrolled
		}
		return ReceiptSummary{}, fmt.Errorf("syncer: import receipt: read identity: %w", err)
	}
	rc, err := syncproto.DecodeReceipt(data, id.CityKey)
	if err != nil {
		return ReceiptSummary{}, fmt.Errorf("syncer: import receipt: %w", err)
	}
	if rc.KioskID != id.KioskID {
		return ReceiptSummary{}, fmt.Errorf("syncer: import receipt: the file is for kiosk %s, this is kiosk %s", rc.KioskID, id.KioskID)
	}
	now := s.opts.Now()
	sum := ReceiptSummary{Results: len(rc.Results)}
	if len(rc.Results) > 0 {
		if err := s.opts.Store.ApplyPushResults(rc.Results, now); err != nil {
			return sum, fmt.Errorf("syncer: import receipt: store results: %w", err)
		}
	}
	cur, err := s.opts.Store.Cursor()
	if err != nil {
		return sum, fmt.Errorf("syncer: import receipt: read cursor: %w", err)
	}
	changes := make([]syncproto.StatusChange, 0, len(rc.Changes))
	sameEpoch := cur.Epoch != "" && rc.Next.Epoch == cur.Epoch
	if sameEpoch && rc.Next.Seq <= cur.Seq {
		// The kiosk is already at or past this file's position: applying
		// it would move statuses and the cursor backwards.
		sum.StatusesSkipped = true
	} else {
		for _, c := range rc.Changes {
			if sameEpoch && !rc.Reset && c.Seq != 0 && c.Seq <= cur.Seq {
				continue
			}
			changes = append(changes, c)
		}
		if err := s.opts.Store.ApplyStatuses(changes, rc.Next, rc.Reset, now); err != nil {
			return sum, fmt.Errorf("syncer: import receipt: store statuses: %w", err)
		}
		sum.Statuses = len(changes)
	}
	if s.exportMark() != nil {
		if err := s.opts.Store.SetSetting(settingExport, ""); err != nil {
			s.opts.Logger.Warn("Could not clear the USB export mark", "err", err)
		}
	}
	if counts, err := s.opts.Store.QueueCounts(); err == nil {
		s.noteCounts(counts, now)
	}
	s.opts.Logger.Info("USB receipt imported", "results", sum.Results, "statuses", sum.Statuses, "statuses_skipped", sum.StatusesSkipped)
	return sum, nil
}

// exportMark reads the pending USB export, nil when none.
func (s *Syncer) exportMark() *ExportMark {
	if s.opts.Store == nil {
		return nil
	}
	v, err := s.opts.Store.Setting(settingExport)
	if err != nil || v == "" {
		return nil
	}
	var m ExportMark
	if json.Unmarshal([]byte(v), &m) != nil {
		return nil
	}
	return &m
}

// safeName keeps letters, digits, '-' and '_' of a kiosk ID for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
