package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
)

// The practitioner's self-assessment against the framework, a part a page,
// stored as a draft until the last part is answered.

// selfAssessmentForm shows one part of the self-assessment: the part asked
// for (?part=N), or the first one not yet answered. Each item starts from
// the answer in the draft under way, else from the practitioner's latest
// self-assessment, so that repeating it means changing only what has moved.
func (s *Server) selfAssessmentForm(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	parts := practice().SelfAssessmentParts()
	draft, err := s.store.Development.SelfAssessmentDraft(ctx, c.practitioner.ID)
	if err != nil {
		return err
	}
	n := draft.NextPart(parts)
	if n == 0 {
		n = len(parts)
	}
	if v := r.URL.Query().Get("part"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > len(parts) {
			return notFound()
		}
	}
	part := parts[n-1]
	f := newForm(r)
	latest, err := s.latestSelfAssessment(r, c)
	if err != nil {
		return err
	}
	for _, it := range part.Items {
		rt, ok := draft.Ratings[it.Key]
		if !ok && latest != nil {
			rt = latest.Ratings[it.Key]
		}
		setRating(f, it.Key, rt)
		// Sent here to finish a part left unanswered: say which items.
		if rt.Rating == 0 && r.URL.Query().Get("check") != "" {
			f.Add("r-"+it.Key, "Choose how this sits with you now.")
		}
	}
	f.Set("version", strconv.Itoa(draft.Version))
	return s.renderSelfAssessment(w, r, c, http.StatusOK, f, part, draft, nil)
}

