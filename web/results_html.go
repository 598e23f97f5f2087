package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// commentGroup is one source's comments on an indicator. Items holds them
// as list items built here in one piece, each text escaped: a template
// action per comment cost as much as the rest of the page.
type commentGroup struct {
	Source alongside.EvidenceSource
	Items  template.HTML
}

// groupComments groups comments, which come sorted by source, under their
// source: each source is named once, not beside every comment.
func groupComments(cs []alongside.Comment) []commentGroup {
	var out []commentGroup
	var b strings.Builder
	for i, c := range cs {
		if i == 0 || cs[i-1].Source != c.Source {
			if i > 0 {
				out[len(out)-1].Items = template.HTML(b.String())
				b.Reset()
			}
			out = append(out, commentGroup{Source: c.Source})
		}
		b.WriteString("<li>")
		b.WriteString(template.HTMLEscapeString(c.Text))
		b.WriteString("</li>")
	}
	if len(out) > 0 {
		out[len(out)-1].Items = template.HTML(b.String())
	}
	return out
}

// tallyCells are a tally's figures as the cells of its table row.
func tallyCells(t alongside.Tally) template.HTML {
	var b strings.Builder
	// data-label names each figure where the row is a card (a phone).
	cell := func(label, v string) { b.WriteString(`<td class="num" data-label="` + label + `">` + v + `</td>`) }
	cell("Sheets", strconv.Itoa(t.Sheets))
	if t.Rated() > 0 {
		cell("Average", strconv.FormatFloat(t.Mean(), 'f', 1, 64))
	} else {
		cell("Average", `<span class="hint">none rated</span>`)
	}
	for v := 1; v <= 5; v++ {
		cell("Rated "+strconv.Itoa(v), strconv.Itoa(t.Counts[v]))
	}
	cell("N/A", strconv.Itoa(t.NA))
	return template.HTML(b.String())
}
