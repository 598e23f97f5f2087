package main

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// bareAnswers is the floor an answer is compared against: parse the form,
// INSERT the response and its answers (one multi-row INSERT) in one
// transaction, answer 200. No survey lookup, no validation, no duplicate
// check, no tallies.
type bareAnswers struct{ db *sql.DB }

func newBareAnswers(ctx context.Context, db *sql.DB, engine string) (*bareAnswers, error) {
	id := "BIGSERIAL PRIMARY KEY"
	if engine == "sqlite" {
		id = "INTEGER PRIMARY KEY"
	}
	for _, q := range []string{
		`CREATE TABLE bare_responses (id ` + id + `, received_on TEXT NOT NULL, nonce TEXT NOT NULL)`,
		`CREATE TABLE bare_answers (response_id BIGINT NOT NULL REFERENCES bare_responses (id), item TEXT NOT NULL, value TEXT NOT NULL,
			PRIMARY KEY (response_id, item))`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	return &bareAnswers{db}, nil
}

func (h *bareAnswers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	var id int64
	if err := tx.QueryRowContext(r.Context(), "INSERT INTO bare_responses (received_on, nonce) VALUES ($1, $2) RETURNING id",
		time.Now().UTC().Format("2006-01-02"), r.PostForm.Get("form_token")).Scan(&id); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var q strings.Builder
	q.WriteString("INSERT INTO bare_answers (response_id, item, value) VALUES ")
	args := []any{id}
	for k, v := range r.PostForm {
		if k == "form_token" {
			continue
		}
		if len(args) > 1 {
			q.WriteString(", ")
		}
		args = append(args, k, v[0])
		q.WriteString("($1, $" + strconv.Itoa(len(args)-1) + ", $" + strconv.Itoa(len(args)) + ")")
	}
	if _, err := tx.ExecContext(r.Context(), q.String(), args...); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte("<!doctype html><title>Thank you</title><p>Thank you</p>"))
}
