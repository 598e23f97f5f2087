// Package postgres opens Alongside's PostgreSQL database (the scale-out
// path: several app servers, one database) and holds its quirks.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("the PostgreSQL URL is malformed: %v", errors.Unwrap(err))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20) // a new server connection costs milliseconds; keep them
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s:%d: %v", cfg.Host, cfg.Port, Describe(err))
	}
	return db, nil
}

// IsUniqueViolation reports whether err is a unique_violation (23505).
func IsUniqueViolation(err error) bool { return code(err) == "23505" }

// IsForeignKeyViolation reports whether err is a foreign_key_violation (23503).
func IsForeignKeyViolation(err error) bool { return code(err) == "23503" }

// IsDiskFull reports whether err is disk_full (53100).
func IsDiskFull(err error) bool { return code(err) == "53100" }

// IsBadText reports whether err refuses a text's bytes: a zero byte or
// bytes that are not UTF-8 (character_not_in_repertoire, 22021;
// untranslatable_character, 22P05).
func IsBadText(err error) bool { c := code(err); return c == "22021" || c == "22P05" }

func code(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Describe gives a short message for an administrator.
func Describe(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Message
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return "connection failed (is the server running and the address right?)"
	}
	return err.Error()
}
