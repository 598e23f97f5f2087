package alongside

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// NotApplicable is the rating recorded for N/A.
const NotApplicable = 0

// RatingLabels name the points of the rating scale, 1 to 5.
var RatingLabels = [...]string{1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree", 5: "Strongly agree"}

// StatementRef names a statement within a statement set: its indicator and
// its position (from 1) among that indicator's statements for the sheet's
// source.
type StatementRef struct {
	Indicator string
	N         int
}

// EvidenceSheet is one completed data-collection sheet of a review, for one
// source of evidence. A sheet never records who answered it: a records sheet
// carries an anonymous reference, and a paper sheet records only who typed
// it in.
type EvidenceSheet struct {
	ID          int64
	ReviewID    int64
	Source      EvidenceSource
	Reference   string // documents: an anonymous reference such as "A3"
	Paper       bool   // entered from a paper sheet
	EnteredBy   int64  // who entered it; 0 when answered online
	Nonce       string // of the one-time token of the form it was typed in: stored once
	SubmittedAt time.Time
	Ratings     map[StatementRef]int // 1–5, or NotApplicable; unanswered statements are absent
	Evidence    map[string]string    // indicator key → written examples of evidence
}

// MaxEvidenceText is the longest evidence note, per indicator.
const MaxEvidenceText = 2000

// Validate checks a sheet against the statement set of its review. Field
// names match the sheet form: "reference", "r-<indicator>-<n>", "e-<indicator>".
func (s *EvidenceSheet) Validate(set *StatementSet) error { return s.validate(set, true) }

// ValidateAnswers checks the answers of a sheet given so far, as Validate
// does, except that nothing need be rated yet: a part of a sheet answered a
// part at a time, before it is sent.
func (s *EvidenceSheet) ValidateAnswers(set *StatementSet) error { return s.validate(set, false) }

func (s *EvidenceSheet) validate(set *StatementSet, whole bool) error {
	f := map[string]string{}
	s.Reference = strings.TrimSpace(s.Reference)
	if !s.Source.Valid() {
		return Errorf(ENOTFOUND, "There is no such source of evidence.")
	}
	if s.Source == SourceAssessments || s.Source == SourceCarePlans {
		switch {
		case s.Reference == "":
			f["reference"] = "Give the record an anonymous reference, like “A3”, so the team can tell sheets apart."
		case utf8.RuneCountInString(s.Reference) > 40:
			f["reference"] = "Keep the reference short: 40 characters or fewer."
		}
	}
	if msg := IdentifierProblem(s.Reference); msg != "" {
		f["reference"] = msg
	}
	keepable(f, "reference", s.Reference)
	known := map[StatementRef]bool{}
	for _, in := range set.Indicators {
		for i := range in.For(s.Source) {
			known[StatementRef{in.Key, i + 1}] = true
		}
	}
	for ref, v := range s.Ratings {
		if !known[ref] || v < NotApplicable || v > 5 {
			return Errorf(EINVALID, "The sheet does not match this review's statements. Reload the page and enter it again.")
		}
	}
	for key, text := range s.Evidence {
		name := fmt.Sprintf("e-%s", key)
		s.Evidence[key] = strings.TrimSpace(text)
		if msg := TextProblem(key + text); msg != "" {
			f[name] = msg
		} else if utf8.RuneCountInString(text) > MaxEvidenceText {
			f[name] = fmt.Sprintf("Keep the evidence to %d characters or fewer.", MaxEvidenceText)
		} else if msg := IdentifierProblem(text); msg != "" {
			f[name] = msg
		}
	}
	if whole && len(s.Ratings) == 0 && len(f) == 0 {
		return Invalid(map[string]string{"sheet": "Rate at least one statement before saving the sheet."})
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// SheetDraft is a sheet being answered a part (an indicator) at a time
// through a personal invitation link: the answers given so far and the part
// last seen, stored with the link until the sheet is sent.
type SheetDraft struct {
	Ratings  map[StatementRef]int // as EvidenceSheet.Ratings
	Evidence map[string]string    // as EvidenceSheet.Evidence
	Part     int                  // the part last seen, from 1; 0 before any
}

// Put replaces the draft's answers to one indicator's statements, and its
// examples, with those of part; anything part holds for another indicator
// is left out.
func (d *SheetDraft) Put(indicator string, part *EvidenceSheet) {
	if d.Ratings == nil {
		d.Ratings = map[StatementRef]int{}
	}
	if d.Evidence == nil {
		d.Evidence = map[string]string{}
	}
	for ref := range d.Ratings {
		if ref.Indicator == indicator {
			delete(d.Ratings, ref)
		}
	}
	for ref, v := range part.Ratings {
		if ref.Indicator == indicator {
			d.Ratings[ref] = v
		}
	}
	delete(d.Evidence, indicator)
	if text := strings.TrimSpace(part.Evidence[indicator]); text != "" {
		d.Evidence[indicator] = text
	}
}

// Sheet is the draft as a sheet of source, to be sent.
func (d *SheetDraft) Sheet(source EvidenceSource) *EvidenceSheet {
	sh := &EvidenceSheet{Source: source, Ratings: map[StatementRef]int{}, Evidence: map[string]string{}}
	for ref, v := range d.Ratings {
		sh.Ratings[ref] = v
	}
	for k, v := range d.Evidence {
		sh.Evidence[k] = v
	}
	return sh
}
