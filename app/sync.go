package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"communekiosk/kiosk"
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
	At         time.Time  `json:"at,omitzero"`
	OK         bool       `json:"ok"`
	Error      kiosk.Text `json:"error,omitzero"` // why the last sync failed
	Pushed     int        `json:"pushed"`
	Accepted   int        `json:"accepted"`
	Duplicates int        `json:"duplicates"`
	Rejected   int        `json:"rejected"`
	Statuses   int        `json:"statuses"`
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
	if !r.OK() {
		v.Error = syncErrorText(r.ErrorCode)
	}
	return v
}

func (e *syncEngine) progress() (bool, SyncProgress) {
	st := e.current().State()
	e.mu.Lock()
	defer e.mu.Unlock()
	return st.Running, e.prog
}

func (e *syncEngine) alarms() []kiosk.Text {
	var out []kiosk.Text
	for _, a := range e.current().State().Alarms {
		out = append(out, syncAlarmText(a))
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
			return newError(CodeBadInput, "Mã QR này không phải mã đăng ký máy của thành phố.",
				"This QR code is not an enrolment code of the city.", err)
		}
		code, cityURL = c, u
	}
	if cityURL == "" || code == "" {
		return newError(CodeBadInput, "Hãy nhập địa chỉ máy chủ thành phố và mã đăng ký.",
			"Enter the city server's address and the enrolment code.", nil)
	}
	if _, err := e.current().Enrol(ctx, cityURL, code); err != nil {
		return enrolError(err)
	}
	return nil
}

func enrolError(err error) error {
	switch {
	case errors.Is(err, syncproto.ErrEnrolCodeTypo):
		return newError(CodeEnrolCodeTypo, "Mã đăng ký gõ chưa đúng: kiểm tra lại từng ký tự (16 ký tự, ví dụ 7KQM-X3AD-9TWF-HC44).",
			"The enrolment code is mistyped: check each character (16 characters, e.g. 7KQM-X3AD-9TWF-HC44).", err)
	case errors.Is(err, syncclient.ErrEnrolMismatch), errors.Is(err, syncproto.ErrEnrolMAC):
		return newError(CodeEnrolMismatch,
			"Không đăng ký: câu trả lời không khớp với mã đăng ký, có thể có người xen giữa máy này và thành phố. Máy chưa lưu khoá nào. Báo cho bộ phận CNTT của thành phố và xin mã mới.",
			"Not enrolled: the answer does not match the enrolment code; someone may be between this kiosk and the city. No key was stored. Tell the city's IT staff and ask for a new code.", err)
	case errors.Is(err, syncproto.ErrInsecureCity):
		return newError(CodeInsecureCity,
			"Địa chỉ máy chủ thành phố phải bắt đầu bằng https://. Kết nối http:// không mã hoá chỉ được dùng khi người cài đặt bật --allow-insecure-city.",
			"The city server's address must start with https://. An unencrypted http:// connection is only allowed if the installer turns on --allow-insecure-city.", err)
	}
	if errors.Is(err, syncproto.ErrUnauthorized) {
		return newError(CodeUnauthorized, "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn. Xin mã mới từ thành phố.",
			"The enrolment code is wrong, used or expired. Ask the city for a new one.", err)
	}
	t := syncErrorText(syncer.ErrorCode(err))
	return newError(CodeUnavailable, t.VI, t.EN, err)
}

func (e *syncEngine) exportUSB(dir string) (USBResult, error) {
	if dir == "" {
		return USBResult{}, newError(CodeBadInput, "Hãy nhập thư mục của ổ USB.", "Enter the USB drive's folder.", nil)
	}
	path, count, err := e.current().ExportBundle(e.n.ctx, dir)
	if err != nil {
		return USBResult{}, newError(CodeUnavailable, "Không ghi được tệp lên USB: "+err.Error(),
			"Could not write the file to the USB drive: "+err.Error(), err)
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
		return USBResult{}, newError(CodeBadInput, "Không đọc được tệp biên nhận của thành phố: "+err.Error(),
			"Could not read the city's receipt file: "+err.Error(), err)
	}
	after, err := e.n.db.Counts()
	if err != nil {
		return USBResult{}, err
	}
	return USBResult{Path: path, Acks: max(before.Queued-after.Queued, 0), Statuses: sum.Statuses}, nil
}

func (e *syncEngine) importProvisioning(path, code string) error {
	if strings.TrimSpace(code) == "" {
		return newError(CodeBadInput, "Hãy nhập mã đăng ký thành phố đưa kèm tệp.",
			"Enter the enrolment code the city gave with the file.", nil)
	}
	if _, err := e.current().ImportProvisioning(path, code); err != nil {
		if ae := enrolError(err); asError(ae).Code != CodeUnavailable {
			return ae
		}
		return newError(CodeBadInput, "Không dùng được tệp đăng ký máy: "+err.Error(),
			"Could not use the provisioning file: "+err.Error(), err)
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
