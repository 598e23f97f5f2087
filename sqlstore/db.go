package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/cache"
	"github.com/alongside-recovery/alongside/serverkey"
	"github.com/alongside-recovery/alongside/sqlstore/postgres"
	"github.com/alongside-recovery/alongside/sqlstore/sqlite"
)

// db is what every area store shares: the connections (for SQLite, writes
// go through a single connection and reads through a pool; for PostgreSQL
// both are the same pool), the dialect, the prepared statements, the write
// transaction with its audit line and the group commit. There is one per
// Store, so a setting such as Clock or Zone holds for every area.
type db struct {
	w, r    *sql.DB
	dialect dialect
	Clock   alongside.Clock
	Path    string // SQLite file path; empty for PostgreSQL
	// Key seals TOTP secrets at rest; without one, two-step sign-in
	// cannot be turned on.
	Key *serverkey.Key
	// Zone is the deployment's time zone, for what depends on today's date
	// (whether a survey wave is open); nil: UTC. web.New sets it.
	Zone *time.Location

	// SQL text → its statement prepared on the reader (stmts) or on the
	// writer (wstmts, used through Tx), read on every query. A text never
	// changes meaning, so the version is struct{}. The texts are the code's
	// own: a few hundred fixed ones and multi-row INSERTs whose text follows
	// their row count (at most a fold's foldBatch rows or a sheet's), so
	// maxStatements is never reached and nothing is evicted in practice.
	// Were a statement evicted it would not be closed, as a query may be
	// running it: opened holds it until Close.
	stmts, wstmts *cache.Cache[string, struct{}, *sql.Stmt]
	stmtMu        sync.Mutex  // serialises preparing, so each text is prepared once
	opened        []*sql.Stmt // every statement prepared, for Close; under stmtMu

	together groupCommit // writes committed together (writeTogether)
	full     atomic.Bool // a write failed for want of disk space, and none has succeeded since
}

type dialect struct {
	name        string // "sqlite" or "postgres"
	isUnique    func(error) bool
	isForeign   func(error) bool
	isFull      func(error) bool // the disk (or the database's size limit) is full
	isBadText   func(error) bool // a text the engine cannot keep (a zero byte, not UTF-8)
	describe    func(error) string
	idColumn    string // the auto-increment primary key column type
	forShare    string // appended to a SELECT to hold its rows until commit against change
	migrateLock func(ctx context.Context, c *sql.Conn) (unlock func(), err error)

	// holdKey holds a name ($1 a kind, $2 the name) until the transaction
	// ends, so that writes about one name take turns across app servers.
	// Empty where the one writer already serialises every write.
	holdKey string

	// jsonText is the SQL for the text of key in a JSON object held as
	// text in col (NULL when it has none).
	jsonText func(col, key string) string

	// What an engine does its own way, each in <file>_sqlite.go or
	// <file>_postgres.go beside the general path it must agree with
	// (tested on both engines against that path).

	// addSheet keeps a validated sheet (sheets_*.go).
	addSheet func(s *Reviews, ctx context.Context, r *alongside.Review, sh *alongside.EvidenceSheet) error
	// saveSectionInOne saves a section already written in one statement,
	// or returns nil having written nothing (plans_postgres.go); nil: the
	// general path only.
	saveSectionInOne func(s *Plans, ctx context.Context, personID int64, key string, base int,
		text alongside.SectionText, body []byte, by, serviceID int64) (*alongside.SectionVersion, error)
	// unfoldedResponses is the SQL for how many of the wave
	// survey_waves.id's responses are not yet folded (surveys_*.go).
	unfoldedResponses string
	// insertResponse runs insertResponseQuery with args (surveys_*.go).
	insertResponse func(s *Surveys, ctx context.Context, args []any) (duplicate bool, err error)
	// foldLock holds the wave $1 so that folds of it take turns across app
	// servers (surveys_postgres.go); empty where the one writer does.
	foldLock string
}

