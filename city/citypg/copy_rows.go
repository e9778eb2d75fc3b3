package citypg

import (
	"errors"
	"iter"
)

// errStopped ends a stream whose reader stopped pulling.
var errStopped = errors.New("citypg: stream stopped")

// rowStream is a push-style reader of rows: it calls emit once a row, in
// order, and returns emit's first error.
type rowStream func(emit func(row []any) error) error

// pulledRows is a pgx.CopyFromSource over a rowStream: CopyFrom pulls a
// row, the stream pushes it, one at a time (iter.Pull), so a COPY holds
// one row of the source and pgx's send buffer, whatever the table's size.
type pulledRows struct {
	next func() ([]any, error, bool)
	stop func()
	row  []any
	err  error
}

func pullRows(stream rowStream) *pulledRows {
	seq := func(yield func([]any, error) bool) {
		err := stream(func(row []any) error {
			if !yield(row, nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopped) {
			yield(nil, err)
		}
	}
	next, stop := iter.Pull2(iter.Seq2[[]any, error](seq))
	return &pulledRows{next: next, stop: stop}
}

func (p *pulledRows) Next() bool {
	if p.err != nil {
		return false
	}
	row, err, ok := p.next()
	if !ok {
		return false
	}
	if err != nil {
		p.err = err
		return false
	}
	p.row = row
	return true
}

func (p *pulledRows) Values() ([]any, error) { return p.row, nil }
func (p *pulledRows) Err() error             { return p.err }

// Close ends the stream if CopyFrom stopped pulling early (an error).
func (p *pulledRows) Close() { p.stop() }
