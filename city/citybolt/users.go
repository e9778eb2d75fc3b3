package citybolt

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// CreateUser implements city.UserStore.
func (s *Store) CreateUser(ctx context.Context, u city.User) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		names := tx.Bucket(bUserNames)
		if names.Get([]byte(u.Name)) != nil || tx.Bucket(bUsers).Get([]byte(u.ID)) != nil {
			return city.ErrExists
		}
		if err := names.Put([]byte(u.Name), []byte(u.ID)); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bUsers), []byte(u.ID), u)
	})
	if err != nil {
		return fmt.Errorf("citybolt: create user %s: %w", u.Name, err)
	}
	return nil
}

// User implements city.UserStore.
func (s *Store) User(ctx context.Context, id string) (city.User, error) {
	var u city.User
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bUsers), []byte(id), &u) })
	if err != nil {
		return city.User{}, fmt.Errorf("citybolt: user %s: %w", id, err)
	}
	return u, nil
}

// UserByName implements city.UserStore.
func (s *Store) UserByName(ctx context.Context, name string) (city.User, error) {
	var u city.User
	err := s.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bUserNames).Get([]byte(name))
		if id == nil {
			return city.ErrNotFound
		}
		return getJSON(tx.Bucket(bUsers), id, &u)
	})
	if err != nil {
		return city.User{}, fmt.Errorf("citybolt: user named %q: %w", name, err)
	}
	return u, nil
}

// Users implements city.UserStore.
func (s *Store) Users(ctx context.Context) ([]city.User, error) {
	out, err := allJSON[city.User](s.db, bUsers, nil)
	if err != nil {
		return nil, fmt.Errorf("citybolt: users: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Compare(out[i].Name, out[j].Name) < 0 })
	return out, nil
}

// errAbort carries fn's error out of a bbolt transaction.
type errAbort struct{ err error }

func (e errAbort) Error() string { return e.err.Error() }
func (e errAbort) Unwrap() error { return e.err }

// UpdateUser implements city.UserStore.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(u *city.User) error) (city.User, error) {
	var u city.User
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bUsers)
		if err := getJSON(b, []byte(id), &u); err != nil {
			return err
		}
		uid, name := u.ID, u.Name
		if err := fn(&u); err != nil {
			return errAbort{err}
		}
		u.ID, u.Name = uid, name
		return putJSON(b, []byte(id), u)
	})
	if err != nil {
		var a errAbort
		if errors.As(err, &a) {
			return city.User{}, a.err
		}
		return city.User{}, fmt.Errorf("citybolt: update user %s: %w", id, err)
	}
	return u, nil
}
