package main

import (
	"context"
	"database/sql"
	"net/http"
	"time"
)

// bareSave is the floor a plan save is compared against: parse the form,
// INSERT it as one row in one transaction, answer 303. No session, no
// access check, no version check, no history, no audit line.
type bareSave struct{ db *sql.DB }

func newBareSave(ctx context.Context, db *sql.DB, engine string) (*bareSave, error) {
	id := "BIGSERIAL PRIMARY KEY"
	if engine == "sqlite" {
		id = "INTEGER PRIMARY KEY"
	}
	_, err := db.ExecContext(ctx, `CREATE TABLE bare_saves (id `+id+`, section TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, saved_at BIGINT NOT NULL)`)
	return &bareSave{db}, err
}

func (h *bareSave) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	tx, err := h.db.BeginTx(r.Context(), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(r.Context(), "INSERT INTO bare_saves (section, version, body, saved_at) VALUES ($1, $2, $3, $4)",
		r.PostForm.Get("title"), len(r.PostForm.Get("version")), r.PostForm.Encode(), time.Now().UnixMilli()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/done", http.StatusSeeOther)
}
