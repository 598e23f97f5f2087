package web

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Charts are drawn here as SVG in one piece, for a phone first: the viewBox
// is chartW units wide, about the width a 360 px phone gives a page's
// content, so a unit is about a pixel there and chartFont is the smallest
// text a person reads (the stylesheet caps how wide a chart grows on a big
// screen). Lines and bars are named where they are drawn, not in a legend;
// a name too long for its room is wrapped, and if still too long shortened
// with the whole name in a <title>. Every chart has a table of the same
// figures after it.

const (
	chartW      = 320 // viewBox width
	chartFont   = 13  // smallest text, in viewBox units
	chartLineH  = 16  // a line of label text
	chartCharEm = 0.6 // a conservative average character width, in ems
)

// chartColours are the series' colours, each at least 4.5:1 against the
// white page, so they serve for lines, marks and the labels drawn in them.
var chartColours = []string{"#1d5c63", "#a4470b", "#6a3d9a", "#1f6fb2", "#7a6300", "#b0305c"}

// chartDashes tell lines apart without colour too.
var chartDashes = []string{"", "6 3", "2 3", "8 3 2 3", "1 4", "10 4"}

const (
	chartInk   = "#1f2a2c" // text
	chartMuted = "#404b4d" // axis text
	chartGrid  = "#d0d7d9" // grid lines: decoration only
	chartTrack = "#e4ecee" // the empty part of a bar: decoration only
	chartPrev  = "#5f7377" // the previous review's bar
)

// svgChart is a chart ready for a page: its viewBox and what is drawn in it.
type svgChart struct {
	W, H  int
	Marks template.HTML
}

// textWidth estimates how wide a text is drawn at a font size, erring wide.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * chartCharEm
}

// wrapLabel breaks a label into at most maxLines lines that fit width at
// the chart's font; cut reports that it had to be shortened.
func wrapLabel(s string, width float64, maxLines int) (lines []string, cut bool) {
	maxChars := int(width / (chartFont * chartCharEm))
	var line string
	for _, w := range strings.Fields(s) {
		for utf8.RuneCountInString(w) > maxChars {
			r := []rune(w)
			w = string(r[:maxChars-1]) + "…"
			cut = true
		}
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= maxChars:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) > maxLines {
		lines, cut = lines[:maxLines], true
		last := []rune(lines[maxLines-1])
		if len(last) >= maxChars {
			last = last[:maxChars-1]
		}
		lines[maxLines-1] = strings.TrimRight(string(last), " ") + "…"
	}
	return lines, cut
}

