package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/language"
)

// Language suggestions: where staff and supporters write, words
// that can read as deficit-focused, labelling, paternalistic or pessimistic
// are marked, with the reason and recovery-focused alternatives. They never
// block a save. With JavaScript on they show as the writer types
// (static/language.js asks POST /language/check); without it, a save whose
// text raised any shows them on a "Saved" page before going on. Someone
// using a service gets none in their own writing unless they turn them on.

// keptChecker is an organisation's compiled list, with the version it was
// compiled from.
type keptChecker struct {
	version int
	checker *language.Checker
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
	if k, ok := s.checkers.Load(orgID); ok && k.(keptChecker).version == v {
		return k.(keptChecker).checker, nil
	}
	l, err := s.store.Language.LanguageList(ctx, orgID)
	if err != nil {
		return nil, err
	}
	ch := language.New(l.List)
	s.checkers.Store(orgID, keptChecker{l.Version, ch})
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

// noteFor checks one text for the writer, leaving out what they set aside
// and what the text already said before this writing (before): someone
// adding to a person's words is not told about the person's words, and a
// writer is not told again about what they kept. It returns the note and
// the number of suggestions raised by this writing.
func noteFor(ch *language.Checker, dismissed map[string]bool, text, before string) (suggestionNote, int) {
	had := map[string]int{}
	if before != "" {
		for _, m := range ch.Check(before) {
			had[m.Entry.Key]++
		}
	}
	matches := ch.Check(text)
	now := map[string]int{}
	for _, m := range matches {
		now[m.Entry.Key]++
	}
	var n suggestionNote
	var b strings.Builder
	at, raised := 0, 0
	seen := map[string]int{}
	for _, m := range matches {
		if now[m.Entry.Key] <= had[m.Entry.Key] {
			continue
		}
		raised++
		if dismissed[m.Entry.Key] {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[at:m.Start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[m.Start:m.End]))
		b.WriteString("</mark>")
		at = m.End
		if i, ok := seen[m.Entry.Key]; ok {
			n.Items[i].Times++
			continue
		}
		seen[m.Entry.Key] = len(n.Items)
		n.Items = append(n.Items, suggestionItem{Entry: m.Entry, Words: text[m.Start:m.End], Times: 1})
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	n.Marked = template.HTML(b.String())
	return n, raised
}

// writtenText is a free text a form saved: its field, label and words, and
// what the field said before, when the form changed a text already there.
type writtenText struct {
	Field, Label, Text, Before string
}

// texts gathers the named fields of a form, given as field and label pairs.
func texts(f *Form, fieldLabel ...string) []writtenText {
	var out []writtenText
	for i := 0; i+1 < len(fieldLabel); i += 2 {
		out = append(out, writtenText{Field: fieldLabel[i], Label: fieldLabel[i+1], Text: f.Get(fieldLabel[i])})
	}
	return out
}

// textKey names a text for "not for this text": the form it is written in
// and the field.
func textKey(path, field string) string { return path + "#" + field }

type savedData struct {
	Message string
	Notes   []suggestionNote
	Next    string
	Back    string
}

// afterSave is how a save of free text ends: it counts a staff member's
// words and suggestions towards their service's totals, then either goes
// on to next, or, when the text raised suggestions the writer has not seen
// as they typed, shows them on a "Saved" page with the way on. Saving has
// already happened either way.
func (s *Server) afterSave(w http.ResponseWriter, r *http.Request, c *call, next, msg string, written ...writtenText) error {
	ctx := r.Context()
	var nonEmpty []writtenText
	for _, t := range written {
		if strings.TrimSpace(t.Text) != "" {
			nonEmpty = append(nonEmpty, t)
		}
	}
	if len(nonEmpty) == 0 || !suggestionsOn(c.actor) {
		return redirect(w, r, next, msg) // nothing read or written: a save without free text costs nothing more
	}
	ch, err := s.checkerFor(ctx, languageOrg(c))
	if err != nil {
		return err
	}
	var notes []suggestionNote
	words, raised := 0, 0
	seenAsTyped := r.PostForm.Get("suggestions_seen") == "1"
	for _, t := range nonEmpty {
		key := textKey(r.URL.Path, t.Field)
		dismissed, err := s.store.Language.Dismissed(ctx, c.actor.User.ID, key)
		if err != nil {
			return err
		}
		n, found := noteFor(ch, dismissed, t.Text, t.Before)
		if added := language.Words(t.Text) - language.Words(t.Before); added > 0 {
			words += added
		}
		raised += found
		if len(n.Items) > 0 && !seenAsTyped {
			n.Field, n.Label, n.Key, n.Next = t.Field, t.Label, key, next
			notes = append(notes, n)
		}
	}
	if sv := writingService(c); sv != 0 {
		if err := s.store.Language.CountWriting(ctx, sv, c.actor.User.ID, words, raised); err != nil {
			return err
		}
	}
	if len(notes) == 0 {
		return redirect(w, r, next, msg)
	}
	if msg == "" {
		msg = "Saved."
	}
	d := savedData{Message: msg, Notes: notes, Next: next}
	if s.hasPage(r.URL.Path) {
		d.Back = r.URL.Path
	}
	return s.render(w, r, c, http.StatusOK, "saved_suggestions", page{Title: "Saved", Data: d})
}

// hasPage reports whether path is also a page to GET: the form's own page,
// where the writer can change the wording.
func (s *Server) hasPage(path string) bool {
	req, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return false
	}
	_, pattern := s.mux.Handler(req)
	return strings.HasPrefix(pattern, "GET ")
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

// languageChoice is the account page's part on suggestions.
type languageChoice struct {
	Person   bool // uses a service and writes as no one else: suggestions are theirs to turn on
	On       bool
	SetAside []string
}

func (s *Server) languageChoiceFor(ctx context.Context, c *call) (languageChoice, error) {
	a := c.actor
	lc := languageChoice{Person: !writesAsStaff(a) && len(a.Supporting) == 0, On: suggestionsOn(a)}
	var err error
	if lc.SetAside, err = s.store.Language.DismissedForGood(ctx, a.User.ID); err != nil {
		return lc, err
	}
	return lc, nil
}

// saveLanguageChoice turns suggestions on or off for someone using a
// service, or brings back what a writer set aside for good.
func (s *Server) saveLanguageChoice(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	if f.Get("bring_back") != "" {
		if err := s.store.Language.ForgetDismissals(ctx, c.actor.User.ID); err != nil {
			return err
		}
		return redirect(w, r, "/account#language", "Every suggestion you set aside will show again.")
	}
	on := f.Get("suggestions") == "on"
	if err := s.store.Language.SetLanguageOptIn(ctx, c.actor.User.ID, on); err != nil {
		return err
	}
	if on {
		return redirect(w, r, "/account#language", "Suggestions about words are on for your own writing.")
	}
	return redirect(w, r, "/account#language", "Suggestions about words are off for your own writing.")
}

type languageListData struct {
	Org        *alongside.Organisation
	Categories []language.Category
	List       []language.Entry
	Counts     map[language.Category]int
	Own        bool
	Updated    string
	Shipped    string
}

// languageListPage shows the organisation's suggestions and lets its
// administrator edit them as text, in the format of the shipped file.
func (s *Server) languageListPage(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	return s.renderLanguageList(w, r, c, http.StatusOK, f, true)
}

func (s *Server) renderLanguageList(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, fill bool) error {
	l, err := s.store.Language.LanguageList(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	if fill {
		f.Set("body", l.Body)
		f.Set("version", strconv.Itoa(l.Version))
	}
	d := languageListData{Org: c.org, Categories: language.Categories, List: l.List.Entries, Counts: map[language.Category]int{}, Own: l.Version > 0}
	for _, e := range l.List.Entries {
		d.Counts[e.Category]++
	}
	if d.Own {
		d.Updated = fmt.Sprintf("Version %d, saved by %s on %s.", l.Version, l.UpdatedByName, s.zone.date(fromMillis(l.UpdatedAt)))
	}
	return s.render(w, r, c, status, "language_list", page{Title: "Suggestions about words", Form: f, Data: d})
}

// saveLanguageList keeps the administrator's edited list, or the shipped
// one again; a list with any mistake is refused whole, each mistake with
// its line, and the text kept as typed.
func (s *Server) saveLanguageList(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	base, _ := strconv.Atoi(f.Get("version"))
	body := strings.ReplaceAll(f.Get("body"), "\r\n", "\n")
	if f.Get("shipped") != "" {
		body = content.DefaultSuggestionsText()
	}
	err := s.store.Language.SaveLanguageList(r.Context(), c.org.ID, base, body, c.actor.User.ID)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/orgs/%d/language", c.org.ID), "The suggestions list is saved. Writers see the change on their next check.")
	}
	if problems, ok := err.(content.Problems); ok {
		for _, p := range problems {
			if p.Line > 0 {
				f.Add("body", fmt.Sprintf("Line %d: %s", p.Line, p.Message))
			} else {
				f.Add("body", p.Message)
			}
		}
		return s.renderLanguageList(w, r, c, http.StatusUnprocessableEntity, f, false)
	}
	if !f.Absorb(err, "body") {
		return err
	}
	if alongside.ErrorCode(err) == alongside.ECONFLICT {
		// Their text stays in the box; saving again writes over the newer list knowingly.
		v, verr := s.store.Language.LanguageListVersion(r.Context(), c.org.ID)
		if verr != nil {
			return verr
		}
		f.Set("version", strconv.Itoa(v))
		return s.renderLanguageList(w, r, c, http.StatusConflict, f, false)
	}
	return s.renderLanguageList(w, r, c, http.StatusUnprocessableEntity, f, false)
}

type writingTotalsData struct {
	Min     int
	Service *alongside.Service
	Months  []alongside.WritingMonth
	Shown   []alongside.WritingMonth
	Chart   *svgChart
	Reviews []alongside.Review
}

func (s *Server) writingTotalsData(r *http.Request, c *call) (*writingTotalsData, error) {
	months, err := s.store.Language.LanguageTotals(r.Context(), c.service.ID)
	if err != nil {
		return nil, err
	}
	d := &writingTotalsData{Min: alongside.MinGroup, Service: c.service, Months: months}
	for _, m := range months {
		if m.Shown() {
			d.Shown = append(d.Shown, m)
		}
	}
	d.Chart = writingChart(d.Shown)
	if d.Reviews, err = s.reviewsTakingEvidence(r.Context(), c, c.service.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// writingTotals shows, month by month, the suggestions raised per 1,000
// words of the service's staff writing; a month with fewer than MinGroup
// writers is listed without figures.
func (s *Server) writingTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderWritingTotals(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderWritingTotals(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d, err := s.writingTotalsData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "writing_totals", page{Title: "Language in staff writing: " + c.service.Name, Form: f, Data: d})
}

// attachWritingTotals attaches the months shown, as they stand, to a review
// under "practice is recovery focused".
func (s *Server) attachWritingTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	d, err := s.writingTotalsData(r, c)
	if err != nil {
		return err
	}
	if len(d.Shown) == 0 {
		return alongside.Errorf(alongside.EINVALID, "There is nothing to attach until a month has writing from at least %d members of staff.", alongside.MinGroup)
	}
	review := chosenReview(d.Reviews, f)
	if review == nil {
		f.Add("review", "Choose a review under way.")
		return s.renderWritingTotals(w, r, c, http.StatusUnprocessableEntity, f)
	}
	set, err := s.store.Reviews.ReviewStatementSet(ctx, review)
	if err != nil {
		return err
	}
	e := &alongside.AttachedEvidence{Kind: alongside.KindLanguageSummary, Indicator: "recovery-practice",
		Title: "Language in staff writing", Link: fmt.Sprintf("/services/%d/language", c.service.ID),
		Text: "Suggestions about words raised in what practitioners and managers wrote in Alongside, per 1,000 words, month by month, in total. Fewer is not always better: it is a prompt for a conversation about the words we use."}
	for _, m := range d.Shown {
		e.Figures = append(e.Figures, alongside.Figure{Label: monthName(m.Month) + ": suggestions per 1,000 words", Value: strconv.FormatFloat(m.PerThousand(), 'f', 1, 64)})
	}
	if err := s.store.Reviews.AttachEvidence(ctx, review, set, e); f.Absorb(err, "review") {
		return s.renderWritingTotals(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d/results#ind-%s", review.ID, e.Indicator), "Attached to the review as evidence.")
}

// writingChart draws suggestions per 1,000 words by month, one point a
// month shown; nil when there is none.
func writingChart(months []alongside.WritingMonth) *svgChart {
	if len(months) == 0 {
		return nil
	}
	top := 1.0
	for _, m := range months {
		for top < m.PerThousand() {
			top *= 2
		}
	}
	l := lineSeries{Label: "Per 1,000 words"}
	for _, m := range months {
		t, err := time.Parse("2006-01", m.Month)
		if err != nil {
			continue
		}
		l.Points = append(l.Points, linePoint{t, m.PerThousand()})
	}
	if len(l.Points) == 0 {
		return nil
	}
	ch := lineChart(lineSpec{Series: []lineSeries{l}, YMin: 0, YMax: top, YTicks: []float64{0, top / 2, top},
		From: l.Points[0].At, To: l.Points[len(l.Points)-1].At,
		XLabel: func(t time.Time) string { return t.Format("January 2006") }})
	return &ch
}

// monthName is "November 2026" for "2026-11".
func monthName(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("January 2006")
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
