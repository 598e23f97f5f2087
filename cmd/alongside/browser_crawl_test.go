package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/alongside-recovery/alongside/web"
)

// notPages are the GET routes the crawl neither follows nor needs to reach:
// each is something other than a page a person reads, with the reason. Every
// other GET route must be reached by some role's crawl or by the anonymous
// answer pages, so a new page cannot escape the checks below.
var notPages = map[string]string{
	"GET /{$}":                                  "redirects to the sign-in page or home",
	"GET /static/":                              "the stylesheet, script and icon",
	"GET /healthz":                              "a health check for load balancers",
	"GET /readyz":                               "a readiness check for load balancers",
	"GET /metrics":                              "Prometheus metrics",
	"GET /orgs/{org}/network.csv":               "a CSV download",
	"GET /reviews/{review}/plan.csv":            "a CSV download",
	"GET /reviews/{review}/plan.xlsx":           "a spreadsheet download",
	"GET /services/{service}/development.csv":   "a CSV download",
	"GET /surveys/{survey}/responses.csv":       "a CSV download",
	"GET /surveys/{survey}/responses.xlsx":      "a spreadsheet download",
	"GET /people/{person}/my-data.json":         "a download of the person's data",
	"GET /people/{person}/my-data.html":         "a download of the person's data, as a file to keep",
	"GET /surveys/{survey}/waves/{wave}/qr.svg": "an image, shown inside the survey's page",
}

// crawlWidths are the viewports every page is checked at: a small phone and
// a laptop.
var crawlWidths = []int{360, 1280}

// perPattern bounds how many addresses of one route pattern a role's crawl
// visits: one review, one plan section, not fifty, so the crawl stays quick.
const perPattern = 1

// crawler checks pages in real Chromium and remembers which routes it has
// reached.
type crawler struct {
	base  string
	mux   *http.ServeMux
	shots string // a folder to keep screenshots in, or ""

	mu      sync.Mutex          // the roles crawl at once
	reached map[string][]string // route pattern → who reached it
	pages   map[string]int      // who → pages checked
}

// pattern returns the route pattern the server would serve path with.
func (c *crawler) pattern(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		return ""
	}
	_, p := c.mux.Handler(&http.Request{Method: http.MethodGet, URL: u, Host: "crawl"})
	return p
}

// check loads path in the tab and checks it at each width: axe-core finds
// nothing, and nothing is wider than the window. It returns the links on the
// page and the survey links it shows as text.
func (c *crawler) check(t *testing.T, ctx context.Context, who, path string) (links, surveyLinks []string) {
	t.Helper()
	c.mu.Lock()
	c.pages[who]++
	if p := c.pattern(path); p != "" {
		c.reached[p] = append(c.reached[p], who)
	}
	c.mu.Unlock()
	for i, w := range crawlWidths {
		browsertest.Do(t, ctx, chromedp.EmulateViewport(int64(w), 800))
		if i == 0 {
			browsertest.Do(t, ctx, browsertest.Visit(c.base+path))
		}
		name := fmt.Sprintf("%s at %d px (%s)", path, w, who)
		size := browsertest.Run(t, ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if size[0] > size[1] {
			wide := browsertest.Run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")]
				.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.getBoundingClientRect().width > 0)
				.slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
					(typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "") +
					" (" + Math.round(e.getBoundingClientRect().right) + " px)").join(", ")`))
			t.Errorf("%s scrolls sideways: the page is %d px wide in a %d px window (too wide: %s)", name, size[0], size[1], wide)
		}
		if vs := browsertest.Axe(t, ctx); len(vs) > 0 {
			t.Errorf("%s", browsertest.FormatViolations(name, vs))
		}
		if c.shots != "" {
			file := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(path), "-"), "-")
			browsertest.Do(t, ctx, browsertest.Screenshot(filepath.Join(c.shots, fmt.Sprintf("%s-%s-%d.png", who, file, w))))
		}
	}
	if status := browsertest.Run(t, ctx, chromedp.Evaluate[int](`performance.getEntriesByType("navigation")[0].responseStatus`)); status != http.StatusOK {
		t.Logf("%s: %s is a %d page", who, path, status)
	}
	// A form that GETs (a filter, "print my plan") changes nothing either,
	// so it is followed as it would be sent untouched.
	links = browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`[
		...[...document.querySelectorAll("a[href]")]
			.filter(a => a.origin === location.origin && !a.hasAttribute("download"))
			.map(a => a.pathname + a.search),
		...[...document.querySelectorAll("form")].filter(f => (f.getAttribute("method") || "get").toLowerCase() === "get")
			.map(f => new URL(f.getAttribute("action") || "", location.href)).filter(u => u.origin === location.origin)
			.map(u => u.pathname),
	]`))
	surveyLinks = browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("code.link-text")]
		.map(e => e.textContent.trim()).filter(s => s.startsWith(location.origin + "/s/"))`))
	return links, surveyLinks
}

// crawl visits, breadth-first from the home page, every page the tab's
// signed-in role can reach by following links, at most perKey of each
// route pattern. It follows no link out of the site, to a download, or to signing
// out; links only ever GET, so the crawl changes nothing.
func (c *crawler) crawl(t *testing.T, ctx context.Context, who string) (surveyLinks []string) {
	t.Helper()
	seen := map[string]bool{"/home": true}
	perPat := map[string]int{}
	queue := []string{"/home"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		links, found := c.check(t, ctx, who, path)
		surveyLinks = append(surveyLinks, found...)
		for _, l := range links {
			if seen[l] || strings.Contains(l, "logout") || strings.HasPrefix(l, "/static/") {
				continue
			}
			seen[l] = true
			p := c.pattern(l)
			if _, skip := notPages[p]; skip {
				continue
			}
			if perPat[p] < perPattern {
				perPat[p]++
				queue = append(queue, l)
			}
		}
	}
	return surveyLinks
}

