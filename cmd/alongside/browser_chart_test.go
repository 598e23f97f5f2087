package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/alongside-recovery/alongside/internal/browsertest"
)

// chartFacts measures each chart on the page as drawn: its smallest text in
// CSS pixels (the font size times the SVG's scale) and any text that runs
// outside the chart's box.
const chartFacts = `JSON.stringify([...document.querySelectorAll("figure.chart svg")].map(svg => {
  const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
  let smallest = 1e9; const outside = [];
  for (const t of svg.querySelectorAll("text")) {
    smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) outside.push(t.textContent + " [" + [r.left - box.left, box.right - r.right, r.top - box.top, box.bottom - r.bottom].map(Math.round).join(",") + "]");
  }
  return {name: svg.querySelector("title") ? svg.querySelector("title").textContent : "", smallest, outside};
}))`

type chartFact struct {
	Name     string
	Smallest float64
	Outside  []string
}

// TestBrowserChartsReadOnAPhone opens, at 360 px, the demo's pages with
// charts (a person's progress, a practitioner's self-assessments, a
// review's results, a survey's results, staff writing) by following links
// from each role's home page, and measures every chart: no text smaller than
// 12 px, none running outside the chart.
func TestBrowserChartsReadOnAPhone(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	seen := 0
	for _, role := range []string{"person", "practitioner", "manager", "lead"} {
		ctx := signInTab(t, b, base, accounts, role, 360, 800)
		// The role's pages two links from home, on this site.
		links := func() []string {
			return browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll("main a[href^='/'], nav a[href^='/']")]
				.map(a => a.getAttribute("href").split("#")[0]).filter(h => h && !/logout|export|csv|xlsx|print|download|data|qr|audit|history|activity|sheets\/|\/s\//.test(h)))]`))
		}
		home := links()
		queue, visited := append([]string{}, home...), map[string]bool{}
		for _, h := range home {
			visited[h] = true
		}
		for len(queue) > 0 && len(visited) < 40 {
			p := queue[0]
			queue = queue[1:]
			t.Logf("visit %s", p)
			browsertest.Do(t, ctx, browsertest.Visit(base+p))
			var facts []chartFact
			raw := browsertest.Run(t, ctx, chromedp.Evaluate[string](chartFacts))
			if err := json.Unmarshal([]byte(raw), &facts); err != nil {
				t.Fatal(err)
			}
			for _, f := range facts {
				seen++
				t.Logf("%s as %s: %q smallest text %.1f px", p, role, f.Name, f.Smallest)
				if f.Smallest < 12 {
					t.Errorf("%s as %s: chart %q has text %.1f px high at 360 px; at least 12 wanted", p, role, f.Name, f.Smallest)
				}
				if len(f.Outside) > 0 {
					t.Errorf("%s as %s: chart %q cuts off %s", p, role, f.Name, strings.Join(f.Outside, " | "))
				}
			}
			for _, h := range links() {
				if !visited[h] {
					visited[h] = true
					// Pages that may have charts go first.
					if strings.Contains(h, "results") || strings.Contains(h, "progress") || strings.Contains(h, "reviews") {
						queue = append([]string{h}, queue...)
					} else {
						queue = append(queue, h)
					}
				}
			}
		}
	}
	if seen < 3 {
		t.Fatalf("only %d charts found on the demo's pages", seen)
	}
}
