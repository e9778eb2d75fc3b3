package citypg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
)

// abort carries an error of a caller's function out of a transaction
// unwrapped by the store's own prefix.
type abort struct{ err error }

func (a abort) Error() string { return a.err.Error() }

func unabort(err error) (error, bool) {
	var a abort
	if errors.As(err, &a) {
		return a.err, true
	}
	return err, false
}

func docOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func scanDoc[T any](row pgx.Row) (T, error) {
	var v T
	var doc []byte
	if err := row.Scan(&doc); err != nil {
		return v, err
	}
	return v, json.Unmarshal(doc, &v)
}

func queryDocs[T any](ctx context.Context, q querier, sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scanDoc[T](rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return city.ErrNotFound
	}
	return err
}

func userDoc(u city.User) (string, error) {
	u.CreatedAt, u.UpdatedAt, u.LockedUntil = tsz(u.CreatedAt), tsz(u.UpdatedAt), tsz(u.LockedUntil)
	return docOf(u)
}

// CreateUser implements city.UserStore.
func (s *Store) CreateUser(ctx context.Context, u city.User) error {
	doc, err := userDoc(u)
	if err == nil {
		_, err = s.pool.Exec(ctx, `INSERT INTO users (id, name, doc) VALUES ($1, $2, $3)`, u.ID, u.Name, doc)
	}
	if isCode(err, codeUnique) {
		err = city.ErrExists
	}
	if err != nil {
		return fmt.Errorf("citypg: create user %s: %w", u.Name, err)
	}
	return nil
}

// User implements city.UserStore.
func (s *Store) User(ctx context.Context, id string) (city.User, error) {
	u, err := scanDoc[city.User](s.pool.QueryRow(ctx, `SELECT doc FROM users WHERE id = $1`, id))
	if err != nil {
		return city.User{}, fmt.Errorf("citypg: user %s: %w", id, notFound(err))
	}
	return u, nil
}

// UserByName implements city.UserStore.
func (s *Store) UserByName(ctx context.Context, name string) (city.User, error) {
	u, err := scanDoc[city.User](s.pool.QueryRow(ctx, `SELECT doc FROM users WHERE name = $1`, name))
	if err != nil {
		return city.User{}, fmt.Errorf("citypg: user named %s: %w", name, notFound(err))
	}
	return u, nil
}

// Users implements city.UserStore.
func (s *Store) Users(ctx context.Context) ([]city.User, error) {
	out, err := queryDocs[city.User](ctx, s.pool, `SELECT doc FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("citypg: users: %w", err)
	}
	return out, nil
}

// UpdateUser implements city.UserStore: the row is locked while fn runs.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(u *city.User) error) (city.User, error) {
	var u city.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := scanDoc[city.User](tx.QueryRow(ctx, `SELECT doc FROM users WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(err)
		}
		u = old
		if err := fn(&u); err != nil {
			return abort{err}
		}
		u.ID, u.Name = old.ID, old.Name
		doc, err := userDoc(u)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE users SET doc = $2 WHERE id = $1`, id, doc)
		return err
	})
	if err != nil {
		if e, ok := unabort(err); ok {
			return city.User{}, fmt.Errorf("citypg: update user %s: %w", id, e)
		}
		return city.User{}, fmt.Errorf("citypg: update user %s: %w", id, err)
	}
	return u, nil
}

func sessionDoc(se city.Session) (string, error) {
	se.CreatedAt, se.LastSeen = tsz(se.CreatedAt), tsz(se.LastSeen)
	return docOf(se)
}

// CreateSession implements city.SessionStore.
func (s *Store) CreateSession(ctx context.Context, se city.Session) error {
	doc, err := sessionDoc(se)
	if err == nil {
		_, err = s.pool.Exec(ctx, `INSERT INTO sessions (hash, user_id, created_at, doc) VALUES ($1, $2, $3, $4)`, se.Hash, se.UserID, ts(se.CreatedAt), doc)
	}
	if isCode(err, codeUnique) {
		err = city.ErrExists
	}
	if err != nil {
		return fmt.Errorf("citypg: create session: %w", err)
	}
	return nil
}

// Session implements city.SessionStore.
func (s *Store) Session(ctx context.Context, hash string) (city.Session, error) {
	se, err := scanDoc[city.Session](s.pool.QueryRow(ctx, `SELECT doc FROM sessions WHERE hash = $1`, hash))
	if err != nil {
		return city.Session{}, fmt.Errorf("citypg: session: %w", notFound(err))
	}
	return se, nil
}

// TouchSession implements city.SessionStore.
func (s *Store) TouchSession(ctx context.Context, hash string, now time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sessions SET doc = jsonb_set(doc, '{last_seen}', to_jsonb($2::text)) WHERE hash = $1`,
		hash, ts(now).Format(time.RFC3339Nano))
	if err == nil && tag.RowsAffected() == 0 {
		err = city.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("citypg: touch session: %w", err)
	}
	return nil
}

