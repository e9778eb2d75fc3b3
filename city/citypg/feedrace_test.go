package citypg_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"communekiosk/city"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/sync/syncproto"
)

// A feed under test: writers append changes through their own pools, one
// reader pages through it with a cursor, as a kiosk does.
type feedUnderTest interface {
	// append records a change of request id by writer w (0, 1, 2).
	append(ctx context.Context, w int, id string) error
	// read returns the changes after the cursor.
	read(ctx context.Context, after uint64) ([]syncproto.StatusChange, error)
}

// pgFeed is citypg's feed: each writer is its own Store (pool).
type pgFeed struct {
	writers []*citypg.Store
	kiosk   string
}

func (f *pgFeed) append(ctx context.Context, w int, id string) error {
	_, err := f.writers[w].SetStatus(ctx, id, syncproto.StatusProcessing, "", t0)
	return err
}

func (f *pgFeed) read(ctx context.Context, after uint64) ([]syncproto.StatusChange, error) {
	ch, _, _, err := f.writers[0].Feed(ctx, f.kiosk, after, 1000)
	return ch, err
}

// naiveFeed is the design this test exists to catch: a feed numbered by
// a sequence (bigserial), read with seq > cursor. A number is taken at
// insert and becomes visible at commit, so a reader can pass a number
// that commits later and never come back for it.
type naiveFeed struct {
	pools []*pgxpool.Pool
}

const naiveSchema = `CREATE TABLE naive_feed (seq bigserial PRIMARY KEY, request_id text NOT NULL, status text NOT NULL, changed_at timestamptz NOT NULL DEFAULT now())`

func (f *naiveFeed) append(ctx context.Context, w int, id string) error {
	_, err := f.pools[w].Exec(ctx, `INSERT INTO naive_feed (request_id, status) VALUES ($1, 'processing')`, id)
	return err
}

func (f *naiveFeed) read(ctx context.Context, after uint64) ([]syncproto.StatusChange, error) {
	rows, err := f.pools[0].Query(ctx, `SELECT seq, request_id, status FROM naive_feed WHERE seq > $1 ORDER BY seq`, int64(after))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []syncproto.StatusChange
	for rows.Next() {
		var c syncproto.StatusChange
		var seq int64
		if err := rows.Scan(&seq, &c.RequestID, &c.Status); err != nil {
			return nil, err
		}
		c.Seq = uint64(seq)
		out = append(out, c)
	}
	return out, rows.Err()
}

// holdTrigger makes every insert into table of a request whose ID starts
// with "slow-" wait, after its row has its number and before its
// transaction commits, for an advisory lock the test holds: a commit made
// late, on demand, without sleeping.
func holdTrigger(t *testing.T, pool *pgxpool.Pool, table string, key int64) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, fmt.Sprintf(`CREATE FUNCTION hold_slow_%[1]s() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.request_id LIKE 'slow-%%' THEN PERFORM pg_advisory_xact_lock_shared(%[2]d); END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER hold_slow AFTER INSERT ON %[1]s FOR EACH ROW EXECUTE FUNCTION hold_slow_%[1]s()`, table, key))
	if err != nil {
		t.Fatal(err)
	}
}

