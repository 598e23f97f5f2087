package web

import (
	"html/template"
	"strconv"
	"strings"
)

// goalCards are the goals as the plan page shows them, built here as one
// piece of HTML with every written word escaped: with a hundred goals, the
// template's per-field actions (each through reflection) were half of the
// page's cost.
func goalCards(personID int64, goals []goalView) template.HTML {
	var b strings.Builder
	for _, g := range goals {
		g.card(&b, personID)
	}
	return template.HTML(b.String())
}

func (g goalView) card(b *strings.Builder, personID int64) {
	esc := template.HTMLEscapeString
	href := "/people/" + strconv.FormatInt(personID, 10) + "/plan/sections/"
	b.WriteString(`<div class="card goal"><h3 class="card__title"><a href="` + href + esc(g.Key) + `">` + esc(g.Title) + "</a></h3>")
	if len(g.Facts) > 0 {
		b.WriteString(`<ul class="goal__facts">`)
		for _, f := range g.Facts {
			b.WriteString("<li>" + esc(f) + "</li>")
		}
		b.WriteString("</ul>")
	}
	if len(g.Steps) > 0 {
		b.WriteString(`<h4>Small steps</h4><ol class="goal__steps">`)
		for _, st := range g.Steps {
			b.WriteString(`<li><a href="` + href + esc(st.Key) + `">` + esc(st.Title) + "</a>")
			if st.Status != "" {
				tag := "tag"
				if st.Done {
					tag += " tag--green"
				}
				b.WriteString(` <span class="` + tag + `">` + esc(st.Status) + "</span>")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ol>")
	}
	if g.CanEdit {
		b.WriteString(`<p class="no-print"><a href="` + href + esc(g.NextStep) + `">Add a small step<span class="visually-hidden"> towards ` + esc(g.Title) + "</span></a></p>")
	}
	b.WriteString("</div>\n")
}
