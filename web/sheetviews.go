package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
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