// feedRace runs rounds of: writer 0 appends a change that is held before
// commit; writers 1 and 2 append theirs (they finish, or wait behind
// writer 0); the reader reads; writer 0 is let go; the reader catches up.
// It returns what the reader got wrong: changes skipped, repeated, or out
// of sequence.
func feedRace(t *testing.T, f feedUnderTest, admin *pgxpool.Pool, app string, key int64, rounds int, cursor uint64) []string {
	t.Helper()
	ctx := context.Background()
	hold, err := admin.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Release()
	var got []syncproto.StatusChange
	readAll := func() {
		ch, err := f.read(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ch...)
		if len(ch) > 0 {
			cursor = ch[len(ch)-1].Seq
		}
	}
	var want []string
	for r := range rounds {
		if _, err := hold.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
			t.Fatal(err)
		}
		slow := fmt.Sprintf("slow-%02d", r)
		ids := []string{slow, fmt.Sprintf("fast-%02d-1", r), fmt.Sprintf("fast-%02d-2", r)}
		want = append(want, ids...)
		var wg sync.WaitGroup
		errs := make([]error, 3)
		wg.Add(1)
		go func() { defer wg.Done(); errs[0] = f.append(ctx, 0, slow) }()
		waitFor(t, admin, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1::bigint::oid AND NOT granted`, 1, key)
		done := make(chan int, 2)
		for w := 1; w <= 2; w++ {
			wg.Add(1)
			go func() { defer wg.Done(); errs[w] = f.append(ctx, w, ids[w]); done <- w }()
		}
		// Writers 1 and 2 either committed or wait on a lock (behind
		// writer 0's kiosk row): then the reader reads.
		waitFor(t, admin, `SELECT count(*) FROM pg_stat_activity WHERE application_name = '`+app+`' AND wait_event_type = 'Lock'`, -1, 0, func(waiting int) bool {
			return waiting+len(done) >= 3 // writer 0 waits too
		})
		readAll()
		if _, err := hold.Exec(ctx, `SELECT pg_advisory_unlock($1)`, key); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("round %d writer %d: %v", r, w, err)
			}
		}
		readAll()
	}
	readAll()
	return feedProblems(got, want)
}

// feedProblems lists what a reader that saw got, wanting each of want
// once, got wrong.
func feedProblems(got []syncproto.StatusChange, want []string) []string {
	var problems []string
	seen := map[string]int{}
	for i, c := range got {
		seen[c.RequestID]++
		if i > 0 && c.Seq != got[i-1].Seq+1 {
			problems = append(problems, fmt.Sprintf("seq %d after %d", c.Seq, got[i-1].Seq))
		}
	}
	for _, id := range want {
		switch seen[id] {
		case 0:
			problems = append(problems, "skipped "+id)
		case 1:
		default:
			problems = append(problems, fmt.Sprintf("%s %d times", id, seen[id]))
		}
	}
	sort.Strings(problems)
	return problems
}

// waitFor polls query (one int) until it equals want (or ok says so), a
// bounded number of times: the server's own view of who waits on what.
func waitFor(t *testing.T, pool *pgxpool.Pool, query string, want int, arg int64, ok ...func(int) bool) {
	t.Helper()
	ctx := context.Background()
	var n int
	for range 2000 {
		var err error
		if strings.Contains(query, "$1") {
			err = pool.QueryRow(ctx, query, arg).Scan(&n)
		} else {
			err = pool.QueryRow(ctx, query).Scan(&n)
		}
		if err != nil {
			t.Fatal(err)
		}
		if (len(ok) == 0 && n == want) || (len(ok) > 0 && ok[0](n)) {
			return
		}
		time.Sleep(5 * time.Millisecond) // polling the server's state, bounded
	}
	t.Fatalf("waited in vain for %q (last %d)", query, n)
}

func lockKey(name string) int64 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int64(h.Sum32())
}

// TestFeedNeverSkipsUnderConcurrentWriters: three writers append to one
// kiosk's feed while the kiosk reads it, one of them committing late each
// round. citypg's reader sees every change once, in sequence; the same
// test against the naive sequence-numbered feed finds skipped changes,
// which shows that it tests something.
func TestFeedNeverSkipsUnderConcurrentWriters(t *testing.T) {
	const rounds = 5
	t.Run("citypg", func(t *testing.T) {
		dsn := citypgtest.Schema(t)
		app := "feedrace-" + fmt.Sprint(lockKey(dsn))
		var st []*citypg.Store
		for range 3 {
			s, err := citypg.Open(context.Background(), dsn, citypg.Options{Migrate: true, ApplicationName: app, Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			st = append(st, s)
		}
		ctx := context.Background()
		k, err := st[0].RegisterKiosk(ctx, "00004", "", testKey(1), t0)
		if err != nil {
			t.Fatal(err)
		}
		var items []city.IngestItem
		for r := range rounds {
			for _, id := range []string{fmt.Sprintf("slow-%02d", r), fmt.Sprintf("fast-%02d-1", r), fmt.Sprintf("fast-%02d-2", r)} {
				items = append(items, testItem(uint64(len(items)+1), id, "h"))
			}
		}
		if _, err := st[0].Ingest(ctx, k.ID, items, t0); err != nil {
			t.Fatal(err)
		}
		f := &pgFeed{writers: st, kiosk: k.ID}
		head, err := f.read(ctx, 0)
		if err != nil || len(head) != len(items) {
			t.Fatalf("feed after ingest: %d, %v", len(head), err)
		}
		holdTrigger(t, st[0].Pool(), "feed", lockKey(dsn))
		// The reader starts after the "received" entries.
		problems := feedRace(t, f, st[0].Pool(), app, lockKey(dsn), rounds, uint64(len(items)))
		if len(problems) > 0 {
			t.Fatalf("citypg's feed: %v", problems)
		}
	})
	t.Run("naive sequence feed is caught", func(t *testing.T) {
		dsn := citypgtest.Schema(t)
		app := "feedrace-" + fmt.Sprint(lockKey(dsn))
		var pools []*pgxpool.Pool
		for range 3 {
			cfg, err := citypg.Config(dsn, citypg.Options{ApplicationName: app})
			if err != nil {
				t.Fatal(err)
			}
			p, err := citypg.OpenPool(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(p.Close)
			pools = append(pools, p)
		}
		if _, err := pools[0].Exec(context.Background(), naiveSchema); err != nil {
			t.Fatal(err)
		}
		holdTrigger(t, pools[0], "naive_feed", lockKey(dsn))
		problems := feedRace(t, &naiveFeed{pools: pools}, pools[0], app, lockKey(dsn), rounds, 0)
		skipped := 0
		for _, p := range problems {
			if strings.HasPrefix(p, "skipped slow-") {
				skipped++
			}
		}
		if skipped != rounds {
			t.Fatalf("the naive feed should lose every late commit (%d); the test saw %v", rounds, problems)
		}
		t.Logf("naive feed, as expected: %v", problems)
	})
}

// TestFeedStress: three writers through their own pools move requests of
// one kiosk as fast as they can while a reader pages the feed with its
// cursor; the reader sees every change once, each seq one more than the
// last.
func TestFeedStress(t *testing.T) {
	st := instances(t, 3)
	ctx := context.Background()
	k, err := st[0].RegisterKiosk(ctx, "00004", "", testKey(1), t0)
	if err != nil {
		t.Fatal(err)
	}
	const perWriter = 30
	var items []city.IngestItem
	for i := range 3 * perWriter {
		items = append(items, testItem(uint64(i+1), fmt.Sprintf("r%03d", i), "h"))
	}
	if _, err := st[0].Ingest(ctx, k.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, it := range items {
		want = append(want, it.RequestID)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items) && errs[w] == nil; i += 3 {
				_, errs[w] = st[w].SetStatus(ctx, items[i].RequestID, syncproto.StatusProcessing, "", t0)
			}
		}()
	}
	cursor := uint64(len(items))
	var got []syncproto.StatusChange
	for range 100_000 { // bounded; ends when every change is read
		ch, _, _, err := st[0].Feed(ctx, k.ID, cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ch...)
		if len(ch) > 0 {
			cursor = ch[len(ch)-1].Seq
		}
		if len(got) >= len(items) {
			break
		}
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", w, err)
		}
	}
	if p := feedProblems(got, want); len(p) > 0 {
		t.Fatalf("reader: %v", p)
	}
}
