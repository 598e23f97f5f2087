package main

import (
	"bytes"
	"context"
	"database/sql"
	"html/template"
	"net/http"
	"strings"
	"time"
)

// barePage is the floor the plan page is compared against: one
// html/template with a layout and sections of a heading and a paragraph,
// as many as bring it to the real page's size.
const barePageText = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{{.Title}}</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><header><a href="/home">Bare</a><nav><a href="/home">Home</a> <a href="/account">Account</a></nav></header>
<main id="main"><h1>{{.Title}}</h1>
{{range .Sections}}<section><h2>{{.Title}}</h2><p class="plan-text">{{.Text}}</p></section>
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

// newBarePage makes a bare page of about size bytes from sections of
// about 400 bytes each.
func newBarePage(size int) *barePage {
	h := &barePage{t: template.Must(template.New("bare").Parse(barePageText))}
	h.d.Title = "A recovery plan"
	text := strings.Repeat("Written in the person's own words. ", 10)
	render := func() int {
		var b bytes.Buffer
		h.t.Execute(&b, &h.d)
		return b.Len()
	}
	for render() < size {
		h.d.Sections = append(h.d.Sections, bareSection{"A section of the plan", text})
	}
	h.sections = len(h.d.Sections)
	return h
}

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
