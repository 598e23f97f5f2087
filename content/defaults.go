package content

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/language"
)

//go:embed sri2/statements.txt
var defaultStatements string

// DefaultStatementSet is the file of the statement set Alongside ships,
// which every new organisation starts from.
func DefaultStatementSet() string { return defaultStatements }

var shippedShortNames = sync.OnceValue(func() map[[2]string]string {
	out := map[[2]string]string{}
	if set, err := ParseStatementSet(strings.NewReader(defaultStatements)); err == nil { // the content tests check it parses
		for _, in := range set.Indicators {
			out[[2]string{in.Key, in.Name}] = in.Short
		}
	}
	return out
})

// ShortName is an indicator's short name for table headings: its own, or,
// for a set loaded before the shipped set had short names, the shipped
// set's for an indicator of the same key and name; else its full name.
func ShortName(in alongside.Indicator) string {
	if in.Short != "" {
		return in.Short
	}
	if s := shippedShortNames()[[2]string{in.Key, in.Name}]; s != "" {
		return s
	}
	return in.Name
}

//go:embed themes/themes.txt
var defaultThemes string

var parsedThemes = sync.OnceValue(func() []alongside.Theme {
	themes, err := ParseThemes(strings.NewReader(defaultThemes))
	if err != nil {
		return nil // the content tests check the shipped file parses
	}
	return themes
})

// DefaultThemes is the themes list Alongside ships. Callers must not change
// the slice.
func DefaultThemes() []alongside.Theme { return parsedThemes() }

//go:embed practice/practice.txt
var defaultPractice string

var parsedPractice = sync.OnceValue(func() *alongside.PracticeContent {
	c, err := ParsePractice(strings.NewReader(defaultPractice))
	if err != nil {
		return nil // the content tests check the shipped file parses
	}
	return c
})

// DefaultPractice is the practice content Alongside ships: the framework
// items, the Ten Top Tips, kinds of learning activity and training
// components. Callers must not change it or its slices.
func DefaultPractice() *alongside.PracticeContent { return parsedPractice() }

//go:embed surveys/staff-knowledge.txt
var defaultStaffQuestionnaire string

//go:embed surveys/people-experience.txt
var defaultPeopleQuestionnaire string

//go:embed surveys/carer-experience.txt
var defaultCarerQuestionnaire string

// defaultQuestionnaireFiles are the shipped questionnaires' files, in the
// order DefaultQuestionnaires gives them.
var defaultQuestionnaireFiles = []string{defaultStaffQuestionnaire, defaultPeopleQuestionnaire, defaultCarerQuestionnaire}

var parsedQuestionnaires = sync.OnceValue(func() []*alongside.Questionnaire {
	var out []*alongside.Questionnaire
	for _, f := range defaultQuestionnaireFiles {
		q, err := ParseQuestionnaire(strings.NewReader(f))
		if err != nil {
			continue // the content tests check the shipped files parse
		}
		out = append(out, q)
	}
	return out
})

// DefaultQuestionnaires is the questionnaires Alongside ships: staff recovery
// knowledge and practice, people's experience of support for their
// recovery, and carers' experience, in that order. Callers must not change
// the slice, the questionnaires or their slices.
func DefaultQuestionnaires() []*alongside.Questionnaire { return parsedQuestionnaires() }

// DefaultQuestionnaireFiles are the files of DefaultQuestionnaires, in the
// same order: a survey keeps its questionnaire's file as it stood.
func DefaultQuestionnaireFiles() []string { return defaultQuestionnaireFiles }

//go:embed language/suggestions.txt
var defaultSuggestions string

var parsedSuggestions = sync.OnceValue(func() *language.List {
	l, err := ParseSuggestions(strings.NewReader(defaultSuggestions))
	if err != nil {
		panic("content: the shipped language/suggestions.txt does not parse: " + err.Error())
	}
	return l
})

// DefaultSuggestions is the list of language suggestions Alongside ships,
// which an organisation uses until it loads its own. Callers must not
// change it or its slices.
func DefaultSuggestions() *language.List { return parsedSuggestions() }

// DefaultSuggestionsText is the file of DefaultSuggestions, as shipped: an
// organisation adapting the list starts from it.
func DefaultSuggestionsText() string { return defaultSuggestions }

//go:embed helpnow/helpnow.txt
var defaultHelpNow string

var parsedHelpNow = sync.OnceValue(func() []alongside.HelpLine {
	l, err := ParseHelpNow(strings.NewReader(defaultHelpNow))
	if err != nil {
		panic("content: the shipped helpnow/helpnow.txt does not parse: " + err.Error())
	}
	return l
})

// DefaultHelpNow is the "If you need help now" list Alongside ships: 999,
// NHS 24 on 111, Samaritans on 116 123 and Breathing Space on 0800 83 85
// 87. An organisation shows it until it saves its own. Callers must not
// change the slice.
func DefaultHelpNow() []alongside.HelpLine { return parsedHelpNow() }

// DefaultHelpNowText is the file of DefaultHelpNow, as shipped: an
// organisation adapting the list starts from it.
func DefaultHelpNowText() string { return defaultHelpNow }
