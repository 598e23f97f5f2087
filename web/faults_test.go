package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/internal/testdb"
)

// send posts body as it is, with the content type, as a browser on the
// site would.
func (c *client) send(path, contentType, body string) response {
	c.w.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.w.ts.URL+path, strings.NewReader(body))
	must(c.w.t, err)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", c.w.ts.URL)
	res, err := c.hc.Do(req)
	must(c.w.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

// rowCounts counts the rows of every table, in one statement.
func rowCounts(w *world) string {
	w.t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if w.store.Engine() == "postgres" {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
	}
	rows, err := w.store.DB().Query(q)
	must(w.t, err)
	var counts []string
	for rows.Next() {
		var name string
		must(w.t, rows.Scan(&name))
		counts = append(counts, fmt.Sprintf("'%s', (SELECT COUNT(*) FROM %s)", name, name))
	}
	must(w.t, rows.Err())
	rows.Close()
	cols, err := w.store.DB().Query("SELECT " + strings.Join(counts, ", "))
	must(w.t, err)
	defer cols.Close()
	vals := make([]any, 2*len(counts))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	cols.Next()
	must(w.t, cols.Scan(ptrs...))
	return fmt.Sprint(vals...)
}

// fieldNames are the names most forms here use, so that a bad value
// reaches whatever field the route reads.
var fieldNames = []string{"text", "name", "email", "title", "note", "body", "reference", "label", "what", "who",
	"strengths", "areas", "description", "password", "code", "comment", "view", "area", "need", "objective", "hopes"}

func badForm(value string) string {
	var b strings.Builder
	for i, name := range fieldNames {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name + "=" + value)
	}
	return b.String() + "&version=0"
}

func multipartWithZero() (contentType, body string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, name := range fieldNames {
		mw.WriteField(name, "a\x00b")
	}
	fw, _ := mw.CreateFormFile("file", "list.txt")
	fw.Write([]byte("# a file\n"))
	mw.Close()
	return mw.FormDataContentType(), buf.String()
}

// Every POST route, as someone who may use it, is sent a body over its
// limit, 10,001 fields, bytes that are not UTF-8 and a zero byte: each is
// refused with a page that says what was wrong, nothing is stored, and the
// server still answers.
func TestUnreadableFormsAreRefused(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			table := routeTable()
			const form = "application/x-www-form-urlencoded"
			mpType, mpBody := multipartWithZero()
			for _, rt := range w.server.Routes() {
				method, _, _ := strings.Cut(rt.Pattern, " ")
				if method != http.MethodPost {
					continue
				}
				if rt.MaxBody <= 0 {
					t.Errorf("%s takes a form but declares no body limit", rt.Pattern)
					continue
				}
				tc := table[rt.Pattern]
				actor := "anon"
				for _, a := range tc.allow {
					if a != "anon" {
						actor = a
						break
					}
				}
				cases := []struct {
					what, contentType, body string
					status                  int
					says                    string
				}{
					{"too large", form, "text=" + strings.Repeat("a", int(rt.MaxBody)), http.StatusRequestEntityTooLarge, "larger than this form takes"},
					{"10,001 fields", form, strings.Repeat("text=a&", 10000) + "text=a", http.StatusRequestEntityTooLarge, "more parts than any form here has"},
					{"not UTF-8", form, badForm("caf%E9"), http.StatusBadRequest, "not valid UTF-8"},
					{"zero byte", form, badForm("a%00b"), http.StatusBadRequest, "zero byte"},
					{"zero byte in a multipart form", mpType, mpBody, http.StatusBadRequest, "zero byte"},
				}
				for _, tc2 := range cases {
					c := w.as(actor)
					path := tc.path(w)
					before := rowCounts(w)
					res := c.send(path, tc2.contentType, tc2.body)
					if res.Status != tc2.status || !strings.Contains(res.Body, tc2.says) || !strings.Contains(res.Body, "nothing was saved") {
						t.Errorf("%s as %s, %s: status %d %q; want %d saying %q", rt.Pattern, actor, tc2.what, res.Status, snippet(res.Body), tc2.status, tc2.says)
					}
					if after := rowCounts(w); after != before {
						t.Errorf("%s as %s, %s: the database changed:\n%s\n%s", rt.Pattern, actor, tc2.what, before, after)
					}
					if r := c.get("/readyz"); r.Status != http.StatusOK {
						t.Fatalf("after %s, %s: the server does not answer: %d", rt.Pattern, tc2.what, r.Status)
					}
				}
			}
		})
	}
}

