package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/formtoken"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// sheetView is a sheet's questions for one source, ready for a template:
// the indicators that have statements for that source, each with its
// statements and the answers typed so far.
type sheetView struct {
	Source     alongside.EvidenceSource
	Indicators []sheetIndicator
	Scale      []ratingChoice
}

type sheetIndicator struct {
	Number           int // the indicator's place in the set, from 1
	Key, Name, About string
	Statements       []sheetStatement
}

type sheetStatement struct {
	Field, Text string
}

type ratingChoice struct {
	Value, Label string
}

// ratingScale is the choices of every statement: 1 to 5, and N/A.
var ratingScale = func() []ratingChoice {
	out := make([]ratingChoice, 0, 6)
	for v := 1; v <= 5; v++ {
		out = append(out, ratingChoice{strconv.Itoa(v), fmt.Sprintf("%d – %s", v, alongside.RatingLabels[v])})
	}
	return append(out, ratingChoice{"na", "N/A – does not apply"})
}()

func newSheetView(set *alongside.StatementSet, source alongside.EvidenceSource) sheetView {
	v := sheetView{Source: source, Scale: ratingScale}
	for n, in := range set.Indicators {
		st := in.For(source)
		if len(st) == 0 {
			continue
		}
		si := sheetIndicator{Number: n + 1, Key: in.Key, Name: in.Name, About: in.About}
		for i, s := range st {
			si.Statements = append(si.Statements, sheetStatement{Field: fmt.Sprintf("r-%s-%d", in.Key, i+1), Text: s.Text})
		}
		v.Indicators = append(v.Indicators, si)
	}
	return v
}

// sheetFromForm reads the answers of a sheet form; an answer that is not
// one of the choices makes the sheet fail validation as not matching.
func sheetFromForm(f *Form, set *alongside.StatementSet, source alongside.EvidenceSource) *alongside.EvidenceSheet {
	sh := &alongside.EvidenceSheet{Source: source, Reference: f.Get("reference"), Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}
	for _, in := range set.Indicators {
		readIndicator(f, sh, in.Key, len(in.For(source)))
	}
	return sh
}

// readIndicator reads one indicator's n ratings and its examples from the
// form into sh: "" is unanswered, "na" not applicable, anything else not a
// number is -1, for validation to refuse.
func readIndicator(f *Form, sh *alongside.EvidenceSheet, key string, n int) {
	for i := range n {
		ref := alongside.StatementRef{Indicator: key, N: i + 1}
		switch v := f.Get(fmt.Sprintf("r-%s-%d", key, i+1)); v {
		case "":
		case "na":
			sh.Ratings[ref] = alongside.NotApplicable
		default:
			r, err := strconv.Atoi(v)
			if err != nil {
				r = -1
			}
			sh.Ratings[ref] = r
		}
	}
	if text := f.Get("e-" + key); strings.TrimSpace(text) != "" {
		sh.Evidence[key] = text
	}
}

// sheetFields is the order of a sheet form's fields, for error messages.
func sheetFields(v sheetView) []string {
	out := []string{"sheet", "reference"}
	for _, in := range v.Indicators {
		out = append(out, "e-"+in.Key)
	}
	return out
}

type sheetData struct {
	Review *alongside.Review
	Sheet  sheetView
	Done   bool // an answer was just kept
}

func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return err
	}
	d := sheetData{Review: c.review, Sheet: newSheetView(set, c.res.Source)}
	return s.render(w, r, c, status, "sheet", page{Title: "Enter a sheet: " + c.res.Source.Label(), Form: f, Data: d})
}

// sheetForm is the coordinator's or team's form for a records check, the
// service information, or a sheet filled in on paper.
func (s *Server) sheetForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.review.Stage != alongside.StageGathering {
		return alongside.Errorf(alongside.ECONFLICT, "Sheets are entered while the review is gathering evidence; this review is at “%s”.", c.review.Stage.Label())
	}
	f := newForm(r)
	s.issueFormToken(f, formtoken.Sheet, sheetTokenSubject(c))
	return s.sheetPage(w, r, c, http.StatusOK, f)
}