// DeleteSession implements city.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("citypg: delete session: %w", err)
	}
	return nil
}

// Sessions implements city.SessionStore, oldest first.
func (s *Store) Sessions(ctx context.Context, userID string) ([]city.Session, error) {
	out, err := queryDocs[city.Session](ctx, s.pool, `SELECT doc FROM sessions WHERE user_id = $1 ORDER BY created_at, hash`, userID)
	if err != nil {
		return nil, fmt.Errorf("citypg: sessions of %s: %w", userID, err)
	}
	return out, nil
}

// DeleteSessions implements city.SessionStore.
func (s *Store) DeleteSessions(ctx context.Context, userID string) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("citypg: delete sessions of %s: %w", userID, err)
	}
	return int(tag.RowsAffected()), nil
}

func tokenDoc(t city.APIToken) (string, error) {
	t.CreatedAt, t.RevokedAt = tsz(t.CreatedAt), tsz(t.RevokedAt)
	return docOf(t)
}

// CreateToken implements city.TokenStore.
func (s *Store) CreateToken(ctx context.Context, t city.APIToken) error {
	doc, err := tokenDoc(t)
	if err == nil {
		_, err = s.pool.Exec(ctx, `INSERT INTO api_tokens (id, hash, user_id, created_at, doc) VALUES ($1, $2, $3, $4, $5)`, t.ID, t.Hash, t.UserID, ts(t.CreatedAt), doc)
	}
	if isCode(err, codeUnique) {
		err = city.ErrExists
	}
	if err != nil {
		return fmt.Errorf("citypg: create token: %w", err)
	}
	return nil
}

// TokenByHash implements city.TokenStore.
func (s *Store) TokenByHash(ctx context.Context, hash string) (city.APIToken, error) {
	t, err := scanDoc[city.APIToken](s.pool.QueryRow(ctx, `SELECT doc FROM api_tokens WHERE hash = $1`, hash))
	if err != nil {
		return city.APIToken{}, fmt.Errorf("citypg: token: %w", notFound(err))
	}
	return t, nil
}

// Tokens implements city.TokenStore.
func (s *Store) Tokens(ctx context.Context, userID string) ([]city.APIToken, error) {
	out, err := queryDocs[city.APIToken](ctx, s.pool, `SELECT doc FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("citypg: tokens of %s: %w", userID, err)
	}
	return out, nil
}

// RevokeToken implements city.TokenStore; revoking again keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, id string, now time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET doc = CASE WHEN coalesce(doc->>'revoked_at', '') = ''
		THEN jsonb_set(doc, '{revoked_at}', to_jsonb($2::text)) ELSE doc END WHERE id = $1`, id, ts(now).Format(time.RFC3339Nano))
	if err == nil && tag.RowsAffected() == 0 {
		err = city.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("citypg: revoke token %s: %w", id, err)
	}
	return nil
}
