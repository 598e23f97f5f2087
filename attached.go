package alongside

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// EvidenceKind is what an item of attached evidence is.
type EvidenceKind string

const (
	KindSurveyResult     EvidenceKind = "survey_result"     // results of a survey wave
	KindDevelopmentNeeds EvidenceKind = "development_needs" // practitioners' development needs, in total
	KindLanguageSummary  EvidenceKind = "language_summary"  // language suggestions raised, in total
	KindLiveFigure       EvidenceKind = "live_figure"       // a figure Alongside keeps, as it stood
	KindNote             EvidenceKind = "note"              // something the team wrote down
)

// Label is the kind in plain English.
func (k EvidenceKind) Label() string {
	switch k {
	case KindSurveyResult:
		return "Survey result"
	case KindDevelopmentNeeds:
		return "Development needs"
	case KindLanguageSummary:
		return "Language summary"
	case KindLiveFigure:
		return "Figure from Alongside"
	case KindNote:
		return "Note"
	}
	return string(k)
}

func (k EvidenceKind) valid() bool { return k.Label() != string(k) }

// Figure is one labelled value of a snapshot, such as "Respondents: 23".
type Figure struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// AttachedEvidence is an item attached to a review under one indicator,
// beside that indicator's sheets: a survey result, a summary or a note.
// Its figures are a snapshot taken when it was attached, so the review
// reads the same later however the source changes; Link leads to the source.
type AttachedEvidence struct {
	ID             int64
	ReviewID       int64
	Indicator      string
	Kind           EvidenceKind
	Title          string
	Text           string
	Figures        []Figure
	Link           string // a path within Alongside, or an http(s) address
	AttachedBy     int64
	AttachedByName string
	AttachedAt     time.Time
}

// Validate checks the item against the review's statement set. Field names
// match the attach form: "indicator", "title", "text", "link".
func (e *AttachedEvidence) Validate(set *StatementSet) error {
	f := map[string]string{}
	e.Title, e.Text, e.Link = strings.TrimSpace(e.Title), strings.TrimSpace(e.Text), strings.TrimSpace(e.Link)
	known := false
	for _, in := range set.Indicators {
		known = known || in.Key == e.Indicator
	}
	if !known {
		f["indicator"] = "Choose the indicator this evidence bears on."
	}
	if !e.Kind.valid() {
		return Errorf(EINVALID, "That is not a kind of evidence a review can hold.")
	}
	switch {
	case e.Title == "":
		f["title"] = "Give the evidence a short title."
	case utf8.RuneCountInString(e.Title) > 200:
		f["title"] = "Keep the title to 200 characters or fewer."
	}
	if utf8.RuneCountInString(e.Text) > 4000 {
		f["text"] = "Keep the text to 4,000 characters or fewer."
	} else if msg := IdentifierProblem(e.Text); msg != "" {
		f["text"] = msg
	} else if msg := IdentifierProblem(e.Title); msg != "" {
		f["title"] = msg
	}
	keepable(f, "title", e.Title)
	keepable(f, "text", e.Text)
	keepable(f, "link", e.Link)
	if e.Kind == KindNote && e.Text == "" && f["title"] == "" {
		f["text"] = "Write what the note says."
	}
	if e.Link != "" {
		u, err := url.Parse(e.Link)
		local := err == nil && strings.HasPrefix(e.Link, "/") && !strings.HasPrefix(e.Link, "//")
		web := err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
		if !local && !web {
			f["link"] = "Give a web address starting with https://, or leave the link empty."
		}
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}
