package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/alongside-recovery/alongside"
)

type answerData struct {
	Review   *alongside.Review
	Sheet    sheetView
	Done     bool
	MinGroup int
	HelpNow  []alongside.HelpLine // on the closing screen

	// A sheet answered through a link goes a part (an indicator) a page:
	// Step is "intro", "part" (Part of Parts), "check" (before sending),
	// or "whole" (a form of the whole sheet, from before sheets had parts,
	// sent back with a problem).
	Step       string
	Part       int
	Parts      int
	Indicator  sheetIndicator // the part shown
	Statements int            // on the whole sheet
	Minutes    int            // about how long the whole sheet takes
	Answered   int            // statements answered so far
	Resume     int            // the part to carry on from; 0 if nothing is stored
	Summary    []partSummary  // on the check page
}

// partSummary is one part as the check page lists it.
type partSummary struct {
	Part         int
	Name         string
	Answered, Of int
	HasExamples  bool
}

// sheetMinutes is about how long a sheet of n statements takes: half a
// minute a statement (reading it, choosing, now and then writing an
// example), to the nearest five minutes.
func sheetMinutes(n int) int {
	m := (n*30 + 150) / 300 * 5
	if m < 5 {
		m = 5
	}
	return m
}

// answerStep is the page of a sheet asked for: 0 the introduction, 1 to
// parts a part, parts+1 the check before sending. Anything else is the
// introduction.
func answerStep(v string, parts int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > parts+1 {
		return 0
	}
	return n
}

// draftForm fills a form with the answers stored in a draft.
func draftForm(f *Form, d *alongside.SheetDraft) {
	for ref, v := range d.Ratings {
		val := "na"
		if v != alongside.NotApplicable {
			val = strconv.Itoa(v)
		}
		f.Set(fmt.Sprintf("r-%s-%d", ref.Indicator, ref.N), val)
	}
	for k, text := range d.Evidence {
		f.Set("e-"+k, text)
	}
}

// partFromForm reads the answers of one part of a sheet (one indicator).
func partFromForm(f *Form, in sheetIndicator, source alongside.EvidenceSource) *alongside.EvidenceSheet {
	sh := &alongside.EvidenceSheet{Source: source, Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}
	readIndicator(f, sh, in.Key, len(in.Statements))
	return sh
}

// answerPage shows a step of a sheet answered through a link, its answers
// from f (the draft's, or those just sent back with a problem).
func (s *Server) answerPage(w http.ResponseWriter, r *http.Request, c *call, status int, rv *alongside.Review, view sheetView, step int, f *Form, d *alongside.SheetDraft) error {
	data := answerData{Review: rv, Sheet: view, MinGroup: alongside.MinGroup, Parts: len(view.Indicators), Part: step}
	for _, in := range view.Indicators {
		data.Statements += len(in.Statements)
	}
	data.Minutes = sheetMinutes(data.Statements)
	data.Answered = len(d.Ratings)
	if data.Answered > 0 || len(d.Evidence) > 0 {
		data.Resume = max(1, min(d.Part, data.Parts+1))
	}
	title := "Your answers: " + rv.ServiceName
	switch {
	case step == 0:
		data.Step = "intro"
	case step <= data.Parts:
		data.Step, data.Indicator = "part", view.Indicators[step-1]
		title = fmt.Sprintf("Part %d of %d: %s – %s", step, data.Parts, data.Indicator.Name, title)
	default:
		data.Step = "check"
		title = "Check and send – " + title
		for i, in := range view.Indicators {
			ps := partSummary{Part: i + 1, Name: in.Name, Of: len(in.Statements), HasExamples: d.Evidence[in.Key] != ""}
			for ref := range d.Ratings {
				if ref.Indicator == in.Key {
					ps.Answered++
				}
			}
			data.Summary = append(data.Summary, ps)
		}
	}
	return s.render(w, r, c, status, "answer", page{Title: title, Form: f, Data: data})
}

