package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncclient"
	"communekiosk/sync/syncer"
	"communekiosk/sync/syncproto"
)

var (
	_ syncer.Store     = (*kioskdb.DB)(nil)
	_ syncer.Transport = (*syncclient.Client)(nil)
	_ syncer.Enroller  = (*syncclient.Client)(nil)
)

// SyncResult is the last sync as the staff screen shows it.
type SyncResult struct {
	At         time.Time `json:"at,omitzero"`
	OK         bool      `json:"ok"`
	Error      Message   `json:"error,omitzero"` // why the last sync failed
	Pushed     int       `json:"pushed"`
	Accepted   int       `json:"accepted"`
	Duplicates int       `json:"duplicates"`
	Rejected   int       `json:"rejected"`
	Statuses   int       `json:"statuses"`
}

// SyncProgress is the sync progress bar.
type SyncProgress struct {
	Phase   string `json:"phase"`
	Batch   int    `json:"batch"`
	Batches int    `json:"batches"`
	Sent    int    `json:"sent"`
	Total   int    `json:"total"`
}

// syncEngine runs the syncer for the node and keeps what the staff screen
// shows of it. A new schedule restarts the syncer's loop.
type syncEngine struct {
	n      *Node
	client *syncclient.Client

	mu      sync.Mutex
	s       *syncer.Syncer
	prog    SyncProgress
	restart chan struct{}
}

func newSyncEngine(n *Node) (*syncEngine, error) {
	e := &syncEngine{n: n, restart: make(chan struct{}, 1)}
	e.client = syncclient.New(syncclient.Options{
		Identity:   n.db.Identity,
		AppVersion: n.cfg.Version,
		Now:        n.signingClock(),
	})
	spec := n.syncSpec()
	if err := syncer.ValidateSchedule(spec); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	e.s = e.newSyncer(spec)
	return e, nil
}

func (e *syncEngine) newSyncer(spec string) *syncer.Syncer {
	n := e.n
	return syncer.New(syncer.Options{
		Store:             n.db,
		Transport:         e.client,
		Enroller:          e.client,
		Schedule:          spec,
		AllowInsecureCity: n.cfg.AllowInsecureCity,
		Debounce:          n.cfg.SyncDebounce,
		// Office hours come from the catalogue the kiosk runs, which
		// the city may update.
		OfficeHours:      func(t time.Time) bool { return n.catalogue().InOfficeHours(t) },
		OfficeBackoffCap: n.cfg.OfficeRetryCap,
		AppVersion:       n.cfg.Version,
		DataDir:          n.cfg.DataDir,
		FreeSpace:        n.freeSpace(),
		DiskSize:         kioskdb.DiskSize,
		Now:              n.cfg.Now,
		Logger:           n.log,
		OnProgress: func(p syncer.Progress) {
			e.mu.Lock()
			e.prog = SyncProgress{Phase: p.Phase, Batch: p.Batch, Batches: p.Batches, Sent: p.ItemsSent, Total: p.ItemsTotal}
			e.mu.Unlock()
		},
		CatalogueVersion: func() string { return n.catalogue().Version },
		Satisfaction:     n.satisfactionTallies,
		KioskAlarms: func() []string {
			_, codes := n.kioskAlarms()
			return codes
		},
		OnCatalogue: n.adoptCatalogue,
	})
}

func (e *syncEngine) current() *syncer.Syncer {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.s
}

// run runs the syncer until ctx ends, restarting it when the schedule
// changes.
func (e *syncEngine) run(ctx context.Context) error {
	for {
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		s := e.current()
		go func() { done <- s.Run(rctx) }()
		select {
		case <-ctx.Done():
			cancel()
			<-done
			return nil
		case err := <-done:
			cancel()
			return err
		case <-e.restart:
			cancel()
			<-done
		}
	}
}

func (e *syncEngine) setSchedule(spec string) error {
	if err := syncer.ValidateSchedule(spec); err != nil {
		return err
	}
	s := e.newSyncer(spec)
	e.mu.Lock()
	e.s = s
	e.mu.Unlock()
	select {
	case e.restart <- struct{}{}:
	default:
	}
	return nil
}

func (e *syncEngine) poke()    { e.current().Poke() }
func (e *syncEngine) syncNow() { e.current().SyncNow() }

func (e *syncEngine) last() SyncResult {
	r := e.current().Last()
	v := SyncResult{
		At: r.Finished, OK: r.OK() && !r.Finished.IsZero(),
		Pushed: r.Pushed, Accepted: r.Accepted, Duplicates: r.Duplicate,
		Rejected: r.Rejected + r.Conflict, Statuses: r.Statuses,
	}
	if !r.OK() && r.ErrorCode != "" {
		v.Error = syncErrorMsg(r.ErrorCode)
	}
	return v
}

