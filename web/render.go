package web

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/alongside-recovery/alongside"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(filesOnly{sub}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// filesOnly serves files and nothing else: a directory is not found, so
// there is no listing of what the server holds.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}

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
	// dayText is a calendar date kept as text, "2026-12-02", as people read it.
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

// renderError shows a page that says what happened and what to do next.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.renderErrorFor(w, r, nil, status, msg)
}

type errorData struct {
	Status  int
	Heading string
	Message string
	// A write that could not be kept: the form again, to send once more.
	Retry  string      // the path it was sent to
	Kept   []keptValue // what was written, shown to copy or send again
	Hidden []keptValue // the form's other values, sent again unseen
	// A one-time link that has been used or has expired: what to do next.
	Spent linkKind
}

type keptValue struct{ Name, Value string }

// renderKept shows a page saying why nothing was saved, with the writer's
// own text in a form that sends it again: a refused write never loses
// what someone wrote. Passwords are never shown back.
func (s *Server) renderKept(w http.ResponseWriter, r *http.Request, c *call, msg string) {
	d := errorData{Status: http.StatusServiceUnavailable, Heading: "Nothing was saved", Message: msg}
	if r.Method != http.MethodPost {
		// A page read writes its audit line, and could not.
		d.Heading, d.Message = "This page cannot be shown just now", "The server is out of disk space, so this page could not be shown. Please try again later."
	} else if r.PostForm != nil {
		d.Retry = r.URL.Path
		names := make([]string, 0, len(r.PostForm))
		for name := range r.PostForm {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if strings.Contains(name, "password") {
				continue
			}
			for _, v := range r.PostForm[name] {
				// Words are what someone wrote; keys, numbers and
				// choices travel unseen.
				if strings.ContainsAny(strings.TrimSpace(v), " \n") || len(v) > 40 {
					d.Kept = append(d.Kept, keptValue{name, v})
				} else {
					d.Hidden = append(d.Hidden, keptValue{name, v})
				}
			}
		}
	}
	if err := s.render(w, r, c, d.Status, "error", page{Title: d.Heading, Data: d}); err != nil {
		s.logError(r, err)
		http.Error(w, msg, d.Status)
	}
}

func (s *Server) renderErrorFor(w http.ResponseWriter, r *http.Request, c *call, status int, msg string) {
	d := errorData{Status: status, Message: msg}
	switch status {
	case http.StatusForbidden:
		d.Heading = "You do not have access to this page"
	case http.StatusNotFound:
		d.Heading = "Page not found"
	case http.StatusConflict:
		d.Heading = "This could not be saved"
	case http.StatusTooManyRequests:
		d.Heading = "Please wait a little"
	case http.StatusUnauthorized:
		d.Heading = "Please sign in"
	case http.StatusRequestEntityTooLarge:
		d.Heading = "This was too much to send"
	case http.StatusBadRequest, http.StatusUnsupportedMediaType:
		d.Heading = "This could not be read"
	default:
		d.Heading = "Sorry, something went wrong on our side"
	}
	if repeats(d.Heading, d.Message) {
		d.Message = ""
	}
	if err := s.render(w, r, c, status, "error", page{Title: d.Heading, Data: d}); err != nil {
		s.logError(r, err)
		http.Error(w, d.Heading, status)
	}
}

// linkKind is the kind of one-time link a spent-link page is about.
type linkKind string

const (
	signInLink linkKind = "sign-in" // /links/: setting up an account, a password reset, joining as a supporter, a new email address
	answerLink linkKind = "answer"  // /answer/: an SRI 2 answer sheet
)

// spent shows a one-time link that has been used or has expired as just
// that, with what to do next, instead of "Page not found".
func (s *Server) spent(kind linkKind, h func(http.ResponseWriter, *http.Request, *call) error) func(http.ResponseWriter, *http.Request, *call) error {
	return func(w http.ResponseWriter, r *http.Request, c *call) error {
		err := h(w, r, c)
		if alongside.ErrorCode(err) != alongside.ENOTFOUND {
			return err
		}
		d := errorData{Status: http.StatusGone, Heading: "This link has been used or has expired", Spent: kind}
		w.Header().Set("Referrer-Policy", "no-referrer")
		return s.render(w, r, c, http.StatusGone, "error", page{Title: d.Heading, Data: d})
	}
}

// genericMessages are errors' messages that say no more than their page's
// heading: the page shows the heading alone.
var genericMessages = map[string]bool{
	"you do not have access to this page": true,
	"we could not find that page":         true,
	"we could not find that":              true,
}

// repeats reports whether an error page's message says only what its
// heading says, so that the page does not say it twice.
func repeats(heading, msg string) bool {
	norm := func(s string) string { return strings.ToLower(strings.TrimRight(strings.TrimSpace(s), ".!")) }
	m := norm(msg)
	return m == norm(heading) || genericMessages[m]
}

// flash is a one-time message shown on the next page.
type flash struct {
	Kind    string // success, info, warning
	Message string
}

const flashCookie = "alongside_flash"

func setFlash(w http.ResponseWriter, kind, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + msg)),
		Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(string(b), "|")
	if !ok || (kind != "success" && kind != "info" && kind != "warning") {
		return nil
	}
	return &flash{Kind: kind, Message: msg}
}

// redirect sends the browser on with a flash message (Post/Redirect/Get).
func redirect(w http.ResponseWriter, r *http.Request, to, msg string) error {
	if msg != "" {
		setFlash(w, "success", msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
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
