package loadtest

import (
	"bytes"
	"html/template"
	"net/http"
)

// BarePage is the floor a big page is compared against: one html/template
// with a layout and sections of a heading and a paragraph, as many as
// bring it to the real page's size.
type BarePage struct {
	t *template.Template
	d struct {
		Title    string
		Sections []bareSection
	}
	Sections int // how many sections it took
}

type bareSection struct{ Title, Text string }

const barePageText = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{{.Title}}</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><header><a href="/home">Bare</a><nav><a href="/home">Home</a> <a href="/account">Account</a></nav></header>
<main id="main"><h1>{{.Title}}</h1>
{{range .Sections}}<section><h2>{{.Title}}</h2><p>{{.Text}}</p></section>
{{end}}</main><footer><p>A bare html/template page of the real page's size.</p></footer></body></html>
`

// NewBarePage makes a bare page of at least size bytes from sections whose
// paragraph is text (escaping it costs what the real page's text costs).
func NewBarePage(title, text string, size int) *BarePage {
	h := &BarePage{t: template.Must(template.New("bare").Parse(barePageText))}
	h.d.Title = title
	for {
		var b bytes.Buffer
		h.t.Execute(&b, &h.d)
		if b.Len() >= size {
			break
		}
		h.d.Sections = append(h.d.Sections, bareSection{"A section of the page", text})
	}
	h.Sections = len(h.d.Sections)
	return h
}

func (h *BarePage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := h.t.Execute(&buf, &h.d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	buf.WriteTo(w)
}
