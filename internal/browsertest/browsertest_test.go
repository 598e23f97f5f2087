package browsertest_test

import (
	"bytes"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// strictCSP is the policy the app serves: no inline script at all. The test
// pages are served with it to prove that axe-core still runs under it.
const strictCSP = "default-src 'self'; script-src 'self'"

const accessiblePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Check in</title>
</head>
<body>
<main>
<h1>Check in</h1>
<img src="/leaf.svg" alt="A green leaf" width="32" height="32">
<form method="post" action="/done">
<label for="mood">How are you feeling today?</label>
<input id="mood" name="mood" type="text" autocomplete="off">
<button type="submit">Save</button>
</form>
</main>
</body>
</html>`

// inaccessiblePage breaks two rules on purpose, and carries an inline script
// that the CSP must block.
const inaccessiblePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Broken</title>
<script>document.title = "inline script ran";</script>
</head>
<body>
<main>
<h1>Broken</h1>
<img src="/leaf.svg">
<form method="post" action="/done">
<input name="mood" type="text">
<button type="submit">Save</button>
</form>
</main>
</body>
</html>`

const leafSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" fill="#2a7"/></svg>`

func newServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		}
	}
	mux.HandleFunc("GET /good", page(accessiblePage))
	mux.HandleFunc("GET /bad", page(inaccessiblePage))
	mux.HandleFunc("GET /leaf.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write([]byte(leafSVG))
	})
	// POST-redirect-GET, as the app's forms do.
	mux.HandleFunc("POST /done", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "mood", Value: r.FormValue("mood"), Path: "/"})
		http.Redirect(w, r, "/result", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /result", func(w http.ResponseWriter, r *http.Request) {
		mood := "none"
		if c, err := r.Cookie("mood"); err == nil {
			mood = c.Value
		}
		page(`<!doctype html><html lang="en"><head><title>Saved</title></head><body><main><h1>Saved: `+
			html.EscapeString(mood)+`</h1></main></body></html>`)(w, r)
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", strictCSP)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func ruleIDs(vs []browsertest.Violation) []string {
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	return ids
}

func TestBrowser(t *testing.T) {
	b := browsertest.New(t)
	srv := newServer(t)

	t.Run("accessible page has no violations", func(t *testing.T) {
		ctx := b.Tab(t, 1280, 900)
		browsertest.Do(t, ctx, browsertest.Visit(srv.URL+"/good"))
		if vs := browsertest.Axe(t, ctx); len(vs) != 0 {
			t.Error(browsertest.FormatViolations("/good", vs))
		}
		browsertest.AssertNoAxeViolations(t, ctx, "/good")
	})

	t.Run("inaccessible page reports its rules under strict CSP", func(t *testing.T) {
		ctx := b.Tab(t, 1280, 900)
		browsertest.Do(t, ctx, browsertest.Visit(srv.URL+"/bad"))

		// The CSP really is in force: the inline script was blocked. So
		// axe-core below ran despite a policy that forbids inline script.
		if title := browsertest.Run(t, ctx, chromedp.Title()); title != "Broken" {
			t.Fatalf("title = %q: the CSP did not block the inline script, so this test proves nothing", title)
		}

		vs := browsertest.Axe(t, ctx)
		ids := ruleIDs(vs)
		for _, want := range []string{"image-alt", "label"} {
			if !slices.Contains(ids, want) {
				t.Errorf("axe-core did not report %q; got %v", want, ids)
			}
		}
		for _, v := range vs {
			if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 || v.Nodes[0].HTML == "" || v.Help == "" {
				t.Errorf("violation %q lacks detail: %+v", v.ID, v)
			}
		}
		t.Logf("expected violations, as AssertNoAxeViolations would report them:\n%s",
			browsertest.FormatViolations("/bad", vs))
	})

	t.Run("phone tab fills, submits and reads a form", func(t *testing.T) {
		ctx := b.Tab(t, 360, 740)
		browsertest.Do(t, ctx, browsertest.Visit(srv.URL+"/good"))
		if w := browsertest.Run(t, ctx, chromedp.Evaluate[int](`window.innerWidth`)); w != 360 {
			t.Errorf("viewport width = %d, want 360", w)
		}
		browsertest.Do(t, ctx,
			browsertest.Fill("#mood", "typed over"),
			browsertest.Fill("#mood", "steady <ok>"),
			browsertest.Submit(`button[type="submit"]`),
		)
		if got := browsertest.Run(t, ctx, browsertest.Text("h1")); got != "Saved: steady <ok>" {
			t.Errorf("h1 = %q, want %q", got, "Saved: steady <ok>")
		}

		shot := filepath.Join(t.TempDir(), "shots", "saved.png")
		browsertest.Do(t, ctx, browsertest.Screenshot(shot))
		png, err := os.ReadFile(shot)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("screenshot is not a PNG (%d bytes)", len(png))
		}
	})

	t.Run("tabs do not share cookies", func(t *testing.T) {
		ctx := b.Tab(t, 1280, 900)
		browsertest.Do(t, ctx, browsertest.Visit(srv.URL+"/result"))
		if got := browsertest.Run(t, ctx, browsertest.Text("h1")); got != "Saved: none" {
			t.Errorf("a fresh tab saw another tab's cookie: h1 = %q", got)
		}
	})
}