func (e *syncEngine) progress() (bool, SyncProgress) {
	st := e.current().State()
	e.mu.Lock()
	defer e.mu.Unlock()
	return st.Running, e.prog
}

func (e *syncEngine) alarms() []Message {
	var out []Message
	for _, a := range e.current().State().Alarms {
		out = append(out, syncAlarmMsg(a))
	}
	return out
}

func (e *syncEngine) enrol(ctx context.Context, cityURL, code string) error {
	// A scanned enrolment QR code types its whole text into the code box.
	if strings.HasPrefix(strings.TrimSpace(code), syncproto.EnrolQRPrefix) {
		c, u, err := syncproto.ParseEnrolQR(code)
		if errors.Is(err, syncproto.ErrEnrolCodeTypo) {
			return enrolError(err)
		}
		if err != nil {
			return newError(CodeBadInput, msg("enrol_qr_not_enrolment"), err)
		}
		code, cityURL = c, u
	}
	if cityURL == "" || code == "" {
		return newError(CodeBadInput, msg("enrol_need_address_code"), nil)
	}
	if _, err := e.current().Enrol(ctx, cityURL, code); err != nil {
		return enrolError(err)
	}
	return nil
}

func enrolError(err error) error {
	switch {
	case errors.Is(err, syncproto.ErrEnrolCodeTypo):
		return newError(CodeEnrolCodeTypo, msg("enrol_code_typo"), err)
	case errors.Is(err, syncclient.ErrEnrolMismatch), errors.Is(err, syncproto.ErrEnrolMAC):
		return newError(CodeEnrolMismatch, msg("enrol_mismatch"), err)
	case errors.Is(err, syncproto.ErrInsecureCity):
		return newError(CodeInsecureCity, msg("insecure_city"), err)
	}
	if errors.Is(err, syncproto.ErrUnauthorized) {
		return newError(CodeUnauthorized, msg("enrol_code_refused"), err)
	}
	return newError(CodeUnavailable, syncErrorMsg(syncer.ErrorCode(err)), err)
}

func (e *syncEngine) exportUSB(dir string) (USBResult, error) {
	if dir == "" {
		return USBResult{}, newError(CodeBadInput, msg("usb_need_folder"), nil)
	}
	path, count, err := e.current().ExportBundle(e.n.ctx, dir)
	if err != nil {
		return USBResult{}, newError(CodeUnavailable, msg("usb_write_failed", "error", err.Error()), err)
	}
	return USBResult{Path: path, Count: count}, nil
}

// importUSB applies a receipt file and reports what it changed: the
// requests it moved out of the queue (a file imported twice reports 0)
// and the statuses it applied.
func (e *syncEngine) importUSB(path string) (USBResult, error) {
	before, err := e.n.db.Counts()
	if err != nil {
		return USBResult{}, err
	}
	sum, err := e.current().ImportReceipt(path)
	if err != nil {
		return USBResult{}, newError(CodeBadInput, msg("usb_read_failed", "error", err.Error()), err)
	}
	after, err := e.n.db.Counts()
	if err != nil {
		return USBResult{}, err
	}
	return USBResult{Path: path, Acks: max(before.Queued-after.Queued, 0), Statuses: sum.Statuses}, nil
}

func (e *syncEngine) importProvisioning(path, code string) error {
	if strings.TrimSpace(code) == "" {
		return newError(CodeBadInput, msg("provisioning_need_code"), nil)
	}
	if _, err := e.current().ImportProvisioning(path, code); err != nil {
		if ae := enrolError(err); asError(ae).Code != CodeUnavailable {
			return ae
		}
		return newError(CodeBadInput, msg("provisioning_failed", "error", err.Error()), err)
	}
	return nil
}

// clockOffset is the city's time minus the kiosk's at the last exchange.
func (e *syncEngine) clockOffset() (time.Duration, bool) { return e.current().ClockOffset() }

// cityTime is t moved by the last known offset of the kiosk's clock from
// the city's (t itself before any exchange).
func (n *Node) cityTime(t time.Time) time.Time {
	if off, ok := n.sync.clockOffset(); ok {
		return t.Add(off)
	}
	return t
}

// freeSpace reads the free space the syncer reports in heartbeats: the
// configured reader (tests), else the system's.
func (n *Node) freeSpace() func(dir string) (uint64, error) {
	if n.cfg.FreeSpace != nil {
		return n.cfg.FreeSpace
	}
	return kioskdb.FreeSpace
}
