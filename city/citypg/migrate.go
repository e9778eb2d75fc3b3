package citypg

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrSchemaNewer is returned when the database was migrated by a newer
// cityd than this one: it refuses to serve rather than guess.
var ErrSchemaNewer = errors.New("citypg: the database schema is newer than this cityd")

// ErrSchemaOlder is returned by Open without Options.Migrate when the
// database needs migrating first (cityd migrate).
var ErrSchemaOlder = errors.New("citypg: the database schema is older than this cityd: run cityd migrate")

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded files NNNN_name.sql in order. Versions
// must run 1, 2, 3… without a gap.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("citypg: migration file %s: want NNNN_name.sql", base)
		}
		data, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(data)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("citypg: migration %s: want version %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err) // embedded files: a build defect, caught by the tests
	}
	return len(ms)
}

// lockSQL serialises migrations of this schema across every process: a
// transaction-scoped advisory lock (safe behind PgBouncer in transaction
// mode), keyed by the schema the connection works in.
const lockSQL = `SELECT pg_advisory_xact_lock(hashtext('citypg.migrate:' || current_schema()))`

const versionTableSQL = `CREATE TABLE IF NOT EXISTS citypg_schema (version int NOT NULL)`

// Migrate brings the schema to SchemaVersion, one transaction per
// version: each takes the advisory lock, reads the version again (another
// cityd may have just applied it), applies the file and records the new
// version. Several cityd starting at once apply each version once.
// It returns the version before and after.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (from, to int, err error) {
	ms, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	from = -1
	for _, m := range ms {
		var cur int
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, lockSQL); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, versionTableSQL); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM citypg_schema`).Scan(&cur); err != nil {
				return err
			}
			if cur > len(ms) {
				return fmt.Errorf("%w (database %d, this cityd %d)", ErrSchemaNewer, cur, len(ms))
			}
			if cur >= m.version {
				return nil
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("apply %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM citypg_schema`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO citypg_schema (version) VALUES ($1)`, m.version)
			return err
		})
		if err != nil {
			if errors.Is(err, ErrSchemaNewer) {
				return cur, cur, err
			}
			return from, 0, fmt.Errorf("citypg: migrate to %d: %w", m.version, err)
		}
		if from < 0 {
			from = cur
		}
	}
	to, err = schemaVersion(ctx, pool)
	return from, to, err
}

// schemaVersion reads the database's version (0: never migrated).
func schemaVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('citypg_schema') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("citypg: schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM citypg_schema`).Scan(&v); err != nil {
		return 0, fmt.Errorf("citypg: schema version: %w", err)
	}
	return v, nil
}

// querier is what both a pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