var sqliteDialect = dialect{
	name: "sqlite", isUnique: sqlite.IsUniqueViolation, isForeign: sqlite.IsForeignKeyViolation, describe: sqlite.Describe,
	isFull: sqlite.IsFull, isBadText: func(error) bool { return false },
	idColumn: "INTEGER PRIMARY KEY AUTOINCREMENT",
	forShare: "", // the one writer connection already holds the database
	holdKey:  "", // BEGIN IMMEDIATE holds the whole database, across processes too
	jsonText: func(col, key string) string { return "json_extract(" + col + `, '$."` + key + `"')` },
	// A single writer connection already serialises migrations within a
	// process, and BEGIN IMMEDIATE serialises them across processes.
	migrateLock: func(context.Context, *sql.Conn) (func(), error) { return func() {}, nil },

	addSheet:          (*Reviews).addSheetTogether,
	unfoldedResponses: unfoldedResponses,
	insertResponse:    (*Surveys).insertResponseTogether,
}

var postgresDialect = dialect{
	name: "postgres", isUnique: postgres.IsUniqueViolation, isForeign: postgres.IsForeignKeyViolation, describe: postgres.Describe,
	isFull: postgres.IsDiskFull, isBadText: postgres.IsBadText,
	idColumn: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	forShare: " FOR SHARE",
	holdKey:  "SELECT pg_advisory_xact_lock($1, hashtext($2))",
	jsonText: func(col, key string) string { return "(" + col + "::json ->> '" + key + "')" },
	// Several app servers may start at once against one database: an
	// advisory lock lets one migrate while the others wait.
	migrateLock: func(ctx context.Context, c *sql.Conn) (func(), error) {
		if _, err := c.ExecContext(ctx, "SELECT pg_advisory_lock(727274)"); err != nil {
			return nil, err
		}
		return func() { c.ExecContext(context.Background(), "SELECT pg_advisory_unlock(727274)") }, nil
	},

	addSheet:          (*Reviews).addSheetPostgres,
	saveSectionInOne:  (*Plans).saveInOne,
	unfoldedResponses: postgresUnfoldedResponses,
	insertResponse:    (*Surveys).insertResponseAlone,
	foldLock:          postgresFoldLock,
}

// prepared returns the reader's prepared statement for a fixed query.
// Compiling SQL was the largest single cost of a page on SQLite, so every
// fixed read is prepared once (database/sql re-prepares it per connection).
// Queries built from filters must not come here: each variant would stay.
func (s *db) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	return s.prepare(ctx, s.r, s.stmts, q)
}

func (s *db) prepare(ctx context.Context, db *sql.DB, c *cache.Cache[string, struct{}, *sql.Stmt], q string) (*sql.Stmt, error) {
	if st, ok := c.Get(q, struct{}{}); ok {
		return st, nil
	}
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := c.Get(q, struct{}{}); ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.Put(q, struct{}{}, st)
	s.opened = append(s.opened, st)
	return st, nil
}

// maxStatements bounds each prepared-statement cache (see db.stmts).
const maxStatements = 4096

func newDB() *db {
	return &db{
		Clock:  alongside.SystemClock{},
		stmts:  cache.New[string, struct{}, *sql.Stmt]("reader statements", maxStatements),
		wstmts: cache.New[string, struct{}, *sql.Stmt]("writer statements", maxStatements),
	}
}

// query runs a fixed read through its prepared statement.
func (s *db) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a fixed single-row read through its prepared statement.
func (s *db) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := s.prepared(ctx, q)
	if err != nil {
		return s.r.QueryRowContext(ctx, q, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// Engine names the database engine: "sqlite" or "postgres".
func (s *db) Engine() string { return s.dialect.name }

// DB returns the writer pool, for tests and tools that need raw access.
func (s *db) DB() *sql.DB { return s.w }

// Tx is a write transaction. Store methods that change data run in one, and
// write their audit events in the same transaction, so a change is never
// recorded without its audit line or the other way round.
type Tx struct {
	*sql.Tx
	s   *db
	ctx context.Context
	now time.Time

	unprepared []string // statement texts run without a prepared statement
}

// Kinds of name a transaction may hold with hold.
const (
	holdSignInAccount  = 1
	holdSignInAddress  = 2
	holdInvitingPerson = 3
)

// hold keeps other transactions that hold the same kind and name waiting
// until this one ends, so a count read and then added to stays true across
// app servers (PostgreSQL's advisory lock; SQLite's one writer already
// holds the whole database).
func (tx *Tx) hold(kind int, name string) error {
	if q := tx.s.dialect.holdKey; q != "" {
		_, err := tx.ExecContext(tx.ctx, q, kind, name)
		return err
	}
	return nil
}

// ExecContext, QueryContext and QueryRowContext run a statement of the
// transaction through one prepared on the writer: SQLite would otherwise
// compile the SQL text again on every call, which for a sheet's multi-row
// INSERTs costs more than running them. A text not yet prepared runs as it
// is and is prepared after the transaction, as SQLite's one writer
// connection is busy until then. The texts are the store's own, so the
// cache stays small.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, q, args...)
}

func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, q, args...)
}