// answerForm is the sheet a member of staff, a person using the service or
// a carer fills in through their personal link: no account, no address
// stored. It goes a part a page (?part=n), each part's answers stored with the
// link as they go on, so they can stop and come back.
func (s *Server) answerForm(w http.ResponseWriter, r *http.Request, c *call) error {
	token := r.PathValue("token")
	rv, source, err := s.store.Links.Invitation(r.Context(), token)
	if err != nil {
		return err
	}
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), rv)
	if err != nil {
		return err
	}
	d, err := s.store.Reviews.SheetDraft(r.Context(), token)
	if err != nil {
		return err
	}
	view := newSheetView(set, source)
	f := newForm(r)
	draftForm(f, d)
	return s.answerPage(w, r, c, http.StatusOK, rv, view, answerStep(r.URL.Query().Get("part"), len(view.Indicators)), f, d)
}

// answer takes a part of a sheet answered through a link (stored with the link,
// then the next or the last part shown), sends the sheet from the check
// page, or sends a whole sheet posted at once.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, c *call) error {
	token := r.PathValue("token")
	rv, source, err := s.store.Links.Invitation(r.Context(), token)
	if err != nil {
		return err
	}
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), rv)
	if err != nil {
		return err
	}
	f := newForm(r)
	view := newSheetView(set, source)
	parts := len(view.Indicators)
	if f.Get("part") == "" {
		// The whole sheet in one form (as a page opened before sheets went
		// a part a page sends it).
		err = s.store.Links.AnswerInvitation(r.Context(), token, rv, set, sheetFromForm(f, set, source))
		if f.Absorb(err, sheetFields(view)...) {
			return s.render(w, r, c, http.StatusUnprocessableEntity, "answer", page{Title: "Your answers: " + rv.ServiceName, Form: f,
				Data: answerData{Review: rv, Sheet: view, MinGroup: alongside.MinGroup, Step: "whole"}})
		} else if err != nil {
			return err
		}
		return s.answered(w, r, c, rv, view)
	}
	step := answerStep(f.Get("part"), parts)
	here := fmt.Sprintf("/answer/%s?part=", url.PathEscape(token))
	back := f.Get("go") == "back"
	switch {
	case step == 0:
		return redirect(w, r, here+"0", "")
	case step <= parts:
		in := view.Indicators[step-1]
		next := step + 1
		if back {
			next = step - 1
		}
		err := s.store.Reviews.SaveSheetDraft(r.Context(), token, rv, set, in.Key, partFromForm(f, in, source), next)
		if f.Absorb(err, "sheet", "e-"+in.Key) {
			d, derr := s.store.Reviews.SheetDraft(r.Context(), token)
			if derr != nil {
				return derr
			}
			return s.answerPage(w, r, c, http.StatusUnprocessableEntity, rv, view, step, f, d)
		} else if err != nil {
			return err
		}
		return redirect(w, r, here+strconv.Itoa(next), "")
	}
	if back {
		return redirect(w, r, here+strconv.Itoa(parts), "")
	}
	err = s.store.Reviews.SendSheetDraft(r.Context(), token, rv, set, source)
	if alongside.FieldErrors(err)["sheet"] != "" {
		d, derr := s.store.Reviews.SheetDraft(r.Context(), token)
		if derr != nil {
			return derr
		}
		f.Add("sheet", "Choose an answer to at least one statement before sending: go back to any part below.")
		return s.answerPage(w, r, c, http.StatusUnprocessableEntity, rv, view, step, f, d)
	} else if err != nil {
		return err
	}
	return s.answered(w, r, c, rv, view)
}

// answered is the closing page once a sheet is sent.
func (s *Server) answered(w http.ResponseWriter, r *http.Request, c *call, rv *alongside.Review, view sheetView) error {
	return s.render(w, r, c, http.StatusOK, "answer", page{Title: "Thank you", Data: answerData{Review: rv, Sheet: view, Done: true,
		HelpNow: s.helpNowFor(r.Context(), rv.OrgID)}})
}
