package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/alongside-recovery/alongside/internal/browsertest"
)

// tabTime bounds each tab of the crisis plan test: several pages, a PDF
// each, on a machine that may be busy.
const tabTime = 3 * time.Minute

// pdfPage counts the pages of a PDF Chromium printed.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// printPDF prints the tab's page on A4 as the person's browser would, with
// the stylesheet's own page size and margins.
func printPDF(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	yes := true
	return browsertest.Run(t, ctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PaperWidth: 8.27, PaperHeight: 11.69})
		return res.Data, err
	}))
}

// printShot, with ALONGSIDE_TEST_SHOTS set, saves how the page looks on
// paper (print media, A4 width) to look at.
func printShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ALONGSIDE_TEST_SHOTS")
	if dir == "" {
		return
	}
	media := func(m string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return chromedp.Void{}, err
		}
	}
	browsertest.Do(t, ctx, media("print"), browsertest.Screenshot(filepath.Join(dir, name)), media(""))
}

// TestBrowserCrisisPlan opens the demo person's crisis plan from their
// home page on a 360 px phone: it reads as a page, with the numbers in it
// and the help-now numbers as tap-to-call links, nothing wider than the
// screen and nothing axe-core finds; its print page fits one sheet of A4,
// and the pocket card prints too.
func TestBrowserCrisisPlan(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	phone := signInTabWithin(t, b, base, accounts, "person", 360, 740, tabTime)
	browsertest.Do(t, phone, browsertest.Submit(`a.button--crisis`))
	crisis := browsertest.Run(t, phone, browsertest.Location())
	if !strings.HasSuffix(crisis, "/crisis") {
		t.Fatalf("the home page's crisis button leads to %s", crisis)
	}
	mainSays(t, phone, "crisis plan", "My crisis plan", "Who to contact", "1. Margaret (sister), 07700 900461", "If you need help now", "Samaritans")
	browsertest.AssertNoAxeViolations(t, phone, "my crisis plan at 360 px")
	size := browsertest.Run(t, phone, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth, document.documentElement.scrollHeight]`))
	if size[0] > size[1] {
		t.Errorf("the crisis plan is %d px wide in a %d px window", size[0], size[1])
	}
	t.Logf("the crisis plan at 360 px is %d px high", size[2])
	tels := browsertest.Run(t, phone, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main a[href^="tel:"]')].map(a => a.getAttribute("href") + " " + a.textContent)`))
	for _, want := range []string{"tel:+447700900461 07700 900461", "tel:999 ", "tel:116123 "} {
		found := false
		for _, got := range tels {
			found = found || strings.HasPrefix(got, want)
		}
		if !found {
			t.Errorf("no tap-to-call link %q among %q", want, tels)
		}
	}
	// Each contact on its own line, as typed.
	lines := browsertest.Run(t, phone, browsertest.Text("#contacts .crisis-part__text"))
	if !strings.Contains(lines, "07700 900461\n2. My practitioner") {
		t.Errorf("the contacts run together: %q", lines)
	}
	if dir := os.Getenv("ALONGSIDE_TEST_SHOTS"); dir != "" {
		browsertest.Do(t, phone, browsertest.Screenshot(filepath.Join(dir, "crisis-360.png")))
	}

	// One sheet of A4.
	browsertest.Do(t, phone, browsertest.Submit(`a[href$="/crisis/print"]`))
	mainSays(t, phone, "print page", "Crisis plan: Kirsty", "If you need help now")
	browsertest.AssertNoAxeViolations(t, phone, "the crisis plan to print")
	pdf := printPDF(t, phone)
	if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
		t.Errorf("the crisis plan prints on %d pages of A4, want 1", n)
	}
	if dir := os.Getenv("ALONGSIDE_TEST_SHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "crisis-print.pdf"), pdf, 0o644)
	}

	// The pocket card: on one sheet, and no wider than the phone on screen.
	browsertest.Do(t, phone, browsertest.Visit(crisis))
	browsertest.Do(t, phone, browsertest.Submit(`a[href$="/crisis/card"]`))
	mainSays(t, phone, "pocket card", "Who to call", "What helps me", "If you need help now", "0800 83 85 87")
	browsertest.AssertNoAxeViolations(t, phone, "the pocket card")
	if w := browsertest.Run(t, phone, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`)); w[0] > w[1] {
		t.Errorf("the pocket card page is %d px wide in a %d px window", w[0], w[1])
	}
	pdf = printPDF(t, phone)
	if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
		t.Errorf("the pocket card prints on %d pages, want 1", n)
	}
	if dir := os.Getenv("ALONGSIDE_TEST_SHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "crisis-card.pdf"), pdf, 0o644)
	}

	if os.Getenv("ALONGSIDE_TEST_SHOTS") != "" {
		paper := signInTabWithin(t, b, base, accounts, "person", 794, 1123, tabTime)
		browsertest.Do(t, paper, browsertest.Visit(crisis+"/print"))
		printShot(t, paper, "crisis-print.png")
		browsertest.Do(t, paper, browsertest.Visit(crisis+"/card"))
		printShot(t, paper, "crisis-card.png")
	}

	// The administrator finds the help-now numbers from the settings page,
	// on a phone.
	admin := signInTabWithin(t, b, base, accounts, "admin", 360, 740, tabTime)
	browsertest.Do(t, admin, browsertest.Submit(`main a[href$="/settings"]`), browsertest.Submit(`main a[href$="/help-now"]`))
	mainSays(t, admin, "help-now numbers", "Help now numbers", "Samaritans | 116 123")
	browsertest.AssertNoAxeViolations(t, admin, "the help-now numbers at 360 px")
	if w := browsertest.Run(t, admin, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`)); w[0] > w[1] {
		t.Errorf("the help-now numbers page is %d px wide in a %d px window", w[0], w[1])
	}

	// The carer, with the crisis part shared, reads it under Kirsty's name.
	carer := signInTabWithin(t, b, base, accounts, "supporter", 360, 740, tabTime)
	browsertest.Do(t, carer, browsertest.Visit(crisis))
	mainSays(t, carer, "carer's view", "Kirsty Munro’s crisis plan", "Margaret (sister)", "If you need help now")
	browsertest.AssertNoAxeViolations(t, carer, "the carer's view of the crisis plan")
}
