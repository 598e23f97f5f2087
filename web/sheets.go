package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/formtoken"
	"github.com/alongside-recovery/alongside/sqlstore"
)

type sheetData struct {
	Review *alongside.Review
	Sheet  sheetView
	Done   bool // an answer was just stored
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
// only their hashes are stored.
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

// invitationDefaults fill the invitation form on the review page.
func invitationDefaults(f *Form) {
	if f.Get("count") == "" {
		f.Set("count", "10")
	}
	if f.Get("days") == "" {
		f.Set("days", strconv.Itoa(sqlstore.DefaultInviteDays))
	}
}
