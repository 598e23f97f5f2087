package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// upload sends a file in a multipart form, as a browser's file input does.
func (c *client) upload(path, field, name, body string) response {
	c.w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	io.WriteString(fw, body)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.w.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.hc.Do(req)
	must(c.w.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

const licensedSet = `set: A licensed set
version: 1
source: Licensed for this test.
indicator: goals
name: Goals are identified and addressed
assessments: The assessment records the person's goals in their own words.
care-plans: Each goal has small steps with dates.
service-information: The leaflet says people set their own goals.
staff: We help people break goals into small steps.
people: I chose the goals in my plan.
carers: I know what the person is working towards, with their agreement.
`

func TestLoadingAStatementSet(t *testing.T) {
	w := newWorld(t, "sqlite")
	admin := w.as("orgadmin")
	path := fmt.Sprintf("/orgs/%d/statements", w.org.ID)
	// A new organisation starts from the shipped set.
	wantBody(t, "page", admin.get(path), "In use: Alongside SRI 2 reflective statements, version 1", "Practice is recovery focused")

	bad := strings.Replace(licensedSet, "carers: I know", "friends: I know", 1)
	bad = strings.Replace(bad, "version: 1", "version: one", 1)
	r := admin.upload(path, "file", "set.txt", bad)
	wantStatus(t, "bad file", r, http.StatusUnprocessableEntity)
	wantBody(t, "bad file", r, "The file has 3 problems, so nothing was loaded", "Line 2:", "whole number", "Line 11:", `unknown key`, `href="#file"`)
	sets, err := w.store.Organisations.StatementSets(ctx, w.org.ID)
	must(t, err)
	for _, s := range sets {
		if s.Set.Name == "A licensed set" {
			t.Fatal("a file with problems was loaded")
		}
	}

	wantStatus(t, "no file", admin.post(path, nil), http.StatusUnprocessableEntity)

	r = admin.upload(path, "file", "set.txt", licensedSet)
	wantStatus(t, "good file", r, http.StatusSeeOther)
	page := admin.get(path)
	wantBody(t, "after loading", page, "A licensed set” version 1 is loaded", "In use: A licensed set, version 1", "Goals are identified and addressed")
	cur, err := w.store.Organisations.CurrentStatementSet(ctx, w.org.ID)
	if err != nil || cur.Set.Name != "A licensed set" {
		t.Fatalf("current set: %+v %v", cur, err)
	}
	// The same version again is refused rather than silently replacing it.
	again := admin.upload(path, "file", "set.txt", licensedSet)
	wantStatus(t, "same version again", again, http.StatusConflict)
	wantBody(t, "same version again", again, "already loaded")
	wantBody(t, "audit", admin.get(fmt.Sprintf("/orgs/%d/audit?action=statement_set", w.org.ID)), "statement_set.load")
}
