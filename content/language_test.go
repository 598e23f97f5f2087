package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/language"
)

func TestShippedSuggestions(t *testing.T) {
	l, err := ParseSuggestions(strings.NewReader(defaultSuggestions))
	if err != nil {
		t.Fatalf("the shipped suggestions do not parse: %v", err)
	}
	if DefaultSuggestionsText() != defaultSuggestions {
		t.Error("DefaultSuggestionsText is not the shipped file")
	}
	if got := DefaultSuggestions(); got == nil || len(got.Entries) != len(l.Entries) || got.Version != l.Version {
		t.Fatalf("DefaultSuggestions differs from the parsed file")
	}
	if l.Version < 1 || !strings.Contains(l.Source, "Scottish Recovery Network") {
		t.Errorf("header: version %d, source %q", l.Version, l.Source)
	}
	if n := len(l.Entries); n < 60 {
		t.Errorf("the list has %d entries, want at least 60", n)
	}
	perCategory := map[language.Category]int{}
	keys := map[string]*language.Entry{}
	for i := range l.Entries {
		e := &l.Entries[i]
		perCategory[e.Category]++
		keys[e.Key] = e
		if e.Key != language.Key(e.Phrase) || e.Line == 0 {
			t.Errorf("%q: key %q, line %d", e.Phrase, e.Key, e.Line)
		}
		if n := len(e.Instead); n < 1 || n > 3 {
			t.Errorf("%q has %d alternatives, want 1 to 3", e.Phrase, n)
		}
		if e.Reason == "" || !strings.HasSuffix(e.Reason, ".") {
			t.Errorf("%q: the reason should be a sentence or two: %q", e.Phrase, e.Reason)
		}
	}
	for _, c := range language.Categories {
		if perCategory[c] < 8 {
			t.Errorf("category %s has %d entries, want at least 8", c, perCategory[c])
		}
	}
	t.Logf("%d entries: %v", len(l.Entries), perCategory)
	for _, k := range []string{"non compliant", "suffers from", "a schizophrenic", "attention seeking", "refused",
		"manipulative", "low functioning", "failed to engage", "challenging behaviour", "frequent flyer"} {
		if keys[k] == nil {
			t.Errorf("the shipped list has no entry %q", k)
		}
	}

	// Every phrase and form is found, whole, in itself, and is found as
	// that entry; no unless phrase is flagged as its own entry.
	ch := language.New(l)
	for i := range l.Entries {
		e := &l.Entries[i]
		for _, p := range append([]string{e.Phrase}, e.Forms...) {
			ms := ch.Check(p)
			if len(ms) != 1 || ms[0].Start != 0 || ms[0].End != len(p) || ms[0].Entry.Key != e.Key {
				t.Errorf("%q (of %q) checked on its own gives %s", p, e.Key, describe(p, ms))
			}
		}
		for _, u := range e.Unless {
			for _, m := range ch.Check(u) {
				if m.Entry.Key == e.Key {
					t.Errorf("the unless phrase %q is flagged as %q", u, e.Key)
				}
			}
		}
	}
	for _, s := range []string{"The refuse collection is on a Tuesday.", "Put it in the refuse bin.", "The refuse lorry came.",
		"Some stories are heroic examples of people who have refused to accept dire predictions of outcome."} {
		if ms := ch.Check(s); len(ms) != 0 {
			t.Errorf("%q gives %s", s, describe(s, ms))
		}
	}
}

func describe(text string, ms []language.Match) string {
	var b strings.Builder
	b.WriteString("[")
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q as %q", text[m.Start:m.End], m.Entry.Key)
	}
	b.WriteString("]")
	return b.String()
}

// suggestionsFile is a whole, small list.
const suggestionsFile = `# a small list
version: 2
source: Written for the tests.

phrase: non-compliant
forms: noncompliant | non-compliance
category: deficit
reason: It makes a choice sound like disobedience.
instead: has decided not to take it | has concerns about it

phrase: refused
category: paternalistic
reason: It makes a choice sound like defiance.
instead: declined
unless: refuse collection | refused to accept dire predictions
`