// A path or query with bytes that are not text, or a zero byte, is a 400
// saying so, not a lookup the database refuses.
func TestUnreadableAddressesAreRefused(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			for _, tc := range []struct{ actor, path, says string }{
				{"sysadmin", "/admin/audit?email=a%00b", "zero byte"},
				{"orgadmin", fmt.Sprintf("/orgs/%d/audit?email=caf%%E9", w.org.ID), "not valid UTF-8"},
				{"anon", "/links/abc%00def", "zero byte"},
				{"anon", "/s/caf%E9", "not valid UTF-8"},
				{"person", "/login?next=%2Fhome%00", "zero byte"},
			} {
				res := w.as(tc.actor).get(tc.path)
				wantStatus(t, tc.path, res, http.StatusBadRequest)
				wantBody(t, tc.path, res, tc.says, "The page’s address")
			}
		})
	}
}

// A form within its limit is read as before: a plan section of the
// longest text in characters of three bytes each, sent percent-encoded.
func TestLongFormsStillFit(t *testing.T) {
	w := newWorld(t, "sqlite")
	long := strings.Repeat("希", 10000)
	res := w.as("person").post(fmt.Sprintf("/people/%d/plan/sections/strengths", w.users["person"].ID),
		url.Values{"version": {"0"}, "strengths": {long}})
	wantStatus(t, "longest section", res, http.StatusSeeOther)
}

// A write refused because the database is full (a real SQLITE_FULL: the
// writer may not grow the file past its size now) says so, gives the
// writer their text back in a form, stores nothing, and /readyz says not
// ready until space returns; then the same form saves.
func TestDiskFullKeepsTheText(t *testing.T) {
	w := newWorld(t, "sqlite")
	db := w.store.DB() // the one writer connection: the limit is per connection
	_, err := db.Exec("VACUUM")
	must(t, err)
	_, err = db.Exec("PRAGMA max_page_count = 1") // no smaller than it is: no room to grow
	must(t, err)

	person := w.as("person")
	section := fmt.Sprintf("/people/%d/plan/sections/strengths", w.users["person"].ID)
	text := strings.Repeat("I walk by the loch most mornings and it clears my head. ", 150)
	before := rowCounts(w)
	res := person.post(section, url.Values{"version": {"0"}, "strengths": {text}})
	wantStatus(t, "save on a full disk", res, http.StatusServiceUnavailable)
	wantBody(t, "save on a full disk", res, "Nothing was saved because the server is out of disk space",
		text[:300], `action="`+section+`"`, `name="version" value="0"`, "Try saving again")
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After on the refusal")
	}
	if after := rowCounts(w); after != before {
		t.Errorf("the database changed:\n%s\n%s", before, after)
	}
	if r := person.get("/readyz"); r.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while writes fail: %d %q", r.Status, r.Body)
	}

	_, err = db.Exec("PRAGMA max_page_count = 1073741823")
	must(t, err)
	if r := person.get("/readyz"); r.Status != http.StatusOK {
		t.Errorf("/readyz once space returned: %d %q", r.Status, r.Body)
	}
	wantStatus(t, "the same form again", person.post(section, url.Values{"version": {"0"}, "strengths": {text}}), http.StatusSeeOther)
	wantBody(t, "saved", person.get(fmt.Sprintf("/people/%d/plan", w.users["person"].ID)), text[:300])
}