// TestBrowserCrawl walks every page each demo role can reach, and the pages
// people answer without an account, at 360 and 1280 px: axe-core must find
// nothing and no page may scroll sideways. A GET route that no crawl reached
// fails the test unless notPages says why it is not a page.
func TestBrowserCrawl(t *testing.T) {
	started := time.Now()
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	srv, err := web.New(nil, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := &crawler{base: base, mux: http.NewServeMux(), shots: os.Getenv("ALONGSIDE_TEST_SCREENSHOTS"),
		reached: map[string][]string{}, pages: map[string]int{}}
	var gets []string
	for _, r := range srv.Routes() {
		if strings.HasPrefix(r.Pattern, "GET ") {
			gets = append(gets, r.Pattern)
			c.mux.HandleFunc(r.Pattern, func(http.ResponseWriter, *http.Request) {})
		}
	}
	for p := range notPages {
		if !slices.Contains(gets, p) {
			t.Errorf("notPages lists %q, which is not a GET route", p)
		}
	}

	// The roles crawl at once, each in its own tab of the one browser.
	var surveyLinks []string
	t.Run("roles", func(t *testing.T) {
		for _, role := range []string{"admin", "lead", "manager", "supervisor", "practitioner", "person", "supporter"} {
			t.Run(role, func(t *testing.T) {
				t.Parallel()
				ctx := signInTabWithin(t, b, base, accounts, role, 1280, 800, 30*time.Minute)
				found := c.crawl(t, ctx, role)
				c.mu.Lock()
				surveyLinks = append(surveyLinks, found...)
				c.mu.Unlock()
			})
		}
	})

	// The pages reached by a link that is given out, not followed: the
	// survey link, an SRI 2 answer sheet, a sign-in link, and the second
	// step of signing in.
	t.Run("anonymous", func(t *testing.T) {
		anon := b.TabWithin(t, 1280, 800, 10*time.Minute)
		c.check(t, anon, "anonymous", "/login")
		if len(surveyLinks) == 0 {
			t.Fatal("no survey page showed a survey link to answer")
		}
		c.check(t, anon, "anonymous", strings.TrimPrefix(surveyLinks[0], base))

		c.check(t, anon, "anonymous", strings.TrimPrefix(carerLink(t, b, base, accounts), base))

		// A link is made only for an account with no password yet: the
		// administrator adds someone new, and the demo has no mailer.
		admin := signInTab(t, b, base, accounts, "admin", 1280, 800)
		browsertest.Do(t, admin, browsertest.Visit(base+"/orgs/1/users/new"),
			browsertest.Fill("#name", "Morven Crawl"), browsertest.Fill("#email", "morven.crawl@example.org"),
			chromedp.SetValue(chromedp.CSS("#role"), "network_lead"),
			browsertest.Submit(`form[action="/orgs/1/users"] button[type=submit]`))
		link := browsertest.Run(t, admin, chromedp.Evaluate[string](`(document.body.innerText.match(/https?:\/\/\S+\/links\/\S+/) || [""])[0]`))
		if link == "" {
			t.Fatalf("adding someone new showed no sign-in link:\n%s", browsertest.Run(t, admin, browsertest.Text("main")))
		}
		c.check(t, anon, "anonymous", strings.TrimPrefix(link, base))
		c.check(t, anon, "anonymous", "/login/forgot")

		// Two-step sign-in, turned on for the supporter, whose crawl is done.
		sup := signInTab(t, b, base, accounts, "supporter", 1280, 800)
		browsertest.Do(t, sup, browsertest.Visit(base+"/account/two-factor"))
		code, err := auth.TOTPCode(browsertest.Run(t, sup, browsertest.Value(`input[name="secret"]`)), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Do(t, sup, browsertest.Fill("#code", code), browsertest.Submit(`form[action="/account/two-factor"] button[type=submit]`))
		half := b.TabWithin(t, 1280, 800, time.Minute)
		browsertest.Do(t, half, browsertest.Visit(base+"/login"), browsertest.Fill("#email", accounts["supporter"]),
			browsertest.Fill("#password", demoPassword), browsertest.Submit("button[type=submit]"))
		loc := browsertest.Run(t, half, browsertest.Location())
		if !strings.HasPrefix(loc, base+"/login/code") {
			t.Fatalf("with two-step sign-in on, the password led to %s", loc)
		}
		c.check(t, half, "anonymous", strings.TrimPrefix(loc, base))
	})

	var missing []string
	for _, p := range gets {
		if _, ok := notPages[p]; !ok && len(c.reached[p]) == 0 {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no crawl reached these pages, so nothing checked them; link to them from a page a demo role can reach, or list them in notPages with why they are not pages:\n  %s",
			strings.Join(missing, "\n  "))
	}
	total := 0
	for _, n := range c.pages {
		total += n
	}
	t.Logf("pages checked, each at %v px: %v; %d in all, in %s", crawlWidths, c.pages, total, time.Since(started).Round(time.Second))
}
