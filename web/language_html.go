package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/language"
)

// noteFor checks one text for the writer, leaving out what they set aside
// and what the text already said before this writing (before): someone
// adding to a person's words is not told about the person's words, and a
// writer is not told again about words they left as they were. It returns the note and
// the number of suggestions raised by this writing.
func noteFor(ch *language.Checker, dismissed map[string]bool, text, before string) (suggestionNote, int) {
	had := map[string]int{}
	if before != "" {
		for _, m := range ch.Check(before) {
			had[m.Entry.Key]++
		}
	}
	matches := ch.Check(text)
	now := map[string]int{}
	for _, m := range matches {
		now[m.Entry.Key]++
	}
	var n suggestionNote
	var b strings.Builder
	at, raised := 0, 0
	seen := map[string]int{}
	for _, m := range matches {
		if now[m.Entry.Key] <= had[m.Entry.Key] {
			continue
		}
		raised++
		if dismissed[m.Entry.Key] {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[at:m.Start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[m.Start:m.End]))
		b.WriteString("</mark>")
		at = m.End
		if i, ok := seen[m.Entry.Key]; ok {
			n.Items[i].Times++
			continue
		}
		seen[m.Entry.Key] = len(n.Items)
		n.Items = append(n.Items, suggestionItem{Entry: m.Entry, Words: text[m.Start:m.End], Times: 1})
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	n.Marked = template.HTML(b.String())
	return n, raised
}

// writingChart draws suggestions per 1,000 words by month, one point a
// month shown; nil when there is none.
func writingChart(months []alongside.WritingMonth) *svgChart {
	if len(months) == 0 {
		return nil
	}
	top := 1.0
	for _, m := range months {
		for top < m.PerThousand() {
			top *= 2
		}
	}
	l := lineSeries{Label: "Per 1,000 words"}
	for _, m := range months {
		t, err := time.Parse("2006-01", m.Month)
		if err != nil {
			continue
		}
		l.Points = append(l.Points, linePoint{t, m.PerThousand()})
	}
	if len(l.Points) == 0 {
		return nil
	}
	ch := lineChart(lineSpec{Series: []lineSeries{l}, YMin: 0, YMax: top, YTicks: []float64{0, top / 2, top},
		From: l.Points[0].At, To: l.Points[len(l.Points)-1].At,
		XLabel: func(t time.Time) string { return t.Format("January 2006") }})
	return &ch
}
