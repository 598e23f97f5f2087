package web

import (
	"net/http"
	"strings"

	"github.com/alongside-recovery/alongside/language"
)

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
