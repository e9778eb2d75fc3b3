package syncer

import "time"

// Result is the outcome of one sync run, for the staff screen.
type Result struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Trigger  string    `json:"trigger,omitempty"`

	Batches   int `json:"batches"`
	Pushed    int `json:"pushed"` // items sent, counting resends
	Accepted  int `json:"accepted"`
	Duplicate int `json:"duplicate"`
	Rejected  int `json:"rejected"`
	Conflict  int `json:"conflict"`
	// TooLarge counts the requests quarantined on the kiosk because the
	// city refused each as too large even when sent alone.
	TooLarge int `json:"too_large"`
	Statuses int `json:"statuses"`

	// Err is the failure, nil on success; ErrorCode is its code (see
	// ErrorCode), which app and the frontend say in words.
	Err       error  `json:"-"`
	ErrorCode string `json:"error_code,omitempty"`
	// Warning is set when the sync worked but the heartbeat did not.
	Warning string `json:"warning,omitempty"`
}

// OK reports whether the run succeeded.
func (r Result) OK() bool { return r.Err == nil }

// Progress is one step of a run, for the staff screen's progress bar.
type Progress struct {
	Phase     string `json:"phase"` // see the Phase constants
	Batch     int    `json:"batch"` // 1-based, during push
	Batches   int    `json:"batches"`
	ItemsSent int    `json:"items_sent"`
	// ItemsTotal is the queue depth when the run started.
	ItemsTotal int `json:"items_total"`
	Statuses   int `json:"statuses"`
}

// Phases of a run, as sent in Progress.
const (
	PhaseStart     = "start"
	PhasePush      = "push"
	PhasePull      = "pull"
	PhaseHeartbeat = "heartbeat"
	PhaseDone      = "done"
)

// Triggers of a run.
const (
	TriggerStartup = "startup"
	TriggerCron    = "cron"
	TriggerPoke    = "submission"
	TriggerStaff   = "staff"
	TriggerRetry   = "retry"
	TriggerEnrol   = "enrolment"
	TriggerManual  = "manual" // RunOnce called directly
)
