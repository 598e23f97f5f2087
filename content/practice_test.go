package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
)

func TestShippedPractice(t *testing.T) {
	c, err := ParsePractice(strings.NewReader(defaultPractice))
	if err != nil {
		t.Fatalf("the shipped practice content does not parse: %v", err)
	}
	if got := DefaultPractice(); got == nil || len(got.Framework) != len(c.Framework) {
		t.Fatalf("DefaultPractice = %v, want the parsed file", got)
	}
	if c.Version == "" {
		t.Error("no version")
	}
	if len(c.Tips) != 10 {
		t.Errorf("%d tips, want 10", len(c.Tips))
	}
	for _, tip := range c.Tips {
		if !strings.HasPrefix(tip.Text, "Did I ") || !strings.HasSuffix(tip.Text, "?") {
			t.Errorf("tip %s is not a \"Did I …?\" question: %q", tip.Key, tip.Text)
		}
	}
	if len(c.Training) != 14 {
		t.Errorf("%d training components, want 14", len(c.Training))
	}
	if len(c.Activities) == 0 {
		t.Error("no learning activities")
	}
	// Framework: the three groups in order, each non-empty, nothing else.
	last := -1
	for _, it := range c.Framework {
		g := -1
		for i, k := range alongside.FrameworkGroups {
			if it.Kind == k {
				g = i
			}
		}
		if g < last {
			t.Errorf("framework item %s (%s) is out of group order", it.Key, it.Kind)
		}
		last = g
	}
	for _, g := range alongside.FrameworkGroups {
		if len(c.InGroup(g)) == 0 {
			t.Errorf("the framework has no %s items", g)
		}
	}
	if n := len(c.InGroup(alongside.KindKnowledge)) + len(c.InGroup(alongside.KindSkills)) + len(c.InGroup(alongside.KindValues)); n != len(c.Framework) {
		t.Errorf("the framework holds %d items outside its three groups", len(c.Framework)-n)
	}
	keys, texts := map[string]bool{}, map[string]bool{}
	for _, list := range [][]alongside.PracticeItem{c.Framework, c.Tips, c.Activities, c.Training} {
		for _, it := range list {
			if keys[it.Key] {
				t.Errorf("key %s used twice", it.Key)
			}
			keys[it.Key] = true
			if texts[it.Text] {
				t.Errorf("text repeated: %q", it.Text)
			}
			texts[it.Text] = true
			if got, ok := c.Item(it.Key); !ok || got != it {
				t.Errorf("Item(%q) = %v, %v", it.Key, got, ok)
			}
			if it.Source == "" {
				t.Errorf("%s has no source", it.Key)
			}
		}
	}
}

// practiceFile is a whole, small practice file: each kind once, ten tips.
func practiceFile() string {
	var b strings.Builder
	b.WriteString("# a small but whole file\nversion: 3\n\n")                             // lines 1–3
	b.WriteString("knowledge | know-hope | I understand that hope matters. | Test, k1\n") // line 4
	b.WriteString("skills | skill-listen | I can listen. | Test, s1\n")                   // line 5
	b.WriteString("values | value-hope | I believe recovery is possible. | Test, v1\n")   // line 6
	b.WriteString("activity | activity-read | Read recovery stories. | Test, a1\n")       // line 7
	b.WriteString("training | training-language | Language. | Test, t1\n")                // line 8
	for i := 1; i <= 10; i++ {                                                            // lines 9–18
		fmt.Fprintf(&b, "tip | tip-%d | Did I do thing %d? | Test, tip %d\n", i, i, i)
	}
	return b.String()
}

