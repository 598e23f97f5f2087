package main

import (
	"context"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// TestBrowserResultsReadable opens the pages a manager reads before a
// board meeting in real Chromium on the demo, as the network lead. At
// 1280 px the network table fits its container whole, every column and
// its caption in view, headed by the indicators' short names; at 360 px
// each service is a card of its own and nothing scrolls sideways, nor on
// the survey and review results pages. axe-core checks each page.
func TestBrowserResultsReadable(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	eval := func(ctx context.Context, js string) string {
		t.Helper()
		return browsertest.Run(t, ctx, chromedp.Evaluate[string](js))
	}
	noSideways := func(ctx context.Context, what string) {
		t.Helper()
		w := browsertest.Run(t, ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if w[0] > w[1] {
			t.Errorf("%s scrolls sideways: the page is %d px wide in a %d px window", what, w[0], w[1])
		}
	}

	wide := signInTab(t, b, base, accounts, "lead", 1280, 900)
	network := eval(wide, `(document.querySelector('a[href$="/network"]') || {}).href || ""`)
	if network == "" {
		t.Fatal("the lead's home page has no link to the network view")
	}
	browsertest.Do(t, wide, browsertest.Visit(network))
	type box struct {
		Table, Wrap, WrapScroll, CaptionLeft, CaptionRight, WrapLeft, WrapRight, CaptionHeight float64
		Heads                                                                                  []string
		Titles                                                                                 []string
		Key                                                                                    int
	}
	m := browsertest.Run(t, wide, chromedp.Evaluate[box](`(() => {
		const t = document.querySelector("table.network-table"), w = t.closest(".table-wrap"), c = t.caption;
		const tr = t.getBoundingClientRect(), wr = w.getBoundingClientRect(), cr = c.getBoundingClientRect();
		return {Table: tr.width, Wrap: w.clientWidth, WrapScroll: w.scrollWidth, CaptionLeft: cr.left, CaptionRight: cr.right,
			WrapLeft: wr.left, WrapRight: wr.right, CaptionHeight: cr.height,
			Heads: [...t.tHead.rows[0].cells].map(th => th.textContent.trim()),
			Titles: [...t.tHead.querySelectorAll("abbr[title]")].map(a => a.title),
			Key: document.querySelectorAll(".indicator-key dt").length};
	})()`))
	t.Logf("network table at 1280 px: %.0f px in a %.0f px container (scroll width %.0f)", m.Table, m.Wrap, m.WrapScroll)
	if m.Table > m.Wrap+0.5 || m.WrapScroll > m.Wrap {
		t.Errorf("at 1280 px the network table is %.0f px wide (scrolling to %.0f) in a %.0f px container: columns are hidden", m.Table, m.WrapScroll, m.Wrap)
	}
	if m.CaptionHeight == 0 || m.CaptionLeft < m.WrapLeft-0.5 || m.CaptionRight > m.WrapRight+0.5 {
		t.Errorf("at 1280 px the table's caption runs from %.0f to %.0f px, outside its box (%.0f to %.0f)", m.CaptionLeft, m.CaptionRight, m.WrapLeft, m.WrapRight)
	}
	if len(m.Heads) < 3 || m.Heads[1] != "Basic needs" || len(m.Titles) < 10 || m.Titles[0] != "Basic needs are identified and addressed" || m.Key != 10 {
		t.Errorf("the network table's columns are headed %q (full names on hover %q, %d in the key): want short names, full names on hover and ten in the key", m.Heads, m.Titles, m.Key)
	}
	noSideways(wide, "the network view at 1280 px")
	browsertest.AssertNoAxeViolations(t, wide, "the network view at 1280 px")
	review := eval(wide, `(document.querySelector('table.network-table a[href$="/results"]') || {}).href || ""`)
	survey := ""
	browsertest.Do(t, wide, browsertest.Visit(base+"/home"))
	if surveys := eval(wide, `(document.querySelector('a[href$="/surveys"]') || {}).href || ""`); surveys != "" {
		browsertest.Do(t, wide, browsertest.Visit(surveys))
		if s := eval(wide, `(document.querySelector('main a[href^="/surveys/"]') || {}).href || ""`); s != "" {
			survey = s + "/results"
		}
	}

	phone := signInTabWithin(t, b, base, accounts, "lead", 360, 740, 5*time.Minute) // axe on a survey's long results takes a while
	browsertest.Do(t, phone, browsertest.Visit(network))
	type card struct {
		Display          string
		Left, Right, Top float64
		Name             string
		Labelled         int
	}
	cards := browsertest.Run(t, phone, chromedp.Evaluate[[]card](`[...document.querySelectorAll("table.network-table > tbody > tr")].map(tr => {
		const r = tr.getBoundingClientRect();
		return {Display: getComputedStyle(tr).display, Left: r.left, Right: r.right, Top: r.top, Name: tr.cells[0].textContent.trim(),
			Labelled: [...tr.querySelectorAll("td[data-label]")].filter(td => getComputedStyle(td, "::before").content.includes(td.dataset.label)).length};
	})`))
	if len(cards) == 0 {
		t.Fatal("the network view shows no services at 360 px")
	}
	inner := float64(browsertest.Run(t, phone, chromedp.Evaluate[int](`document.documentElement.clientWidth`)))
	for i, c := range cards {
		if c.Display == "table-row" {
			t.Errorf("at 360 px %s is a table row, not a card", c.Name)
		}
		if c.Left < 0 || c.Right > inner+0.5 {
			t.Errorf("at 360 px %s's card runs from %.0f to %.0f px in a %.0f px window", c.Name, c.Left, c.Right, inner)
		}
		if i > 0 && c.Top <= cards[i-1].Top {
			t.Errorf("at 360 px %s's card is beside %s's, not below it", c.Name, cards[i-1].Name)
		}
		if c.Labelled < 12 {
			t.Errorf("at 360 px %s's card names only %d of its figures", c.Name, c.Labelled)
		}
	}
	noSideways(phone, "the network view at 360 px")
	browsertest.AssertNoAxeViolations(t, phone, "the network view at 360 px")

	for _, p := range []struct{ what, url string }{{"a review's results", review}, {"a survey's results", survey}} {
		if p.url == "" {
			t.Errorf("found no link to %s", p.what)
			continue
		}
		browsertest.Do(t, phone, browsertest.Visit(p.url))
		noSideways(phone, p.what+" at 360 px")
		// No table keeps columns out of sight in a box that scrolls.
		if hidden := eval(phone, `[...document.querySelectorAll("main .table-wrap")].filter(w => w.scrollWidth > w.clientWidth + 1)
			.map(w => (w.querySelector("caption") || w.querySelector("th") || w).textContent.trim().slice(0, 60)).join("; ")`); hidden != "" {
			t.Errorf("%s at 360 px hides columns in a box that scrolls sideways: %s", p.what, hidden)
		}
		browsertest.AssertNoAxeViolations(t, phone, p.what+" at 360 px")
	}
}
