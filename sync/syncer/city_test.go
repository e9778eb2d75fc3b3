package syncer

import (
	"context"
	"sync"
	"time"

	"communekiosk/sync/syncproto"
)

// fakeCity is a Transport whose push answers come from a function; by
// default it accepts everything. The syncer pushes several batches at
// once; the answer functions run one call at a time (as a city commits one
// batch per transaction), so a test's function may keep plain counters and
// maps.
type fakeCity struct {
	mu      sync.Mutex
	callMu  sync.Mutex // held while push or pull runs
	push    func(req syncproto.PushRequest) (syncproto.PushResponse, error)
	pull    func(req syncproto.PullRequest) (syncproto.PullResponse, error)
	batches [][]syncproto.Item
	pulls   []syncproto.PullRequest
	beats   []syncproto.Heartbeat
	now     time.Time
}

func acceptAll(req syncproto.PushRequest) (syncproto.PushResponse, error) {
	resp := syncproto.PushResponse{Version: 1}
	for _, it := range req.Items {
		resp.Results = append(resp.Results, syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Accepted, CityRef: "HN-" + it.RequestID})
	}
	return resp, nil
}

func (c *fakeCity) Push(ctx context.Context, req syncproto.PushRequest) (syncproto.PushResponse, error) {
	c.mu.Lock()
	c.batches = append(c.batches, req.Items)
	f := c.push
	c.mu.Unlock()
	if f == nil {
		f = acceptAll
	}
	c.callMu.Lock()
	defer c.callMu.Unlock()
	return f(req)
}

func (c *fakeCity) Pull(ctx context.Context, req syncproto.PullRequest) (syncproto.PullResponse, error) {
	c.mu.Lock()
	c.pulls = append(c.pulls, req)
	f := c.pull
	c.mu.Unlock()
	if f == nil {
		return syncproto.PullResponse{Version: 1, Next: syncproto.Cursor{Epoch: req.Cursor.Epoch, Seq: req.Cursor.Seq}}, nil
	}
	c.callMu.Lock()
	defer c.callMu.Unlock()
	return f(req)
}

func (c *fakeCity) Heartbeat(ctx context.Context, hb syncproto.Heartbeat) (syncproto.HeartbeatResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.beats = append(c.beats, hb)
	return syncproto.HeartbeatResponse{Version: 1, ServerTime: c.now}, nil
}

func (c *fakeCity) batchSizes() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n []int
	for _, b := range c.batches {
		n = append(n, len(b))
	}
	return n
}
