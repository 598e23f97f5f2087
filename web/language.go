package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"sync"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/cache"
	"github.com/alongside-recovery/alongside/language"
)

// Language suggestions: where staff and supporters write, words
// that can read as deficit-focused, labelling, paternalistic or pessimistic
// are marked, with the reason and recovery-focused alternatives. They never
// block a save. With JavaScript on they show as the writer types
// (static/language.js asks POST /language/check); without it, a save whose
// text raised any shows them on a "Saved" page before going on. Someone
// using a service gets none in their own writing unless they turn them on.

// newCheckerCache caches each organisation's compiled list at the version
// the database gives for it. An administrator's save raises the version,
// and the version is read on every request, so every app server compiles
// the new list on its next request. Bounded at 256 organisations: a
// deployment serves a few, and one past the bound costs only a compile.
func newCheckerCache() *cache.Cache[int64, int, *language.Checker] {
	return cache.New[int64, int, *language.Checker]("language checkers", 256)
}

var shippedChecker = sync.OnceValue(func() *language.Checker { return language.New(content.DefaultSuggestions()) })

// checkerFor returns the organisation's compiled list, compiling it again
// only when an administrator has saved a new version (another app server's
// save shows here on the next request, as the version is read each time).
func (s *Server) checkerFor(ctx context.Context, orgID int64) (*language.Checker, error) {
	if orgID == 0 {
		return shippedChecker(), nil
	}
	v, err := s.store.Language.LanguageListVersion(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if v == 0 {
		return shippedChecker(), nil
	}
	if ch, ok := s.checkers.Get(orgID, v); ok {
		return ch, nil
	}
	l, err := s.store.Language.LanguageList(ctx, orgID)
	if err != nil {
		return nil, err
	}
	ch := language.New(l.List)
	s.checkers.Put(orgID, l.Version, ch)
	return ch, nil
}

// writesAsStaff reports whether the actor writes as a member of staff: a
// practitioner, manager or administrator anywhere.
func writesAsStaff(a *alongside.Actor) bool {
	for _, m := range a.Memberships {
		if m.Role != alongside.RolePerson {
			return true
		}
	}
	return false
}

// suggestionsOn reports whether the actor gets suggestions in what they
// write: staff and supporters always (they can set each aside), someone
// using a service only when they asked for them, as their words are theirs.
// It reads nothing: the choice comes with the signed-in user.
func suggestionsOn(a *alongside.Actor) bool {
	if a == nil {
		return false
	}
	return writesAsStaff(a) || len(a.Supporting) > 0 || a.User.LanguageSuggestions
}

// languageOrg is the organisation whose list applies to what the actor
// writes on this request: the one the page is in, else their own. A
// supporter with no membership gets the shipped list.
func languageOrg(c *call) int64 {
	switch {
	case c.org != nil:
		return c.org.ID
	case c.service != nil:
		return c.service.OrgID
	}
	if c.actor != nil {
		for _, m := range c.actor.Memberships {
			if m.OrgID != 0 {
				return m.OrgID
			}
		}
	}
	return 0
}

// writingService is the service whose totals a staff member's text counts
// towards: the service the page belongs to, if they work in it, else the
// first they work in as practitioner or manager; 0 when they are not
// practitioner-level staff (administrators' and supporters' text is not
// counted).
func writingService(c *call) int64 {
	a := c.actor
	if a == nil {
		return 0
	}
	works := func(service int64) bool {
		return service != 0 && (a.Has(alongside.RolePractitioner, 0, service) || a.Has(alongside.RoleServiceManager, 0, service))
	}
	for _, sv := range []int64{serviceOf(c), c.personService} {
		if works(sv) {
			return sv
		}
	}
	for _, m := range a.Memberships {
		if works(m.ServiceID) {
			return m.ServiceID
		}
	}
	return 0
}

func serviceOf(c *call) int64 {
	switch {
	case c.service != nil:
		return c.service.ID
	case c.review != nil:
		return c.review.ServiceID
	}
	return 0
}

// suggestionItem is one suggestion on a text: the entry, and the words as
// written (the first place they occur).
type suggestionItem struct {
	Entry *language.Entry
	Words string
	Times int
}

// suggestionNote is what the page shows beside one text.
type suggestionNote struct {
	Field, Label string
	Key          string        // the text's key, for setting a suggestion aside for this text only
	Marked       template.HTML // the text, escaped, with each match in <mark>
	Items        []suggestionItem
	Next         string // where to go after setting one aside without JavaScript
	Live         bool   // shown by the script as the writer types
}

// checkLanguage answers the page's script as the writer types: the
// suggestions for the text as HTML to place beside the field, or 204 when
// there are none (or the writer has not asked for them).
func (s *Server) checkLanguage(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	on := suggestionsOn(c.actor)
	text, key := f.Get("text"), f.Get("key")
	if !on {
		w.Header().Set("X-Suggestions", "off")
	}
	if !on || len(text) > 100_000 || len(key) > 300 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	ch, err := s.checkerFor(ctx, languageOrg(c))
	if err != nil {
		return err
	}
	dismissed, err := s.store.Language.Dismissed(ctx, c.actor.User.ID, key)
	if err != nil {
		return err
	}
	n, _ := noteFor(ch, dismissed, text, f.Get("before"))
	if len(n.Items) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	n.Key, n.Live = key, true
	var buf bytes.Buffer
	if err := s.pages.pages["saved_suggestions"].ExecuteTemplate(&buf, "suggestions", n); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}

// dismissSuggestion sets a suggestion aside for the writer, for the one
// text or for good. The script sends it in the background (204); without
// JavaScript the writer goes on to where they were going.
func (s *Server) dismissSuggestion(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	key := f.Get("key")
	msg := "We will not suggest that in this text again."
	if f.Get("scope") == "always" {
		key, msg = "", "We will not suggest that again. You can bring it back from your account page."
	}
	if err := s.store.Language.DismissSuggestion(r.Context(), c.actor.User.ID, f.Get("entry"), key); err != nil {
		return err
	}
	if r.Header.Get("X-Requested-With") == "alongside" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return redirect(w, r, safeNext(f.Get("next")), msg)
}
