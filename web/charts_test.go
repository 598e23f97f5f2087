package web

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		f := float64(v) / 255
		if f <= 0.04045 {
			c[i] = f / 12.92
		} else {
			c[i] = mathPow((f+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

var textEl = regexp.MustCompile(`<text x="(\d+)" y="(\d+)" font-size="(\d+)" fill="(#[0-9a-f]{6})"(?: text-anchor="(\w+)")?>(?:<title>[^<]*</title>)?(.*?)</text>`)

// checkChart fails on text smaller than 13 units, text that would run past
// the viewBox by a wide estimate of its width, or text in a colour under
// 4.5:1 against white; it returns the chart's text.
func checkChart(t *testing.T, ch svgChart) string {
	t.Helper()
	var all strings.Builder
	for _, m := range textEl.FindAllStringSubmatch(string(ch.Marks), -1) {
		x, _ := strconv.Atoi(m[1])
		size, _ := strconv.ParseFloat(m[3], 64)
		body := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(strings.ReplaceAll(m[6], "</tspan>", "\n"), "")
		all.WriteString(body + "\n")
		if size < chartFont {
			t.Errorf("text %q at %v units", body, size)
		}
		if ratio := 1.05 / (luminance(m[4]) + 0.05); ratio < 4.5 {
			t.Errorf("text %q in %s: contrast %.2f", body, m[4], ratio)
		}
		for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
			w := textWidth(line, size)
			left := float64(x)
			switch m[5] {
			case "end":
				left -= w
			case "middle":
				left -= w / 2
			}
			if left < 0 || left+w > float64(ch.W) {
				t.Errorf("text %q runs outside the chart: %.0f to %.0f of %d", line, left, left+w, ch.W)
			}
		}
	}
	return all.String()
}

func TestChartsFitAndName(t *testing.T) {
	for _, c := range chartColours {
		if r := 1.05 / (luminance(c) + 0.05); r < 4.5 {
			t.Errorf("series colour %s: contrast %.2f against white", c, r)
		}
	}
	day := func(d int) time.Time { return time.Date(2026, 12, d, 12, 0, 0, 0, time.UTC) }
	z := zone{time.UTC}
	line := lineChart(lineSpec{YMin: 0, YMax: 10, YTicks: []float64{0, 5, 10}, From: day(1), To: day(2), XLabel: z.date,
		Series: []lineSeries{
			{Label: "Community and social inclusion", Points: []linePoint{{day(1), 3}, {day(2), 7}}},
			{Label: "Sleep", Points: []linePoint{{day(1), 5}, {day(2), 7}}},
		}})
	got := checkChart(t, line)
	for _, want := range []string{"1 December 2026", "2 December 2026", "Sleep", "Community and", "social…"} {
		if !strings.Contains(got, want) {
			t.Errorf("line chart does not show %q:\n%s", want, got)
		}
	}
	if !strings.Contains(string(line.Marks), "<title>Community and social inclusion</title>") {
		t.Error("a shortened line name has no title with the whole name")
	}
	if strings.Contains(string(line.Marks), "stroke-dasharray") && !strings.Contains(string(line.Marks), chartColours[1]) {
		t.Error("the second line has no colour of its own")
	}
	bars := barChart([]barItem{
		{Label: "Community and social inclusion, and the things that help people belong where they live, in their own words and at their own pace", V: 73, OK: true, Text: "73"},
		{Label: "Hope", Text: "too few answers"},
	}, 100, []float64{0, 50, 100})
	got = checkChart(t, bars)
	if !strings.Contains(string(bars.Marks), "<title>Community and social inclusion, and the things that help people belong where they live, in their own words and at their own pace</title>") {
		t.Error("a shortened name has no title with the whole name")
	}
	for _, want := range []string{"Community and social inclusion", "73", "Hope", "too few answers"} {
		if !strings.Contains(got, want) {
			t.Errorf("bar chart does not show %q:\n%s", want, got)
		}
	}
}

func mathPow(a, b float64) float64 { return math.Pow(a, b) }
