package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/language"
)

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

// saveLanguageList stores the administrator's edited list, or the shipped
// one again; a list with any mistake is refused whole, each mistake with
// its line, and the text shown again as typed.
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
