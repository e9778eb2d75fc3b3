package citybolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

var _ city.ReportStore = (*Store)(nil)

// bReport is the uptake report's index: office 0 ref → a compact row
// (reportValue), kept with the other indexes in the transaction that
// writes the request. A report reads it instead of decoding each request.
var bReport = []byte("report")

func reportKey(r city.Request) []byte {
	return join([]byte(r.Office), []byte(r.CityRef))
}

// reportValue is received, due and finished (unix ns, 0 for none), then
// status, channel and service, each one length byte and its bytes.
func reportValue(row city.ReportRow) []byte {
	b := make([]byte, 0, 24+3+len(row.Status)+len(row.Channel)+len(row.Service))
	for _, t := range []time.Time{row.ReceivedAt, row.DueAt, row.FinishedAt} {
		var n int64
		if !t.IsZero() {
			n = t.UnixNano()
		}
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	for _, s := range []string{string(row.Status), row.Channel, row.Service} {
		b = append(b, byte(min(len(s), 255)))
		b = append(b, s[:min(len(s), 255)]...)
	}
	return b
}

func putReport(tx *bolt.Tx, r city.Request) error {
	return tx.Bucket(bReport).Put(reportKey(r), reportValue(city.RowOf(r)))
}

func deleteReport(tx *bolt.Tx, r city.Request) error {
	return tx.Bucket(bReport).Delete(reportKey(r))
}

var errBadReportRow = errors.New("citybolt: report row malformed")

// interned gives each distinct status, channel and service one string, so
// a report over a million rows does not allocate a million of each.
type interned map[string]string

func (in interned) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// UptakeRows implements city.ReportStore.
func (s *Store) UptakeRows(ctx context.Context, sc city.Scope, from, to time.Time, add func(city.ReportRow)) error {
	offs := sc.Offices("")
	fromNs, toNs := from.UnixNano(), to.UnixNano()
	strs := interned{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bReport).Cursor()
		n := 0
		for _, office := range offs {
			prefix := append([]byte(office), 0)
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if n++; n%4096 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				if len(v) < 27 {
					return errBadReportRow
				}
				recv := int64(binary.BigEndian.Uint64(v[0:]))
				fin := int64(binary.BigEndian.Uint64(v[16:]))
				if recv >= toNs || (fin != 0 && fin < fromNs) {
					continue
				}
				row := city.ReportRow{Office: office, ReceivedAt: time.Unix(0, recv), FinishedAt: unixNs(fin),
					DueAt: unixNs(int64(binary.BigEndian.Uint64(v[8:])))}
				rest := v[24:]
				var parts [3]string
				for i := range parts {
					if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
						return errBadReportRow
					}
					parts[i] = strs.get(rest[1 : 1+int(rest[0])])
					rest = rest[1+int(rest[0]):]
				}
				row.Status, row.Channel, row.Service = syncproto.Status(parts[0]), parts[1], parts[2]
				add(row)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("citybolt: uptake rows: %w", err)
	}
	return nil
}

func unixNs(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// reportAll builds the report index of a store made before it (schema 2).
func reportAll(tx *bolt.Tx) error {
	return tx.Bucket(bRequests).ForEach(func(_, v []byte) error {
		var r city.Request
		if err := jsonUnmarshal(v, &r); err != nil {
			return err
		}
		if r.Office == "" {
			r.Office = r.Commune
		}
		return putReport(tx, r)
	})
}
