// Package browsertest drives a real headless Chromium from Go tests, so that
// Alongside's server-rendered pages are checked the way people meet them: at
// phone and desktop sizes, through real form submissions, and against the
// WCAG A/AA rules of axe-core.
//
// A test gets a browser with [New], opens one tab per scenario with
// [Browser.Tab], drives the tab with the small actions of this package (or any
// chromedp action) through [Do] and [Run], and checks accessibility with
// [AssertNoAxeViolations]:
//
//	b := browsertest.New(t)
//	ctx := b.Tab(t, 360, 740)
//	browsertest.Do(t, ctx,
//		browsertest.Visit(srv.URL+"/login"),
//		browsertest.Fill("#email", "worker@example.org"),
//		browsertest.Fill("#password", "correct horse"),
//		browsertest.Submit(`button[type="submit"]`),
//	)
//	if got := browsertest.Run(t, ctx, browsertest.Text("h1")); got != "Today" {
//		t.Errorf("heading = %q", got)
//	}
//	browsertest.AssertNoAxeViolations(t, ctx, "today page")
//
// Browser tests run only when ALONGSIDE_TEST_BROWSER names a Chromium binary
// (see package testenv); otherwise they skip, or fail when
// ALONGSIDE_TEST_REQUIRE lists "browser", so CI cannot pass by skipping.
package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/internal/testenv"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TabTimeout bounds everything one tab does, so that a page that never
// finishes loading, or a Submit that never navigates, fails the test within a
// minute instead of hanging until the go test deadline.
const TabTimeout = 60 * time.Second

// startTimeout bounds the start of Chromium. A binary that hangs at start-up
// (a broken profile, a missing library) must fail fast and say so.
const startTimeout = 30 * time.Second

// Browser is one running Chromium process that belongs to a test. Its tabs
// are independent of each other: each has its own cookies and storage.
type Browser struct {
	ctx context.Context // chromedp browser context; parent of every tab
}

// config holds what an [Option] can change.
type config struct {
	width, height int
}

// Option changes how [New] starts the browser.
type Option func(*config)

// WindowSize sets the size of the browser window that new tabs open in. Tabs
// still get the viewport that [Browser.Tab] asks for; the window size matters
// for tests that look at the window itself (window.outerWidth, screenshots of
// the whole window).
func WindowSize(width, height int) Option {
	return func(c *config) { c.width, c.height = width, height }
}

// New starts a headless Chromium for the test and stops it when the test ends.
// It skips the test when no browser is configured (or fails it when the
// browser is required), and fails it when Chromium cannot start.
//
// The flags are the minimum that works on a root, offline CI machine: no
// sandbox (root), no GPU, and no background networking, QUIC, component
// updates or sync (without these Chromium keeps dialling Google and, offline,
// its connections get refused en masse). Each browser gets a fresh, empty
// profile so no state leaks between test runs.
func New(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	path := testenv.Browser(t)

	cfg := config{width: 1280, height: 900}
	for _, o := range opts {
		o(&cfg)
	}

	// t.TempDir is registered before the cleanup below, so it is removed
	// after the browser has stopped writing to it.
	profile := t.TempDir()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(cfg.width, cfg.height),
	)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc() // waits for the Chromium process to exit
	})

	// The first Run starts Chromium and ties its life to ctx, so it must
	// not run under a timeout; bound it from outside instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("browsertest: starting %s: %v", path, err)
		}
	case <-time.After(startTimeout):
		cancelBrowser()
		t.Fatalf("browsertest: %s did not start within %s", path, startTimeout)
	}
	return &Browser{ctx: ctx}
}

// Tab opens a new tab with a width×height viewport (for example 360×740 for a
// phone, 1280×900 for a desktop) and returns its context for [Do], [Run] and
// [Axe]. The tab closes when the test ends, and everything it does must finish
// within [TabTimeout].
//
// Each tab lives in its own browser context (like a private window), so a
// login in one tab never leaks a session cookie into another test's tab.
func (b *Browser) Tab(t testing.TB, width, height int) context.Context {
	t.Helper()
	return b.TabWithin(t, width, height, TabTimeout)
}

// TabWithin is [Browser.Tab] with a longer bound than [TabTimeout], for one
// tab that walks many pages (a crawl) and so cannot finish within a minute.
func (b *Browser) TabWithin(t testing.TB, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	// The deadline is on the parent of the tab, so it covers opening the
	// tab too, and the tab is torn down cleanly when it expires.
	deadlineCtx, cancelDeadline := context.WithTimeout(b.ctx, timeout)
	ctx, cancelTab := chromedp.NewContext(deadlineCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancelTab()
		cancelDeadline()
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height)), reduceMotion); err != nil {
		t.Fatalf("browsertest: opening a %d×%d tab: %v", width, height, err)
	}
	return ctx
}

// reduceMotion makes the tab prefer reduced motion, which turns off the
// stylesheet's smooth scrolling. With smooth scrolling on, a page that opens
// at a fragment (after saving, at #comments, say) or a field just focused is
// still scrolling when chromedp has measured where to click, so the click
// can land beside the button and the form is never sent.
func reduceMotion(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
	return chromedp.Void{}, err
}