// sheetTokenSubject names the form a sheet's token is for: its review and
// source.
func sheetTokenSubject(c *call) string { return fmt.Sprintf("%d:%s", c.review.ID, c.res.Source) }

func (s *Server) enterSheet(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return err
	}
	nonce, ok := s.checkFormToken(f, formtoken.Sheet, sheetTokenSubject(c), "sheet")
	if !ok {
		return s.sheetPage(w, r, c, http.StatusBadRequest, f)
	}
	sh := sheetFromForm(f, set, c.res.Source)
	sh.Nonce = nonce
	// A sheet from staff, people or carers typed in by the coordinator can
	// only have come from paper.
	sh.Paper = !c.res.Source.Document() || f.Get("paper") == "yes"
	sh.EnteredBy = c.actor.User.ID
	err = s.store.Reviews.AddSheet(r.Context(), c.review, set, sh)
	if errors.Is(err, alongside.ErrAlreadyCounted) {
		return redirect(w, r, fmt.Sprintf("/reviews/%d", c.review.ID), "That sheet was already saved, and it counts once.")
	}
	if f.Absorb(err, sheetFields(newSheetView(set, c.res.Source))...) {
		return s.sheetPage(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	// Examples typed from someone's paper sheet are their words, not the
	// writer's: suggestions are for what the team writes itself.
	var written []writtenText
	if !sh.Paper {
		for _, in := range set.Indicators {
			written = append(written, texts(f, "e-"+in.Key, "Examples of evidence: "+in.Name)...)
		}
	}
	return s.afterSave(w, r, c, fmt.Sprintf("/reviews/%d", c.review.ID), "Sheet saved: "+c.res.Source.Label()+".", written...)
}

// printSheet is a blank sheet laid out for A4 paper.
func (s *Server) printSheet(w http.ResponseWriter, r *http.Request, c *call) error {
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return err
	}
	d := sheetData{Review: c.review, Sheet: newSheetView(set, c.res.Source)}
	return s.render(w, r, c, http.StatusOK, "sheet_print", page{Title: "Blank sheet: " + c.res.Source.Label(), Data: d})
}

type invitationLink struct {
	URL string
	QR  template.HTML // an SVG of the link as a QR code
}

type invitationsData struct {
	Review *alongside.Review
	Source alongside.EvidenceSource
	Days   int
	Links  []invitationLink
}

// issueInvitations makes a batch of personal links and shows them once:
// only their hashes are kept.
func (s *Server) issueInvitations(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	source := alongside.EvidenceSource(f.Get("source"))
	n, _ := strconv.Atoi(f.Get("count"))
	days, _ := strconv.Atoi(f.Get("days"))
	tokens, err := s.store.Links.IssueInvitations(r.Context(), c.review, source, n, days)
	if f.Absorb(err, "source", "count", "days") {
		return s.reviewPageWith(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	d := invitationsData{Review: c.review, Source: source, Days: days}
	for _, t := range tokens {
		u := s.absoluteURL(r, "/answer/"+t)
		svg, err := auth.QRCodeSVGWithTitle(u, "QR code for this invitation link")
		if err != nil {
			return err
		}
		d.Links = append(d.Links, invitationLink{URL: u, QR: template.HTML(svg)})
	}
	return s.render(w, r, c, http.StatusOK, "invitations", page{Title: "Invitation links", Data: d})
}

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
	Resume     int            // the part to carry on from; 0 if nothing is kept
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

// draftForm fills a form with the answers kept in a draft.
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
// kept. It goes a part a page (?part=n), each part's answers kept on the
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

// answer takes a part of a sheet answered through a link (kept on the link,
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

// invitationDefaults fill the invitation form on the review page.
func invitationDefaults(f *Form) {
	if f.Get("count") == "" {
		f.Set("count", "10")
	}
	if f.Get("days") == "" {
		f.Set("days", strconv.Itoa(sqlstore.DefaultInviteDays))
	}
}
