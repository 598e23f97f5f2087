package content

import (
	"errors"
	"strings"
	"testing"
)

func TestDefaultThemes(t *testing.T) {
	themes, err := ParseThemes(strings.NewReader(defaultThemes))
	if err != nil {
		t.Fatalf("the shipped themes do not parse: %v", err)
	}
	if got := DefaultThemes(); len(got) != len(themes) {
		t.Fatalf("DefaultThemes has %d themes, the file %d", len(got), len(themes))
	}
	keys := map[string]bool{}
	for _, th := range themes {
		keys[th.Key] = true
	}
	for _, k := range []string{"involving-carers", "strengths-assessment", "positive-risk-taking", "goal-setting", "peer-support"} {
		if !keys[k] {
			t.Errorf("the shipped themes lack %q", k)
		}
	}
}

// TestParseThemeProblems checks that each mistake is reported at its line
// and that no list comes back.
func TestParseThemeProblems(t *testing.T) {
	const good = "# comment\n\ngoal-setting | Goal setting | People set their own goals.\n"
	cases := []struct {
		name, body string
		line       int
		want       string
	}{
		{"two parts", good + "peer-support | Peer support\n", 4, "three parts"},
		{"four parts", good + "a | b | c | d\n", 4, "three parts"},
		{"bad key", good + "Peer Support | Peer support | Lived experience.\n", 4, "lower-case letters"},
		{"duplicate key", good + "goal-setting | Goals again | Twice.\n", 4, "used twice (first on line 3)"},
		{"no label", good + "peer-support |  | Lived experience.\n", 4, "no label"},
		{"no description", good + "peer-support | Peer support | \n", 4, "no description"},
		{"long label", good + "peer-support | " + strings.Repeat("x", 61) + " | Lived experience.\n", 4, "longer than 60"},
		{"long description", good + "peer-support | Peer support | " + strings.Repeat("x", 201) + "\n", 4, "longer than 200"},
		{"not UTF-8", good + "peer-support | Peer \xff | x\n", 4, "not valid UTF-8"},
		{"empty", "# nothing here\n", 0, "no themes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			themes, err := ParseThemes(strings.NewReader(tc.body))
			if themes != nil {
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