func TestParseSuggestionsWhole(t *testing.T) {
	l, err := ParseSuggestions(strings.NewReader(suggestionsFile))
	if err != nil {
		t.Fatal(err)
	}
	want := &language.List{Version: 2, Source: "Written for the tests.", Entries: []language.Entry{
		{Key: "non compliant", Phrase: "non-compliant", Forms: []string{"noncompliant", "non-compliance"}, Category: language.Deficit,
			Reason: "It makes a choice sound like disobedience.", Instead: []string{"has decided not to take it", "has concerns about it"}, Line: 5},
		{Key: "refused", Phrase: "refused", Category: language.Paternalistic, Reason: "It makes a choice sound like defiance.",
			Instead: []string{"declined"}, Unless: []string{"refuse collection", "refused to accept dire predictions"}, Line: 11},
	}}
	if fmt.Sprintf("%#v", l) != fmt.Sprintf("%#v", want) {
		t.Errorf("got  %#v\nwant %#v", l, want)
	}

	// Keys in capitals, an empty unless, an empty forms, no blank lines
	// between entries, spaces around the bars.
	body := strings.NewReplacer("category: deficit", "CATEGORY: Deficit", "unless: refuse collection | refused to accept dire predictions", "unless:",
		"forms: noncompliant | non-compliance", "Forms:", "\n\nphrase: refused", "\nphrase: refused",
		"instead: declined", "instead:   declined  |said no").Replace(suggestionsFile)
	l, err = ParseSuggestions(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if e := l.Entries[0]; e.Category != language.Deficit || e.Forms != nil {
		t.Errorf("entry 0 = %+v", e)
	}
	if e := l.Entries[1]; e.Unless != nil || fmt.Sprint(e.Instead) != "[declined said no]" || e.Line != 10 {
		t.Errorf("entry 1 = %+v", e)
	}
}

// TestParseSuggestionsProblems checks that each mistake is reported at its
// line and that no list comes back.
func TestParseSuggestionsProblems(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	many := func(n int, format string) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf(format, i+1))
		}
		return strings.Join(parts, " | ")
	}
	var thousand strings.Builder
	thousand.WriteString("version: 1\nsource: s\n")
	for i := range MaxSuggestions + 1 {
		fmt.Fprintf(&thousand, "\nphrase: entry %d\ncategory: label\nreason: r.\ninstead: i\n", i+1)
	}
	cases := []struct {
		name, edit string // edit: "old=>new" applied to suggestionsFile, or a whole body if it has no "=>"
		line       int
		want       string
	}{
		{"unknown key", "category: deficit=>categry: deficit", 7, `unknown key "categry"`},
		{"not key: value", "reason: It makes a choice sound like defiance.=>It makes a choice sound like defiance.", 13, `expected "key: value"`},
		{"no category", "category: paternalistic\n=>", 11, `the entry "refused" has no category`},
		{"no reason", "reason: It makes a choice sound like defiance.\n=>", 11, `the entry "refused" has no reason`},
		{"no instead", "instead: declined\n=>", 11, `the entry "refused" has no instead`},
		{"unknown category", "category: deficit=>category: negative", 7, `unknown category "negative"`},
		{"empty category", "category: deficit=>category:", 7, `"category" has nothing after the colon`},
		{"empty reason", "reason: It makes a choice sound like defiance.=>reason:", 13, `"reason" has nothing after the colon`},
		{"empty phrase", "phrase: refused=>phrase:", 11, `"phrase" has nothing after the colon`},
		{"duplicate phrase", "phrase: refused=>phrase: Non Compliant", 11, `the phrase "Non Compliant" matches the same words as "non-compliant" on line 5`},
		{"duplicate by ending", "phrase: refused=>phrase: non-compliance", 11, `matches the same words as "non-compliance" on line 6`},
		{"form duplicates another entry", "forms: noncompliant | non-compliance=>forms: noncompliant | refuses", 11, `the phrase "refused" matches the same words as "refuses" on line 6`},
		{"form duplicates its phrase", "forms: noncompliant | non-compliance=>forms: non compliant", 6, `the form "non compliant" matches the same words as "non-compliant" on line 5`},
		{"empty form", "forms: noncompliant | non-compliance=>forms: noncompliant |", 6, `"forms" has an empty value`},
		{"empty alternative", "instead: declined=>instead: declined | | said no", 14, `"instead" has an empty value`},
		{"long phrase", "phrase: refused=>phrase: " + long(81), 11, "is 81 characters long; the most is 80"},
		{"long form", "forms: noncompliant | non-compliance=>forms: " + long(81), 6, "is 81 characters long; the most is 80"},
		{"long reason", "reason: It makes a choice sound like defiance.=>reason: " + long(301), 13, "the reason is 301 characters long; the most is 300"},
		{"long alternative", "instead: declined=>instead: " + long(121), 14, "is 121 characters long; the most is 120"},
		{"long unless", "unless: refuse collection=>unless: refused " + long(121), 15, "is 129 characters long; the most is 120"},
		{"long source", "source: Written for the tests.=>source: " + long(301), 3, "the source is 301 characters long; the most is 300"},
		{"many forms", "forms: noncompliant | non-compliance=>forms: " + many(13, "form %d"), 6, `"forms" has 13 values; the most is 12`},
		{"many alternatives", "instead: declined=>instead: " + many(13, "option %d"), 14, `"instead" has 13 values; the most is 12`},
		{"many unless", "unless: refuse collection | refused to accept dire predictions=>unless: " + many(13, "refused %d"), 15, `"unless" has 13 values; the most is 12`},
		{"unless without the phrase", "unless: refuse collection | refused to accept dire predictions=>unless: refuse collection | rubbish collection", 15,
			`the unless phrase "rubbish collection" does not contain the phrase "refused" or one of its forms`},
		{"unless with the words apart", "unless: refuse collection=>unless: re fused collection", 15, `the unless phrase "re fused collection" does not contain`},
		{"phrase without words", "phrase: refused=>phrase: -- !", 11, `the phrase "-- !" has no words`},
		{"form without words", "forms: noncompliant | non-compliance=>forms: noncompliant | ...", 6, `the form "..." has no words`},
		{"no version", "version: 2\n=>", 0, `the header has no "version" line`},
		{"no source", "source: Written for the tests.\n=>", 0, `the header has no "source" line`},
		{"bad version", "version: 2=>version: two", 2, `the version must be a whole number of 1 or more, not "two"`},
		{"version twice", "source: Written for the tests.=>source: Written for the tests.\nversion: 3", 4, `"version" is given twice (first on line 2)`},
		{"header after an entry", "instead: declined=>instead: declined\nsource: again", 15, `"source" belongs in the header, before the first phrase`},
		{"field before a phrase", "source: Written for the tests.=>source: Written for the tests.\nreason: early", 4, `"reason" must come after a "phrase:" line`},
		{"field twice", "category: deficit=>category: deficit\ncategory: label", 8, `the entry "non-compliant" has a second "category" (the first is on line 7)`},
		{"not UTF-8", "reason: It makes a choice sound like defiance.=>reason: \xff", 13, "not valid UTF-8"},
		{"no entries", "version: 1\nsource: s\n", 0, "the list has no entries"},
		{"too many entries", thousand.String(), 2 + 5*MaxSuggestions + 2, "a list may have at most 1000 entries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.edit
			if old, new, ok := strings.Cut(tc.edit, "=>"); ok {
				if !strings.Contains(suggestionsFile, old) {
					t.Fatalf("the edit %q does not apply", old)
				}
				body = strings.Replace(suggestionsFile, old, new, 1)
			}
			l, err := ParseSuggestions(strings.NewReader(body))
			if l != nil {
				t.Fatal("a list came back from a file with a mistake")
			}
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("err = %v", err)
			}
			for _, p := range probs {
				if p.Line == tc.line && strings.Contains(p.Message, tc.want) {
					return
				}
			}
			t.Fatalf("want line %d %q; got %v", tc.line, tc.want, probs)
		})
	}
}