func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, q, args...)
}

func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if st, ok := tx.s.wstmts.Get(q, struct{}{}); ok {
		return tx.StmtContext(ctx, st)
	}
	tx.unprepared = append(tx.unprepared, q)
	return nil
}

// prepareLater prepares on the writer the texts a transaction ran
// unprepared. A text that fails to prepare is left to run unprepared.
func (s *db) prepareLater(ctx context.Context, texts []string) {
	for _, q := range texts {
		s.prepare(ctx, s.w, s.wstmts, q)
	}
}

// write runs fn in a transaction on the writer and commits if it returns nil.
func (s *db) write(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	tx := &Tx{Tx: sqlTx, s: s, ctx: ctx, now: s.Clock.Now()}
	defer func() { s.prepareLater(ctx, tx.unprepared) }()
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return s.wrap(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return s.wrap(err)
	}
	if s.full.Load() {
		s.full.Store(false)
	}
	return nil
}

// wrap maps database errors to domain errors by code, never by message.
func (s *db) wrap(err error) error {
	if err == nil {
		return nil
	}
	var ae *alongside.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return alongside.Errorf(alongside.ENOTFOUND, "We could not find that.")
	}
	if s.dialect.isUnique(err) {
		return alongside.Errorf(alongside.ECONFLICT, "That already exists.")
	}
	if s.dialect.isForeign(err) {
		return alongside.Errorf(alongside.EINVALID, "That refers to something that does not exist.")
	}
	if s.dialect.isFull(err) {
		s.full.Store(true)
		return alongside.NoSpace()
	}
	// The domain's Validate refuses such texts first; this is the net
	// under what it does not see, so the engine's refusal is never a 500.
	if s.dialect.isBadText(err) {
		return alongside.Errorf(alongside.EINVALID, "What was entered contains characters that cannot be kept (a zero byte, or bytes that are not text). Type it again rather than pasting it.")
	}
	return err
}

// audit appends an event to the audit log within the transaction, taking
// who and where from the request's origin. An event in a service belongs to
// the service's organisation, so its administrators see it.
func (tx *Tx) audit(action, targetKind string, targetID, orgID, serviceID int64, detail string) error {
	o := alongside.OriginFrom(tx.ctx)
	_, err := tx.ExecContext(tx.ctx, `INSERT INTO audit_events
		(at, actor_id, actor_email, action, target_kind, target_id, org_id, service_id, ip, request_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, (SELECT org_id FROM services WHERE id = $8)), $8, $9, $10, $11)`,
		ms(tx.now), nullID(o.ActorID), o.ActorEmail, action, targetKind, nullID(targetID), nullID(orgID), nullID(serviceID), o.IP, o.RequestID, detail)
	return err
}

// Times are stored as Unix milliseconds in UTC: one representation that
// both engines compare and index the same way.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// nullID stores 0 as NULL so that optional references satisfy foreign keys.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// scanner is satisfied by *sql.Row and *sql.Rows.
type scanner interface{ Scan(...any) error }

// notFound returns a not-found error naming the thing.
func notFound(what string) error {
	return alongside.Errorf(alongside.ENOTFOUND, "We could not find that %s.", what)
}

// today is now in the deployment's zone.
func (s *db) today() time.Time {
	if s.Zone == nil {
		return s.Clock.Now().UTC()
	}
	return s.Clock.Now().In(s.Zone)
}
