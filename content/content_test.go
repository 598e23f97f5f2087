package content

import (
	"errors"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
)

const oneIndicator = `# a tiny but whole set
set: Test set
version: 2
source: Written for the tests.

indicator: basic-needs
name: Basic needs are identified and addressed
short: Basic needs
about: Housing, money and health come first.
assessments: The assessment records where the person lives.
care-plans: The care plan names who helps with money worries.
service-information: The welcome pack says how to get help with benefits.
staff: We ask about housing at the first meeting.
people: Staff asked me whether I have enough money for food.
carers: Staff told me where to get advice on benefits.
staff: We help people keep their tenancy.
`

func TestParseWholeSet(t *testing.T) {
	set, err := ParseStatementSet(strings.NewReader(oneIndicator))
	if err != nil {
		t.Fatal(err)
	}
	if set.Name != "Test set" || set.Version != 2 || len(set.Indicators) != 1 {
		t.Fatalf("set = %+v", set)
	}
	in := set.Indicators[0]
	if in.Key != "basic-needs" || in.About == "" || in.Short != "Basic needs" || len(in.For(alongside.SourceStaff)) != 2 || len(in.Statements) != 7 {
		t.Fatalf("indicator = %+v", in)
	}
	if got := in.For(alongside.SourceStaff)[1].Text; got != "We help people keep their tenancy." {
		t.Fatalf("order not kept: %q", got)
	}
}

// TestParseProblems checks that each mistake is reported at its line, in
// words an administrator can act on, and that nothing is returned.
func TestParseProblems(t *testing.T) {
	cases := []struct {
		name, edit string // edit: "old=>new" applied to oneIndicator
		line       int
		want       string
	}{
		{"bad version", "version: 2=>version: two", 3, "whole number"},
		{"missing colon", "about: Housing, money and health come first.=>about Housing", 9, `expected "key: value"`},
		{"empty value", "name: Basic needs are identified and addressed=>name:", 7, "nothing after the colon"},
		{"unknown source", "carers: Staff told=>friends: Staff told", 15, `unknown key "friends"`},
		{"bad key", "indicator: basic-needs=>indicator: Basic Needs", 6, "lower-case letters"},
		{"missing source", "carers: Staff told me where to get advice on benefits.\n=>", 6, "no statement for informal carers"},
		{"second name", "about: Housing=>name: Again\nabout: Housing", 9, `second "name"`},
		{"second short name", "about: Housing=>short: Needs\nabout: Housing", 9, `second "short"`},
		{"short name too long", "short: Basic needs=>short: Basic needs are identified", 8, "the short name is 26 characters long; the most is 24"},
		{"header after indicators", "staff: We help people keep their tenancy.=>version: 3", 16, "belongs in the header"},
		{"too long", "people: Staff asked me=>people: " + strings.Repeat("x", 301), 14, "characters long; the most is 300"},
		{"statement before indicator", "source: Written for the tests.=>source: Written for the tests.\nstaff: Too early.", 5, "after an \"indicator:\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old, new, _ := strings.Cut(tc.edit, "=>")
			if !strings.Contains(oneIndicator, old) {
				t.Fatalf("test edit %q does not apply", old)
			}
			set, err := ParseStatementSet(strings.NewReader(strings.Replace(oneIndicator, old, new, 1)))
			if set != nil {
				t.Fatal("a set came back from a file with a mistake")
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
			t.Fatalf("no problem at line %d saying %q; got %v", tc.line, tc.want, probs)
		})
	}
}

func TestParseReportsEveryProblemAndMissingHeader(t *testing.T) {
	_, err := ParseStatementSet(strings.NewReader("indicator: a\nname: A\nstaff: x\nindicator: a\nname: B\n"))
	msg := err.Error()
	for _, want := range []string{`no "set" line`, `no "version" line`, `used twice (first on line 1)`, "no statement for assessments", "line 4:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems %q lack %q", msg, want)
		}
	}
	if _, err := ParseStatementSet(strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "no indicators") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := ParseStatementSet(strings.NewReader("set: \xff\xfe\n")); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("binary file: %v", err)
	}
}

// The ten indicators of seed 001, in its order.
var sri2Indicators = []string{
	"Basic needs are identified and addressed",
	"Goals are identified and addressed",
	"Personalised services are provided",
	"Service is strengths based",
	"Service promotes social inclusion",
	"Service promotes and acts on service user involvement",
	"Informal carers are involved",
	"Service encourages advance planning and self management",
	"Staff are supported and valued",
	"Practice is recovery focused",
}

func TestShippedStatementSet(t *testing.T) {
	set, err := ParseStatementSet(strings.NewReader(DefaultStatementSet()))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Indicators) != len(sri2Indicators) {
		t.Fatalf("%d indicators, want %d", len(set.Indicators), len(sri2Indicators))
	}
	seen := map[string]bool{}
	for i, in := range set.Indicators {
		if in.Name != sri2Indicators[i] {
			t.Errorf("indicator %d is %q, want %q", i+1, in.Name, sri2Indicators[i])
		}
		if in.About == "" {
			t.Errorf("%s has no description", in.Key)
		}
		if in.Short == "" || len(in.Short) >= len(in.Name) {
			t.Errorf("%s has no short name shorter than its name %q: %q", in.Key, in.Name, in.Short)
		}
		for _, st := range in.Statements {
			if seen[st.Text] {
				t.Errorf("statement repeated: %q", st.Text)
			}
			seen[st.Text] = true
			for _, word := range []string{"patient", "client", "and/or"} {
				if strings.Contains(strings.ToLower(st.Text), word) {
					t.Errorf("%q uses %q", st.Text, word)
				}
			}
		}
	}
}

// A set stored before short names existed still gets the shipped set's short
// names for the same indicators, and another set's indicator its full name.
func TestShortNameFallsBackToTheShippedSet(t *testing.T) {
	old := alongside.Indicator{Key: "carers", Name: "Informal carers are involved"}
	if got := ShortName(old); got != "Carers involved" {
		t.Errorf("an old set's carers indicator is headed %q, not the shipped short name", got)
	}
	other := alongside.Indicator{Key: "carers", Name: "Families are welcomed"}
	if got := ShortName(other); got != "Families are welcomed" {
		t.Errorf("another set's indicator is headed %q, not its own name", got)
	}
	own := alongside.Indicator{Key: "carers", Name: "Informal carers are involved", Short: "Carers"}
	if got := ShortName(own); got != "Carers" {
		t.Errorf("a set's own short name gave way to %q", got)
	}
}
