package web_test

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/demo"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

var (
	hrefRe   = regexp.MustCompile(`<a\b[^>]*\bhref="([^"]*)"[^>]*>`)
	anchorRe = regexp.MustCompile(`(?s)<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>`)
	tagRe    = regexp.MustCompile(`<[^>]*>`)
)

var joinedRe = regexp.MustCompile(`[.?!]:(\s|$)`)

// joinedLabel returns a piece of the page's text where a label ending in a
// full stop or question mark is joined to its value by a colon
// ("statement.: I have…"), or "".
func joinedLabel(body string) string {
	text := html.UnescapeString(tagRe.ReplaceAllString(body, ""))
	if loc := joinedRe.FindStringIndex(text); loc != nil {
		from, to := max(0, loc[0]-40), min(len(text), loc[1]+20)
		return strings.Join(strings.Fields(text[from:to]), " ")
	}
	return ""
}

// repeatedLink returns a link shown twice in a row on the page (the same
// address and words, one after the other), or "".
func repeatedLink(body string) string {
	last := ""
	for _, m := range anchorRe.FindAllStringSubmatch(body, -1) {
		this := m[1] + " " + strings.Join(strings.Fields(tagRe.ReplaceAllString(m[2], "")), " ")
		if this == last {
			return "“" + strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(m[2], ""))), " ") + "” (" + m[1] + ")"
		}
		last = this
	}
	return ""
}

// linksOn returns the site's own addresses the page links to, without
// fragments; a link to the page itself with only a fragment is left out.
func linksOn(body string) []string {
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
		href := html.UnescapeString(m[1])
		href, _, _ = strings.Cut(href, "#")
		if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
			continue
		}
		out = append(out, href)
	}
	return out
}

// maxDemoLinks bounds each role's walk, far above what any role reaches, so
// that a page linking to itself with ever-new addresses still ends.
const maxDemoLinks = 4000

// No page links anyone to a page they cannot open, shows the same link
// twice in a row (three "Add a goal" buttons did), or joins a label that
// ends in a full stop to its value with a colon ("statement.: I have"). Each demo role, signed
// in, starts at their home page and follows every link on every page they
// reach (not a sample per route: one review or survey out of their reach is
// the fault); each must open. The demo is the fullest picture of real use:
// every role, reviews at every stage, surveys, plans, supporters.
func TestDemoLinksAllOpen(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := testdb.Open(t, testdb.DSN(t, engine))
			hash, err := auth.HashPassword(auth.TestParams, testPassword)
			must(t, err)
			accounts, err := demo.Seed(ctx, s, hash)
			must(t, err)
			_, ts := serve(t, s)
			base, _ := url.Parse(ts.URL)
			for _, a := range accounts {
				t.Run(a.Role, func(t *testing.T) {
					u, err := s.Accounts.UserByEmail(ctx, a.Email)
					must(t, err)
					if a.Role == "admin" {
						// As `alongside demo` does: administrators use
						// two-step sign-in from the start.
						must(t, s.Sessions.EnableTOTP(ctx, u.ID, adminTOTPSecret, 0, nil))
					}
					token, err := s.Sessions.CreateSession(ctx, u.ID, true, "127.0.0.1", "test", alongside.DefaultSessionPolicy)
					must(t, err)
					jar, _ := cookiejar.New(nil)
					jar.SetCookies(base, []*http.Cookie{{Name: "alongside_session", Value: token, Path: "/"}})
					hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
					seen := map[string]string{"/home": "signing in"}
					queue := []string{"/home"}
					var broken, repeated []string
					for len(queue) > 0 && len(seen) < maxDemoLinks {
						path := queue[0]
						queue = queue[1:]
						res, err := hc.Get(ts.URL + path)
						must(t, err)
						body, status := readBody(res), res.StatusCode
						if status == http.StatusSeeOther || status == http.StatusFound {
							// A redirect is followed as a browser would.
							loc := res.Header.Get("Location")
							if _, dup := seen[loc]; !dup && strings.HasPrefix(loc, "/") {
								seen[loc] = path
								queue = append(queue, loc)
							}
							continue
						}
						if status == http.StatusForbidden || status == http.StatusNotFound || status >= 500 {
							broken = append(broken, path+" ("+http.StatusText(status)+"), linked from "+seen[path])
							continue
						}
						if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
							continue
						}
						if j := joinedLabel(body); j != "" {
							repeated = append(repeated, path+" joins a label ending in a stop to its value: “"+j+"”")
						}
						if l := repeatedLink(body); l != "" {
							repeated = append(repeated, path+" shows "+l+" twice in a row")
						}
						for _, l := range linksOn(body) {
							if _, dup := seen[l]; dup || strings.HasPrefix(l, "/static/") || strings.Contains(l, "logout") {
								continue
							}
							seen[l] = path
							queue = append(queue, l)
						}
					}
					sort.Strings(broken)
					if len(broken) > 0 {
						t.Errorf("%s (%s) is linked to %d pages they cannot open:\n  %s", a.Role, a.Email, len(broken), strings.Join(broken, "\n  "))
					}
					if len(repeated) > 0 {
						t.Errorf("%s sees pages that say things twice or join them wrongly:\n  %s", a.Role, strings.Join(repeated, "\n  "))
					}
					t.Logf("%s followed %d links", a.Role, len(seen))
				})
			}
		})
	}
}

func readBody(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