// text writes a text element of one or more lines from its first line's
// baseline at (x, y); full is the whole text, given as a <title> when the
// lines shorten it.
func text(b *strings.Builder, x, y int, anchor, fill string, lines []string, full string, cut bool) {
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="%d" fill="%s"`, x, y, chartFont, fill)
	if anchor != "" {
		fmt.Fprintf(b, ` text-anchor="%s"`, anchor)
	}
	b.WriteString(">")
	if cut {
		b.WriteString("<title>" + template.HTMLEscapeString(full) + "</title>")
	}
	for i, l := range lines {
		if len(lines) == 1 {
			b.WriteString(template.HTMLEscapeString(l))
			break
		}
		dy := 0
		if i > 0 {
			dy = chartLineH
		}
		fmt.Fprintf(b, `<tspan x="%d" dy="%d">%s</tspan>`, x, dy, template.HTMLEscapeString(l))
	}
	b.WriteString("</text>")
}

// lineSeries is one line of a line chart: its name and points.
type lineSeries struct {
	Label  string
	Points []linePoint
}

type linePoint struct {
	At time.Time
	V  float64
}

// lineSpec is what a line chart shows.
type lineSpec struct {
	Series     []lineSeries
	YMin, YMax float64
	YTicks     []float64
	From, To   time.Time
	XLabel     func(time.Time) string
	Steps      []stepMark // small steps completed, marked along the bottom
}

const (
	lineLeft   = 36                           // room for the y axis' numbers
	lineLabelW = 104                          // room for the lines' names, on the right
	linePlotR  = chartW - lineLabelW - 8      // the plot's right edge
	lineTop    = 14                           // above the plot
	linePlotB  = 196                          // the plot's bottom edge
	linePlotH  = linePlotB - lineTop          // the plot's height
	linePlotW  = linePlotR - lineLeft         // the plot's width
	lineStepY  = linePlotB + chartLineH + 2   // the small steps' numbers
	lineXTickY = linePlotB + 2*chartLineH + 6 // the dates
	lineH      = lineXTickY + 6               // the whole chart, with one row of dates
)

// lineChart draws series over time, each line in its own colour and dash
// pattern, named at its right-hand end.
func lineChart(sp lineSpec) svgChart {
	span := sp.To.Sub(sp.From)
	x := func(t time.Time) int {
		if span <= 0 {
			return lineLeft + linePlotW/2
		}
		return lineLeft + int(float64(linePlotW)*float64(t.Sub(sp.From))/float64(span))
	}
	y := func(v float64) int {
		return linePlotB - int(math.Round((v-sp.YMin)*float64(linePlotH)/(sp.YMax-sp.YMin)))
	}
	var b strings.Builder
	for _, v := range sp.YTicks {
		py := y(v)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s"/>`, lineLeft, linePlotR, py, py, chartGrid)
		text(&b, lineLeft-6, py+4, "end", chartMuted, []string{strconv.FormatFloat(v, 'f', -1, 64)}, "", false)
	}
	for i, st := range sp.Steps {
		px := x(st.Done)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#1e6b3a" stroke-dasharray="3 3"/>`, px, px, lineTop, linePlotB)
		text(&b, px, lineStepY, "middle", "#1e6b3a", []string{"✓" + strconv.Itoa(i+1)}, "", false)
	}
	type label struct {
		lines  []string
		cut    bool
		full   string
		want   int
		colour string
	}
	var labels []label
	for i, s := range sp.Series {
		colour, dash := chartColours[i%len(chartColours)], chartDashes[i%len(chartDashes)]
		var pts strings.Builder
		for _, p := range s.Points {
			fmt.Fprintf(&pts, "%d,%d ", x(p.At), y(p.V))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"`, strings.TrimSpace(pts.String()), colour)
		if dash != "" {
			fmt.Fprintf(&b, ` stroke-dasharray="%s"`, dash)
		}
		b.WriteString("/>")
		for _, p := range s.Points {
			fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="3.5" fill="%s"/>`, x(p.At), y(p.V), colour)
		}
		if len(s.Points) == 0 {
			continue
		}
		last := s.Points[len(s.Points)-1]
		lines, cut := wrapLabel(s.Label, lineLabelW, 2)
		labels = append(labels, label{lines, cut, s.Label, y(last.V), colour})
	}
	// Names at the lines' ends, moved apart where lines end close together.
	sort.SliceStable(labels, func(i, j int) bool { return labels[i].want < labels[j].want })
	pos := make([]int, len(labels))
	next := lineTop + 4
	for i, l := range labels {
		pos[i] = max(l.want+4, next)
		next = pos[i] + len(l.lines)*chartLineH + 2
	}
	// Kept above the dates: from the bottom up, moved up where they ran over.
	limit := linePlotB + 4
	for i := len(labels) - 1; i >= 0; i-- {
		bottom := pos[i] + (len(labels[i].lines)-1)*chartLineH
		if bottom > limit {
			pos[i] -= bottom - limit
		}
		limit = pos[i] - chartLineH - 2
	}
	for i, l := range labels {
		text(&b, linePlotR+8, pos[i], "", l.colour, l.lines, l.full, l.cut)
	}
	h := lineH
	if sp.XLabel != nil {
		from := sp.XLabel(sp.From)
		text(&b, lineLeft, lineXTickY, "", chartMuted, []string{from}, "", false)
		if span > 0 {
			to := sp.XLabel(sp.To)
			ty := lineXTickY
			if float64(lineLeft)+textWidth(from, chartFont)+8 > float64(linePlotR)-textWidth(to, chartFont) {
				ty += chartLineH // a second row rather than one date over the other
				h += chartLineH
			}
			text(&b, linePlotR, ty, "end", chartMuted, []string{to}, "", false)
		}
	}
	return svgChart{W: chartW, H: h, Marks: template.HTML(b.String())}
}

// barItem is one bar: its name, its value (ok false: no figure) and, for a
// comparison, the value before.
type barItem struct {
	Label         string
	V             float64
	OK            bool
	Text          string
	Prev          float64
	PrevOK        bool
	PrevText      string
	HasComparison bool
}

const barTextRoom = 84 // right of the longest bar: "4.5 before"

// barChart draws one bar per item on a scale from 0 to top, each with its
// name above it and its figure at its end.
func barChart(items []barItem, top float64, ticks []float64) svgChart {
	barMax := chartW - barTextRoom
	w := func(v float64) int { return int(math.Round(v / top * float64(barMax))) }
	var b strings.Builder
	var body strings.Builder
	y := 4
	for _, it := range items {
		lines, cut := wrapLabel(it.Label, chartW-4, 3)
		text(&body, 2, y+chartFont, "", chartInk, lines, it.Label, cut)
		y += len(lines)*chartLineH + 2
		fmt.Fprintf(&body, `<rect x="0" y="%d" width="%d" height="14" fill="%s"/>`, y, barMax, chartTrack)
		if it.OK {
			bw := w(it.V)
			fmt.Fprintf(&body, `<rect x="0" y="%d" width="%d" height="14" fill="%s"/>`, y, bw, chartColours[0])
			text(&body, bw+6, y+12, "", chartInk, []string{it.Text}, "", false)
		} else {
			text(&body, 6, y+12, "", chartInk, []string{it.Text}, "", false)
		}
		y += 14
		if it.HasComparison {
			y += 4
			pw := 0
			if it.PrevOK {
				pw = w(it.Prev)
				fmt.Fprintf(&body, `<rect x="0" y="%d" width="%d" height="8" fill="%s"/>`, y, pw, chartPrev)
			}
			text(&body, pw+6, y+9, "", chartMuted, []string{it.PrevText}, "", false)
			y += 8
		}
		y += 14
	}
	axis := y + chartFont + 2
	for _, t := range ticks {
		tx := w(t)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="0" y2="%d" stroke="%s"/>`, tx, tx, y, chartGrid)
	}
	b.WriteString(body.String())
	for i, t := range ticks {
		anchor := "middle"
		tx := w(t)
		if i == 0 && tx < 10 {
			anchor, tx = "", 2
		}
		text(&b, tx, axis, anchor, chartMuted, []string{strconv.FormatFloat(t, 'f', -1, 64)}, "", false)
	}
	return svgChart{W: chartW, H: axis + 6, Marks: template.HTML(b.String())}
}
