package content

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/alongside-recovery/alongside"
)

//go:embed sri2/statements.txt
var defaultStatements string

// DefaultStatementSet is the file of the statement set Alongside ships,
// which every new organisation starts from.
func DefaultStatementSet() string { return defaultStatements }

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