func (s *Server) latestSelfAssessment(r *http.Request, c *call) (*alongside.SelfAssessment, error) {
	as, err := s.store.Development.SelfAssessments(r.Context(), c.practitioner.ID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return &as[len(as)-1], nil
}

// setRating puts an item's rating into the form as its fields hold it.
func setRating(f *Form, key string, rt alongside.ItemRating) {
	f.Values.Del("r-" + key)
	f.Values.Del("n-" + key)
	if rt.Rating > 0 {
		f.Set("r-"+key, strconv.Itoa(rt.Rating))
	}
	if rt.Need {
		f.Set("n-"+key, "yes")
	}
}

// ratingText is a rating as the page words it, for what another tab saved.
func ratingText(rt alongside.ItemRating) string {
	t := alongside.RatingLabel(rt.Rating)
	if t == "" {
		t = "not answered"
	}
	if rt.Need {
		t += ", marked to develop"
	}
	return t
}

// renderSelfAssessment shows a part; other, when a save clashed, is the
// draft as the other save left it.
func (s *Server) renderSelfAssessment(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, part alongside.SelfAssessmentPart,
	draft, other *alongside.SelfAssessmentDraft) error {
	parts := practice().SelfAssessmentParts()
	d := &selfAssessmentData{Practitioner: c.practitioner, Part: part, Parts: len(parts), Scale: alongside.RatingScale,
		Last: part.Number == len(parts), Conflict: other != nil, Draft: draft}
	for i, it := range part.Items {
		v := selfAssessmentItem{PracticeItem: it, Number: part.First + i}
		if other != nil {
			mine := alongside.ItemRating{Need: f.Get("n-"+it.Key) == "yes"}
			mine.Rating, _ = strconv.Atoi(f.Get("r-" + it.Key))
			if saved, ok := other.Ratings[it.Key]; ok && saved != mine {
				v.Saved = ratingText(saved)
			}
		}
		d.Items = append(d.Items, v)
	}
	for _, p := range parts {
		d.Steps = append(d.Steps, selfAssessmentStep{Number: p.Number, Title: p.Title(), Done: draft.PartDone(p), Current: p.Number == part.Number})
	}
	title := fmt.Sprintf("Self-assessment, part %d of %d", part.Number, len(parts))
	return s.render(w, r, c, status, "self_assessment", page{Title: title, Form: f, Data: d})
}

// saveSelfAssessment keeps one part in the draft and goes on ("next"),
// back ("back") or to My development ("later"). Going on needs every item
// of the part answered; going back or stopping keeps whatever is answered.
// The last part's "next" saves the whole self-assessment.
func (s *Server) saveSelfAssessment(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	pc := practice()
	parts := pc.SelfAssessmentParts()
	n, err := strconv.Atoi(f.Get("part"))
	if err != nil || n < 1 || n > len(parts) {
		return alongside.Errorf(alongside.EINVALID, "The self-assessment has changed since this page was opened. Go back, reload the page and try again.")
	}
	part := parts[n-1]
	move := f.Get("go")
	save := &alongside.SelfAssessmentPartSave{PractitionerID: c.practitioner.ID, Part: part, Ratings: map[string]alongside.ItemRating{},
		Complete: move != "back" && move != "later", Finish: move != "back" && move != "later" && part.Number == len(parts)}
	save.Version, _ = strconv.Atoi(f.Get("version"))
	for _, it := range part.Items {
		rt := alongside.ItemRating{Need: f.Get("n-"+it.Key) == "yes"}
		if v := f.Get("r-" + it.Key); v != "" {
			if rt.Rating, err = strconv.Atoi(v); err != nil {
				rt.Rating = -1 // refused by Validate, beside the item
			}
		}
		save.Ratings[it.Key] = rt
	}
	done, err := s.store.Development.SaveSelfAssessmentPart(ctx, save, pc)
	switch alongside.ErrorCode(err) {
	case "":
	case alongside.ECONFLICT:
		// Show what the other tab saved beside each item that differs,
		// keep this page's answers, and go on from the version shown.
		cur, cerr := s.store.Development.SelfAssessmentDraft(ctx, c.practitioner.ID)
		if cerr != nil {
			return cerr
		}
		f.OnConflict(err, cur.Version)
		msg := alongside.ErrorMessage(err)
		if cur.Version == 0 {
			msg = "Your self-assessment was finished in another window or tab while this page was open; it is saved. Saving this page starts a new one from your answers here."
		}
		f.Add("conflict", msg)
		return s.renderSelfAssessment(w, r, c, http.StatusConflict, f, part, cur, cur)
	case alongside.EINVALID:
		fields := alongside.FieldErrors(err)
		for _, it := range part.Items {
			if msg := fields[it.Key]; msg != "" {
				f.Add("r-"+it.Key, msg)
			}
		}
		if !f.HasErrors() {
			f.Add("r-"+part.Items[0].Key, alongside.ErrorMessage(err))
		}
		draft, derr := s.store.Development.SelfAssessmentDraft(ctx, c.practitioner.ID)
		if derr != nil {
			return derr
		}
		return s.renderSelfAssessment(w, r, c, http.StatusUnprocessableEntity, f, part, draft, nil)
	default:
		return err
	}
	partPath := func(n int) string {
		return developmentPath(c.practitioner.ID, fmt.Sprintf("self-assessment?part=%d", n))
	}
	switch {
	case done != nil:
		return redirect(w, r, developmentPath(c.practitioner.ID, "development"), "Self-assessment saved.")
	case move == "later":
		return redirect(w, r, developmentPath(c.practitioner.ID, "development"), "Your answers so far are kept. Carry on from here whenever you are ready.")
	case move == "back":
		return redirect(w, r, partPath(max(1, n-1)), "")
	case n < len(parts):
		return redirect(w, r, partPath(n+1), fmt.Sprintf("Part %d saved.", n))
	}
	// The last part is answered but an earlier one is not (opened out of
	// turn): go to it, with its unanswered items marked.
	draft, err := s.store.Development.SelfAssessmentDraft(ctx, c.practitioner.ID)
	if err != nil {
		return err
	}
	k := max(1, draft.NextPart(parts))
	setFlash(w, "warning", fmt.Sprintf("Your answers are kept. Part %d still has items to answer before the self-assessment can be saved.", k))
	http.Redirect(w, r, partPath(k)+"&check=1", http.StatusSeeOther)
	return nil
}
