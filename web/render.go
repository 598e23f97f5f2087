package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/alongside-recovery/alongside"
)

//go:embed templates
var templateFS embed.FS

// renderer holds every page template, parsed once at start-up: each page is
// the layout plus the partials plus its own file.
type renderer struct {
	pages map[string]*template.Template
}

// formatDate is a calendar date as pages show it, "2 March 2026"; "" for
// none. A moment (when something happened) goes through zone.date instead.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

var funcs = template.FuncMap{
	// date and datetime are replaced per server by its zone's (newRenderer).
	"date":     formatDate,
	"datetime": formatDate,
	// day is a calendar date, such as a date something is due: no zone.
	"day": formatDate,
	// dayText is a calendar date stored as text, "2026-12-02", as people read it.
	"dayText": longDate,
	// isoTime is for machines only: a <time datetime="…"> attribute.
	"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	// field gathers what the field partial needs.
	// An optional last argument is the autocomplete token.
	"field": func(f *Form, name, label, kind, hint string, auto ...string) map[string]any {
		m := map[string]any{"Form": f, "Name": name, "Label": label, "Type": kind, "Hint": hint, "Auto": "", "Prefix": ""}
		if len(auto) > 0 {
			m["Auto"] = auto[0]
		}
		return m
	},
	// prefixed gives a field's id a prefix, for a page with several forms
	// that have the same fields.
	"prefixed": func(prefix string, m map[string]any) map[string]any { m["Prefix"] = prefix; return m },
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"roleLabel": func(r alongside.Role) string { return r.Label() },
	// tel is a tap-to-call address for a number to dial: only "+" and
	// digits pass, so html/template may trust it.
	"tel": func(n string) template.URL {
		if n == "" || strings.Trim(n, "+0123456789") != "" {
			return ""
		}
		return template.URL("tel:" + n)
	},
	// whose is "My" to the person (owner ""), "Kirsty’s" to anyone else.
	"whose":  alongside.Whose,
	"plural": plural,
	// colon joins a label to the value after it: "Label:", but a label
	// ending in a full stop or question mark as it is.
	"colon":     alongside.Colon,
	"inc":       func(i int) int { return i + 1 },
	"add":       func(a, b int) int { return a + b },
	"mul":       func(a, b int) int { return a * b },
	"lower":     strings.ToLower,
	"monthName": monthName,
	"join":      strings.Join,
	// seq is the whole numbers from a to b, for scales.
	"seq": func(a, b int) []int {
		var out []int
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
		return out
	},
}

func newRenderer(z zone) (*renderer, error) {
	fm := template.FuncMap{}
	maps.Copy(fm, funcs)
	fm["date"], fm["datetime"] = z.date, z.datetime
	base, err := template.New("layout.html").Funcs(fm).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, err
		}
		r.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return r, nil
}

// renderedPages remembers which page templates have rendered in this
// process, so the test suite can check that every template runs at least once.
// It is a registry bounded by the number of templates, not a cache.
var renderedPages sync.Map

// RenderedPage reports whether the named page has rendered in this process.
func RenderedPage(name string) bool { _, ok := renderedPages.Load(name); return ok }

// PageNames lists the page templates, for the test that every one renders.
func (s *Server) PageNames() []string {
	var out []string
	for name := range s.pages.pages {
		out = append(out, name)
	}
	return out
}

// page is what every template receives.
type page struct {
	Title     string
	Actor     *alongside.Actor
	Nav       []navItem
	Flash     *flash
	Form      *Form
	RequestID string
	Path      string
	Data      any
	Wide      bool // a page of wide tables (the network view): the content may use the whole of a large screen
}

type navItem struct {
	Label, Href string
	Current     bool
}

// render writes a page with the layout, or a 500 page if the template fails
// (rendering into a buffer first means no half-written page reaches a user).
func (s *Server) render(w http.ResponseWriter, r *http.Request, c *call, status int, name string, p page) error {
	t, ok := s.pages.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	if c != nil {
		p.Actor = c.actor
	}
	p.Nav = navFor(p.Actor, r.URL.Path)
	p.RequestID = requestID(r.Context())
	p.Path = r.URL.Path
	if p.Flash == nil {
		p.Flash = takeFlash(w, r)
	}
	if p.Form != nil && p.Form.HasErrors() && !strings.HasPrefix(p.Title, "Error: ") {
		p.Title = "Error: " + p.Title
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return err
	}
	renderedPages.Store(name, true)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// navFor builds the navigation for what the actor does.
func navFor(a *alongside.Actor, current string) []navItem {
	if a == nil {
		return nil
	}
	items := []navItem{{Label: "Home", Href: "/home"}}
	seen := map[string]bool{}
	add := func(label, href string) {
		if !seen[href] {
			seen[href] = true
			items = append(items, navItem{Label: label, Href: href})
		}
	}
	if a.HasAnywhere(alongside.RolePerson) {
		add("My page", fmt.Sprintf("/people/%d", a.User.ID))
	}
	for _, m := range a.Memberships {
		switch m.Role {
		case alongside.RoleSystemAdmin:
			add("Organisations", "/admin/organisations")
		case alongside.RoleOrgAdmin:
			add("Administration", fmt.Sprintf("/orgs/%d", m.OrgID))
		case alongside.RoleNetworkLead:
			add("Network", fmt.Sprintf("/orgs/%d/network", m.OrgID))
		case alongside.RoleServiceManager:
			add(m.ServiceName, fmt.Sprintf("/services/%d", m.ServiceID))
		case alongside.RolePractitioner:
			add("My development", fmt.Sprintf("/practitioners/%d/development", a.User.ID))
		}
	}
	add("Account", "/account")
	for i := range items {
		items[i].Current = items[i].Href == current
	}
	return items
}
