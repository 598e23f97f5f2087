package main

import (
	"bytes"
	"context"
	"database/sql"
	"html/template"
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
		time.Now().UTC().Format("2006-01-02"), r.PostForm.Get("nonce")).Scan(&id); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var q strings.Builder
	q.WriteString("INSERT INTO bare_answers (response_id, item, value) VALUES ")
	args := []any{id}
	for k, v := range r.PostForm {
		if k == "nonce" {
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

// barePage is the floor the results page is compared against: one
// html/template with sections of a heading and a paragraph, as many as
// bring it to the real page's size.
const barePageText = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{{.Title}}</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><header><a href="/home">Bare</a><nav><a href="/home">Home</a> <a href="/account">Account</a></nav></header>
<main id="main"><h1>{{.Title}}</h1>
{{range .Sections}}<section><h2>{{.Title}}</h2><p>{{.Text}}</p></section>
{{end}}</main><footer><p>A bare html/template page of the real page's size.</p></footer></body></html>
`

type bareSection struct{ Title, Text string }

type barePage struct {
	t *template.Template
	d struct {
		Title    string
		Sections []bareSection
	}
	sections int
}

func (h *barePage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := h.t.Execute(&buf, &h.d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	buf.WriteTo(w)
}

// newBarePage makes a bare page of about size bytes.
func newBarePage(size int) *barePage {
	h := &barePage{t: template.Must(template.New("bare").Parse(barePageText))}
	h.d.Title = "Survey results"
	text := strings.Repeat("A figure and a few words about it. ", 10)
	for {
		var b bytes.Buffer
		h.t.Execute(&b, &h.d)
		if b.Len() >= size {
			break
		}
		h.d.Sections = append(h.d.Sections, bareSection{"A part of the results", text})
	}
	h.sections = len(h.d.Sections)
	return h
}
