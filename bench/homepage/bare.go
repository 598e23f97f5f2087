package main

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

// bareTemplate has the shape of Alongside's home page (layout, header,
// navigation, a table of people, a list, a footer) and nothing else: no
// session, no database, no middleware. It is the floor the real page is
// compared against.
const bareTemplate = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – Bare</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="site-header__inner">
    <a class="brand" href="/home">Bare</a>
    <div class="site-header__account">
      <span>{{.UserName}}</span>
      <form method="post" action="/logout"><button class="link-button" type="submit">Sign out</button></form>
    </div>
  </div>
  <nav class="site-nav" aria-label="Main">
    <ul>
      {{range .Nav}}<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Label}}</a></li>{{end}}
    </ul>
  </nav>
</header>
<main id="main" class="container" tabindex="-1">
<h1 class="page-title">Hello, {{.UserName}}</h1>
<section aria-labelledby="prac-h" class="stack">
  <h2 id="prac-h">People you work with</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="prac-h">
  <table class="data">
    <thead><tr><th scope="col">Person</th><th scope="col">Service</th><th scope="col">Working together since</th></tr></thead>
    <tbody>{{range .Rows}}<tr><td><a href="/people/{{.ID}}">{{.Name}}</a></td><td>{{.Service}}</td><td>{{.Since}}</td></tr>{{end}}</tbody>
  </table>
  </div>
  <p class="button-group">{{range .Services}}<a class="button button--secondary" href="/services/{{.ID}}/invite">Invite someone using {{.Name}}</a>{{end}}</p>
  <p>Your supervisor: {{.Supervisor}}.</p>
</section>
<section aria-labelledby="svee-h">
  <h2 id="svee-h">Practitioners you supervise</h2>
  <ul>{{range .Supervisees}}<li>{{.Name}} <span class="hint">since {{.Since}}</span></li>{{end}}</ul>
</section>
{{with .Note}}<p class="hint">{{.}}</p>{{end}}
</main>
<footer class="site-footer">
  <div class="container">
    <p>A bare html/template page of the same size and shape as the home page, for comparison.</p>
  </div>
</footer>
</body>
</html>
`

type bareRow struct {
	ID                   int
	Name, Service, Since string
}

type bareData struct {
	Title, UserName, Supervisor string
	Nav                         []struct {
		Label, Href string
		Current     bool
	}
	Rows        []bareRow
	Services    []bareRow
	Supervisees []bareRow
	Note        string // filler that brings the page to the real page's size
}

// bareHandler renders one page parsed once at start-up. It renders into a
// buffer and then writes, as Alongside's renderer does, so both send the
// same framing (one chunk) over the wire.
type bareHandler struct {
	t *template.Template
	d bareData
}

func (h *bareHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := h.t.Execute(&buf, h.d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	buf.WriteTo(w)
}

// newBareHandler builds the bare page with about twelve rows and sizes it
// to size bytes (the real page's): rows are dropped if the page is too
// long, and a filler paragraph makes up the rest, so both pages put the
// same number of bytes on the wire.
func newBareHandler(size int) (*bareHandler, error) {
	t, err := template.New("bare").Parse(bareTemplate)
	if err != nil {
		return nil, err
	}
	h := &bareHandler{t: t}
	d := &h.d
	d.Title, d.UserName, d.Supervisor = "Home", "Priya Sharma", "Morag Mackenzie"
	for _, n := range []string{"Home", "Account"} {
		d.Nav = append(d.Nav, struct {
			Label, Href string
			Current     bool
		}{n, "/" + strings.ToLower(n), n == "Home"})
	}
	d.Services = []bareRow{{ID: 1, Name: "Birchwood Supported Living"}, {ID: 2, Name: "Harbour View"}}
	d.Supervisees = []bareRow{{Name: "Oona Reid", Since: "22 November 2026"}, {Name: "Sam Fraser", Since: "22 November 2026"}}
	for i := range 12 {
		svc := d.Services[min(i/8, 1)].Name
		d.Rows = append(d.Rows, bareRow{ID: 10 + i, Name: firstNames[i%len(firstNames)] + " " + lastNames[(i*7)%len(lastNames)],
			Service: svc, Since: "22 November 2026"})
	}

	render := func() int {
		var b bytes.Buffer
		t.Execute(&b, d)
		return b.Len()
	}
	for render() > size && len(d.Rows) > 1 {
		d.Rows = d.Rows[:len(d.Rows)-1]
	}
	const note = "These are the people you are allocated to in each service you work in. "
	if gap := size - render() - len(`<p class="hint"></p>`); gap > 0 {
		d.Note = strings.Repeat(note, gap/len(note)+1)[:gap]
	}
	if got := render(); got < size*9/10 || got > size*11/10 {
		return nil, fmt.Errorf("bare page is %d bytes, cannot match the real page's %d", got, size)
	}
	return h, nil
}