// TestParseSuggestionsAllProblems checks that a file with several mistakes
// reports every one.
func TestParseSuggestionsAllProblems(t *testing.T) {
	body := `version: 0
source: s

phrase: suffers from
category: sad
reason: It casts a person as passive.
instead: lives with | | has

phrase: Suffering from
reason: Again.
instead: lives with
colour: blue
unless: suffering badly
`
	_, err := ParseSuggestions(strings.NewReader(body))
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("err = %v", err)
	}
	want := []struct {
		line int
		text string
	}{
		{1, "the version must be"},
		{5, `unknown category "sad"`},
		{7, `"instead" has an empty value`},
		{9, `matches the same words as "suffers from" on line 4`},
		{12, `unknown key "colour"`},
		{9, `the entry "Suffering from" has no category`},
		{13, `the unless phrase "suffering badly" does not contain`},
	}
	if len(probs) != len(want) {
		t.Fatalf("got %d problems, want %d: %v", len(probs), len(want), probs)
	}
	for i, w := range want {
		if probs[i].Line != w.line || !strings.Contains(probs[i].Message, w.text) {
			t.Errorf("problem %d = line %d %q, want line %d %q", i, probs[i].Line, probs[i].Message, w.line, w.text)
		}
	}
	if !strings.Contains(err.Error(), "line 12: unknown key") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func FuzzParseSuggestions(f *testing.F) {
	f.Add(suggestionsFile, "He refused his medication and is non-compliant.")
	f.Add(defaultSuggestions, "She suffers from “voices” and \"refuses\" help.")
	f.Add("", "")
	f.Add("version: 1\nsource: s\nphrase: a\ncategory: label\nreason: r\ninstead: i\nunless: a a | b a\n", "a a a b a")
	f.Add("phrase: it's\nforms: its | it’s | 's\ncategory: label\n", "it's its it’s")
	f.Add("version: 99999999999999999999\nphrase:\n:\n: :\n|||\n\xff\n", "\xff\"“")
	f.Fuzz(func(t *testing.T, body, text string) {
		l, err := ParseSuggestions(strings.NewReader(body))
		if err != nil {
			if l != nil {
				t.Fatal("a list and an error together")
			}
			var probs Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("err is not Problems: %v", err)
			}
			return
		}
		if l == nil || l.Version < 1 || l.Source == "" || len(l.Entries) == 0 {
			t.Fatalf("accepted an incomplete list: %+v", l)
		}
		keys := map[string]bool{}
		for _, e := range l.Entries {
			if keys[e.Key] || e.Key == "" || !e.Category.Valid() || e.Reason == "" || len(e.Instead) == 0 {
				t.Fatalf("accepted a bad entry: %+v", e)
			}
			keys[e.Key] = true
		}
		ch := language.New(l)
		for _, src := range []string{text, body} {
			last := 0
			for _, m := range ch.Check(src) {
				if m.Start < last || m.End <= m.Start || m.End > len(src) || m.Entry == nil {
					t.Fatalf("bad match %+v in %q", m, src)
				}
				last = m.End
			}
		}
	})
}
