package citybolt

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// CalendarDays implements city.CalendarStore (keys are dates, so in order).
func (s *Store) CalendarDays(ctx context.Context) ([]city.CalendarDay, error) {
	out, err := allJSON[city.CalendarDay](s.db, bCalendar, nil)
	if err != nil {
		return nil, fmt.Errorf("citybolt: calendar: %w", err)
	}
	return out, nil
}

// PutCalendarDay implements city.CalendarStore.
func (s *Store) PutCalendarDay(ctx context.Context, d city.CalendarDay) error {
	err := s.db.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bCalendar), []byte(d.Date), d) })
	if err != nil {
		return fmt.Errorf("citybolt: put calendar day %s: %w", d.Date, err)
	}
	return nil
}

// DeleteCalendarDay implements city.CalendarStore.
func (s *Store) DeleteCalendarDay(ctx context.Context, date string) error {
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bCalendar).Delete([]byte(date)) })
	if err != nil {
		return fmt.Errorf("citybolt: delete calendar day %s: %w", date, err)
	}
	return nil
}