func TestParsePracticeWhole(t *testing.T) {
	body := practiceFile() + "knowledge | know-trauma | I understand trauma. | Test, k2\n"
	c, err := ParsePractice(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != "3" || len(c.Tips) != 10 || len(c.Activities) != 1 || len(c.Training) != 1 {
		t.Fatalf("content = %+v", c)
	}
	var order []string
	for _, it := range c.Framework {
		order = append(order, it.Key)
	}
	if got := strings.Join(order, " "); got != "know-hope know-trauma skill-listen value-hope" {
		t.Errorf("framework order = %s", got)
	}
	if c.Tips[9].Key != "tip-10" || c.Tips[0].Source != "Test, tip 1" {
		t.Errorf("tips = %+v", c.Tips)
	}
}

// TestParsePracticeProblems checks that each mistake is reported at its
// line, in words an administrator can act on, and that nothing comes back.
func TestParsePracticeProblems(t *testing.T) {
	good := practiceFile()
	const knowledge = "knowledge | know-hope | I understand that hope matters. | Test, k1\n"
	cases := []struct {
		name, edit string // edit: "old=>new" applied to practiceFile()
		line       int
		want       string
	}{
		{"unknown kind", "knowledge | know-hope=>wisdom | know-hope", 4, `unknown kind "wisdom"`},
		{"upper-case kind", "skills | skill-listen=>Skills | skill-listen", 5, `unknown kind "Skills"`},
		{"bad key", "know-hope=>Know Hope", 4, "lower-case letters"},
		{"long key", "know-hope=>" + strings.Repeat("k", 41), 4, "at most 40 characters"},
		{"empty key", "know-hope=>", 4, `the key ""`},
		{"duplicate key", "skill-listen=>know-hope", 5, "used twice (first on line 4)"},
		{"no text", "I can listen.=>", 5, `item "skill-listen" has no text`},
		{"long text", "I can listen.=>" + strings.Repeat("x", 201), 5, "201 characters long; the most is 200"},
		{"no source", "| Test, s1=>| ", 5, `item "skill-listen" has no source`},
		{"long source", "Test, s1=>" + strings.Repeat("s", 201), 5, "the source of item \"skill-listen\" is 201 characters"},
		{"three parts", "| Test, s1=>", 5, "four parts"},
		{"five parts", "Test, s1=>Test | s1", 5, "four parts"},
		{"no bar", "skills | skill-listen | I can listen. | Test, s1=>skills skill-listen", 5, "four parts"},
		{"tip not a question", "Did I do thing 3?=>I did thing 3.", 11, `tip "tip-3" must be the question`},
		{"tip without question mark", "Did I do thing 3?=>Did I do thing 3", 11, "ending with \"?\""},
		{"eleven tips", "training | training-language | Language. | Test, t1\n=>training | training-language | Language. | Test, t1\ntip | tip-0 | Did I do thing 0? | Test\n", 19, "more than 10 tips"},
		{"nine tips", "tip | tip-10 | Did I do thing 10? | Test, tip 10\n=>", 0, "there are 9 tips"},
		{"no version", "version: 3\n=>", 0, `no "version: N" line`},
		{"bad version", "version: 3=>version: three", 2, "whole number"},
		{"zero version", "version: 3=>version: 0", 2, "whole number"},
		{"empty version", "version: 3=>version:", 2, "whole number"},
		{"second version", knowledge + "=>" + knowledge + "version: 4\n", 5, "given twice (first on line 2)"},
		{"version after items", "version: 3\n\n" + knowledge + "=>\n" + knowledge + "version: 3\n", 4, "belongs at the top"},
		{"no knowledge", knowledge + "=>", 0, "no knowledge items"},
		{"no values", "values | value-hope | I believe recovery is possible. | Test, v1\n=>", 0, "no values items"},
		{"no activities", "activity | activity-read | Read recovery stories. | Test, a1\n=>", 0, "no activity items"},
		{"no training", "training | training-language | Language. | Test, t1\n=>", 0, "no training items"},
		{"not UTF-8", "I can listen.=>I can \xff.", 5, "not valid UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old, new, _ := strings.Cut(tc.edit, "=>")
			if !strings.Contains(good, old) {
				t.Fatalf("test edit %q does not apply", old)
			}
			c, err := ParsePractice(strings.NewReader(strings.Replace(good, old, new, 1)))
			if c != nil {
				t.Fatal("content came back from a file with a mistake")
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

func TestParsePracticeTooManyItems(t *testing.T) {
	var b strings.Builder
	b.WriteString(practiceFile())
	for i := 2; i <= MaxPracticeItems+1; i++ {
		fmt.Fprintf(&b, "activity | activity-%d | Another activity %d. | Test\n", i, i)
	}
	_, err := ParsePractice(strings.NewReader(b.String()))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d: there may be at most %d items of kind activity", 18+MaxPracticeItems, MaxPracticeItems)) {
		t.Fatalf("err = %v", err)
	}
}

func TestParsePracticeTooBig(t *testing.T) {
	body := practiceFile() + strings.Repeat("# padding padding padding padding padding padding\n", MaxFileBytes/50+1)
	_, err := ParsePractice(strings.NewReader(body))
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MB") {
		t.Fatalf("err = %v", err)
	}
}

// TestParsePracticeReportsEveryProblem checks that one pass finds the
// mistakes on several lines and the ones about the whole file.
func TestParsePracticeReportsEveryProblem(t *testing.T) {
	body := "knowledge | a | I know. | Test\n" + // line 1
		"skills | a | I can. | Test\n" + // line 2: duplicate key
		"value | v | I believe. | Test\n" + // line 3: unknown kind
		"tip | t1 | I did. | \n" + // line 4: not a question, no source
		"training | Bad Key | Text |\n" + // line 5: bad key, no source
		"activity | x | y\n" // line 6: three parts (yet an activity line, so not "no activity items")
	_, err := ParsePractice(strings.NewReader(body))
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"line 2: the key \"a\" is used twice (first on line 1)",
		"line 3: unknown kind \"value\"",
		"line 4: tip \"t1\" must be the question",
		"line 4: item \"t1\" has no source",
		"line 5: the key \"Bad Key\"",
		"line 5: item \"Bad Key\" has no source",
		"line 6: expected four parts",
		`no "version: N" line`,
		"there are 1 tips",
		"no values items",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems lack %q:\n%s", want, strings.ReplaceAll(msg, "; ", "\n"))
		}
	}
	if strings.Contains(msg, "no knowledge items") || strings.Contains(msg, "no training items") || strings.Contains(msg, "no activity items") {
		t.Errorf("a kind that has lines is reported missing: %s", msg)
	}
	if _, err := ParsePractice(strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "no knowledge items") {
		t.Errorf("empty file: %v", err)
	}
}

func FuzzParsePractice(f *testing.F) {
	f.Add(practiceFile())
	f.Add(defaultPractice)
	f.Add("")
	f.Add("version: 1\n|||\n")
	f.Add("tip | t | Did I? | s\nversion: x\nversion: 2\n")
	f.Add("knowledge | k | \xff | s\n")
	f.Fuzz(func(t *testing.T, body string) {
		c, err := ParsePractice(strings.NewReader(body))
		if err != nil {
			if c != nil {
				t.Fatal("content and an error together")
			}
			var probs Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("err is not Problems: %v", err)
			}
			return
		}
		if c == nil {
			t.Fatal("neither content nor an error")
		}
		if len(c.Tips) != PracticeTips || len(c.Activities) == 0 || len(c.Training) == 0 || c.Version == "" {
			t.Fatalf("accepted incomplete content: %+v", c)
		}
		for _, g := range alongside.FrameworkGroups {
			if len(c.InGroup(g)) == 0 {
				t.Fatalf("accepted a framework without %s", g)
			}
		}
	})
}
