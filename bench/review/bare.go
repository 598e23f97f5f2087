package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// bareSheets is the floor a sheet submission is compared against: parse
// the form, then in one transaction INSERT the sheet row, its ratings (one
// multi-row INSERT) and its evidence (another), and answer 303. No session,
// no access check, no validation against the statement set, no audit line.
// Its tables live in the same database as the real ones, so both pay the
// same engine, pool and disk.
type bareSheets struct{ db *sql.DB }

// bareSheetTables are the bare handler's own tables, shaped like
// evidence_sheets, sheet_ratings and sheet_evidence.
func bareSheetTables(ctx context.Context, db *sql.DB, engine string) error {
	id := "BIGSERIAL PRIMARY KEY"
	if engine == "sqlite" {
		id = "INTEGER PRIMARY KEY"
	}
	for _, q := range []string{
		`CREATE TABLE bare_sheets (id ` + id + `, review_id BIGINT NOT NULL, source TEXT NOT NULL, reference TEXT NOT NULL DEFAULT '',
			paper BOOLEAN NOT NULL DEFAULT FALSE, entered_by BIGINT, submitted_at BIGINT NOT NULL)`,
		`CREATE INDEX bare_sheets_review ON bare_sheets (review_id, source)`,
		`CREATE TABLE bare_ratings (sheet_id BIGINT NOT NULL REFERENCES bare_sheets (id), indicator TEXT NOT NULL, n INTEGER NOT NULL,
			rating INTEGER NOT NULL, PRIMARY KEY (sheet_id, indicator, n))`,
		`CREATE TABLE bare_evidence (sheet_id BIGINT NOT NULL REFERENCES bare_sheets (id), indicator TEXT NOT NULL, text TEXT NOT NULL,
			PRIMARY KEY (sheet_id, indicator))`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (h bareSheets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var ratings, evidence strings.Builder
	rargs, eargs := []any{int64(0)}, []any{int64(0)}
	for k, v := range r.PostForm {
		if rest, ok := strings.CutPrefix(k, "r-"); ok {
			i := strings.LastIndexByte(rest, '-')
			n, err1 := strconv.Atoi(rest[i+1:])
			val, err2 := 0, error(nil) // "na" is stored as 0
			if v[0] != "na" {
				val, err2 = strconv.Atoi(v[0])
			}
			if i < 0 || err1 != nil || err2 != nil {
				http.Error(w, "bad rating "+k, http.StatusBadRequest)
				return
			}
			if len(rargs) > 1 {
				ratings.WriteString(", ")
			}
			fmt.Fprintf(&ratings, "($1, $%d, $%d, $%d)", len(rargs)+1, len(rargs)+2, len(rargs)+3)
			rargs = append(rargs, rest[:i], n, val)
		} else if key, ok := strings.CutPrefix(k, "e-"); ok && v[0] != "" {
			if len(eargs) > 1 {
				evidence.WriteString(", ")
			}
			fmt.Fprintf(&evidence, "($1, $%d, $%d)", len(eargs)+1, len(eargs)+2)
			eargs = append(eargs, key, v[0])
		}
	}
	if err := h.insert(r.Context(), r.PathValue("source"), ratings.String(), evidence.String(), rargs, eargs); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/done", http.StatusSeeOther)
}

func (h bareSheets) insert(ctx context.Context, source, ratings, evidence string, rargs, eargs []any) error {
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO bare_sheets (review_id, source, paper, entered_by, submitted_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, 1, source, true, 1, time.Now().UnixMilli()).Scan(&id); err != nil {
		return err
	}
	rargs[0], eargs[0] = id, id
	if len(rargs) > 1 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO bare_ratings (sheet_id, indicator, n, rating) VALUES "+ratings, rargs...); err != nil {
			return err
		}
	}
	if len(eargs) > 1 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO bare_evidence (sheet_id, indicator, text) VALUES "+evidence, eargs...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// barePage is the floor a page is compared against: one html/template,
// parsed once, rendering a table of rows (as results and the network view
// are mostly tables) with as many rows as make it the real page's size.
const barePage = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{{.Title}}</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><header><a href="/home">Bare</a><nav><a href="/home">Home</a> <a href="/account">Account</a></nav></header>
<main id="main"><h1>{{.Title}}</h1>
<table class="data"><thead><tr><th scope="col">Name</th><th scope="col">Detail</th>{{range .Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr><th scope="row"><a href="/items/{{.ID}}">{{.Name}}</a></th><td>{{.Detail}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{with .Filler}}<p class="hint">{{.}}</p>{{end}}
</main><footer><p>A bare html/template page of the real page's size.</p></footer></body></html>
`

type barePageRow struct {
	ID           int
	Name, Detail string
	Cells        []string
}

type barePageData struct {
	Title   string
	Columns []string
	Rows    []barePageRow
	Filler  string
}

type bareTable struct {
	t *template.Template
	d barePageData
}

func (h *bareTable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := h.t.Execute(&buf, &h.d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	buf.WriteTo(w)
}

// newBareTable makes a bare page of size bytes: rows table rows of twelve
// cells (as many as the real page's main table has), fewer if they would
// pass size, then a filler paragraph for the rest. The filler is one value
// to escape, so the bare page is cheaper per byte than the real one, whose
// comments and cells are many small values: a strict floor.
func newBareTable(title string, size, rows int) (*bareTable, error) {
	t, err := template.New("bare").Parse(barePage)
	if err != nil {
		return nil, err
	}
	h := &bareTable{t: t, d: barePageData{Title: title}}
	for i := range 10 {
		h.d.Columns = append(h.d.Columns, fmt.Sprintf("Indicator %d", i+1))
	}
	render := func() int {
		var b bytes.Buffer
		t.Execute(&b, &h.d)
		return b.Len()
	}
	row := func(i int) barePageRow {
		r := barePageRow{ID: i, Name: serviceName(i), Detail: "Review " + strconv.Itoa(i%3+1) + ", completed " + "14 March 2026"}
		for c := range 10 {
			r.Cells = append(r.Cells, fmt.Sprintf("%d.%d", 1+(i+c)%5, (i*c)%10))
		}
		return r
	}
	for i := range rows {
		h.d.Rows = append(h.d.Rows, row(i))
	}
	for len(h.d.Rows) > 1 && render() > size {
		h.d.Rows = h.d.Rows[:len(h.d.Rows)-1]
	}
	const note = "Rows of figures, as many as bring this page to the size of the real one. "
	if gap := size - render() - len(`<p class="hint"></p>`); gap > 0 {
		h.d.Filler = strings.Repeat(note, gap/len(note)+1)[:gap]
	}
	if got := render(); got < size*9/10 || got > size*11/10 {
		return nil, fmt.Errorf("bare page is %d bytes, cannot match the real page's %d", got, size)
	}
	return h, nil
}
