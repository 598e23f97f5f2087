package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
)

func TestShippedQuestionnaires(t *testing.T) {
	want := []struct {
		key        string
		audience   alongside.Audience
		minItems   int
		maxItems   int
		types      map[alongside.ItemType]bool // the types it must use
		otherTypes bool                        // whether it may use others
	}{
		{"staff-knowledge", alongside.AudienceStaff, 20, 30, map[alongside.ItemType]bool{alongside.ItemAgree5: true, alongside.ItemText: true}, false},
		{"people-experience", alongside.AudiencePeople, 12, 18, map[alongside.ItemType]bool{alongside.ItemAgree5: true, alongside.ItemYesNo: true, alongside.ItemScale10: true, alongside.ItemText: true}, false},
		{"carer-experience", alongside.AudienceCarers, 10, 15, map[alongside.ItemType]bool{alongside.ItemAgree5: true, alongside.ItemYesNo: true, alongside.ItemScale10: true, alongside.ItemText: true}, false},
	}
	got := DefaultQuestionnaires()
	if len(got) != len(want) || len(defaultQuestionnaireFiles) != len(want) {
		t.Fatalf("DefaultQuestionnaires gives %d, want %d", len(got), len(want))
	}
	titles := map[string]bool{}
	for i, w := range want {
		q, err := ParseQuestionnaire(strings.NewReader(defaultQuestionnaireFiles[i]))
		if err != nil {
			t.Fatalf("shipped questionnaire %d does not parse: %v", i+1, err)
		}
		if got[i].Key != q.Key || len(got[i].Items) != len(q.Items) {
			t.Errorf("DefaultQuestionnaires()[%d] = %s, want the parsed file %s", i, got[i].Key, q.Key)
		}
		if q.Key != w.key || q.Audience != w.audience {
			t.Errorf("questionnaire %d is %s for %s, want %s for %s", i+1, q.Key, q.Audience, w.key, w.audience)
		}
		if q.Version < 1 || q.Title == "" || q.Intro == "" || q.Source == "" {
			t.Errorf("%s: incomplete header: %+v", q.Key, q)
		}
		if titles[q.Title] {
			t.Errorf("%s: title %q used twice", q.Key, q.Title)
		}
		titles[q.Title] = true
		if n := len(q.Items); n < w.minItems || n > w.maxItems {
			t.Errorf("%s has %d items, want %d to %d", q.Key, n, w.minItems, w.maxItems)
		}
		if len(q.Domains) < 3 {
			t.Errorf("%s has %d domains, want at least 3", q.Key, len(q.Domains))
		}
		for _, d := range q.Domains {
			items := q.InDomain(d.Key)
			if len(items) == 0 {
				t.Errorf("%s: domain %s is empty", q.Key, d.Key)
			}
			// Every domain can be scored, and its score is a mean of
			// answers on one scale.
			scored := map[alongside.ItemType]bool{}
			for _, it := range items {
				if it.Type.Scored() {
					scored[it.Type] = true
				}
			}
			if len(scored) != 1 {
				t.Errorf("%s: domain %s has %d scored item types, want 1", q.Key, d.Key, len(scored))
			}
		}
		used := map[alongside.ItemType]int{}
		texts := map[string]bool{}
		for _, it := range q.Items {
			used[it.Type]++
			if !w.types[it.Type] && !w.otherTypes {
				t.Errorf("%s: item %s is of type %s", q.Key, it.Key, it.Type)
			}
			if texts[it.Text] {
				t.Errorf("%s: text repeated: %q", q.Key, it.Text)
			}
			texts[it.Text] = true
			if got, ok := q.Item(it.Key); !ok || got != it {
				t.Errorf("%s: Item(%q) = %v, %v", q.Key, it.Key, got, ok)
			}
			for _, word := range []string{"patient", "client", "and/or", "compliance", "non-compliant"} {
				if strings.Contains(strings.ToLower(it.Text), word) {
					t.Errorf("%s: %q uses %q", q.Key, it.Text, word)
				}
			}
			if it.Type == alongside.ItemYesNo && !strings.HasSuffix(it.Text, "?") {
				t.Errorf("%s: yes/no item %s is not a question: %q", q.Key, it.Key, it.Text)
			}
			if it.Type == alongside.ItemScale10 && (!strings.Contains(it.Text, "0") || !strings.Contains(it.Text, "10")) {
				t.Errorf("%s: 0–10 item %s does not say what 0 and 10 mean: %q", q.Key, it.Key, it.Text)
			}
		}
		for typ := range w.types {
			if used[typ] == 0 {
				t.Errorf("%s uses no %s item", q.Key, typ)
			}
		}
		switch q.Audience {
		case alongside.AudienceStaff:
			if used[alongside.ItemAgree5] < len(q.Items)*3/4 || used[alongside.ItemText] > 2 {
				t.Errorf("%s: want mostly agree5 items and one or two text items, got %v", q.Key, used)
			}
		default:
			if used[alongside.ItemScale10] != 1 || used[alongside.ItemText] != 1 {
				t.Errorf("%s: want one overall 0–10 item and one text item, got %v", q.Key, used)
			}
		}
	}
	// A change in these areas after a review should be able to show
	// (seed 003): each has a scored staff item.
	staff := got[0]
	for key, domain := range map[string]string{"goals-own": "goals", "recovery-for-all": "hope", "risk-positive": "positive-risk"} {
		if it, ok := staff.Item(key); !ok || it.Domain != domain || it.Type != alongside.ItemAgree5 {
			t.Errorf("staff item %s = %+v, %v; want an agree5 item in %s", key, it, ok, domain)
		}
	}
}

// questionnaireFile is a whole, small questionnaire.
const questionnaireFile = `# a small but whole questionnaire
questionnaire: test-survey
version: 2
title: A test survey
audience: people
intro: Some words before the questions.
source: Written for the tests.

domain: hope
name: Hope
agree5 hope-future: Staff believe things can get better for me.
yesno hope-asked: Have staff asked about your hopes?

domain: overall
name: Overall
scale10 overall: How well are we doing? 0 means badly, 10 means very well.
text one-thing: What is one thing we could do better: anything at all?
`

func TestParseQuestionnaireWhole(t *testing.T) {
	q, err := ParseQuestionnaire(strings.NewReader(questionnaireFile))
	if err != nil {
		t.Fatal(err)
	}
	if q.Key != "test-survey" || q.Version != 2 || q.Title != "A test survey" || q.Audience != alongside.AudiencePeople ||
		q.Intro != "Some words before the questions." || q.Source != "Written for the tests." {
		t.Fatalf("header = %+v", q)
	}
	wantDomains := []alongside.SurveyDomain{{Key: "hope", Name: "Hope"}, {Key: "overall", Name: "Overall"}}
	if fmt.Sprint(q.Domains) != fmt.Sprint(wantDomains) {
		t.Errorf("domains = %v", q.Domains)
	}
	wantItems := []alongside.SurveyItem{
		{Key: "hope-future", Domain: "hope", Type: alongside.ItemAgree5, Text: "Staff believe things can get better for me."},
		{Key: "hope-asked", Domain: "hope", Type: alongside.ItemYesNo, Text: "Have staff asked about your hopes?"},
		{Key: "overall", Domain: "overall", Type: alongside.ItemScale10, Text: "How well are we doing? 0 means badly, 10 means very well."},
		{Key: "one-thing", Domain: "overall", Type: alongside.ItemText, Text: "What is one thing we could do better: anything at all?"},
	}
	if len(q.Items) != len(wantItems) {
		t.Fatalf("items = %+v", q.Items)
	}
	for i := range wantItems {
		if q.Items[i] != wantItems[i] {
			t.Errorf("item %d = %+v, want %+v", i, q.Items[i], wantItems[i])
		}
	}

	// Keywords and types in capitals, no intro, extra spaces.
	body := strings.NewReplacer("intro: Some words before the questions.\n", "", "Domain", "DOMAIN", "agree5 hope-future", "AGREE5   hope-future", "name: Hope", "Name:Hope").
		Replace(strings.ReplaceAll(questionnaireFile, "domain:", "Domain:"))
	q, err = ParseQuestionnaire(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if q.Intro != "" || q.Domains[0].Name != "Hope" || q.Items[0].Type != alongside.ItemAgree5 {
		t.Errorf("questionnaire = %+v", q)
	}
}

// TestParseQuestionnaireProblems checks that each mistake is reported at its
// line with exactly the words an administrator sees, and that nothing comes
// back.
func TestParseQuestionnaireProblems(t *testing.T) {
	cases := []struct {
		name, edit string // edit: "old=>new" applied to questionnaireFile
		line       int
		want       string
	}{
		{"unknown header key", "title: A test survey=>titel: A test survey", 4,
			`unknown key "titel": the header has questionnaire, version, title, audience, intro and source; a domain has domain and name`},
		{"duplicate header", "source: Written for the tests.=>source: Written for the tests.\nversion: 3", 8,
			`"version" is given twice (first on line 3)`},
		{"missing header", "title: A test survey\n=>", 0,
			`the header has no "title" line: add one at the top, like "title: …"`},
		{"missing key", "questionnaire: test-survey\n=>", 0,
			`the header has no "questionnaire" line: add one at the top, like "questionnaire: …"`},
		{"header after a domain", "name: Hope\n=>name: Hope\naudience: staff\n", 11,
			`"audience" belongs in the header, before the first domain`},
		{"empty header value", "title: A test survey=>title:", 4,
			`"title" has nothing after the colon`},
		{"bad version", "version: 2=>version: two", 3,
			`the version must be a whole number of 1 or more, not "two"`},
		{"zero version", "version: 2=>version: 0", 3,
			`the version must be a whole number of 1 or more, not "0"`},
		{"unknown audience", "audience: people=>audience: patients", 5,
			`unknown audience "patients": write staff, people or carers`},
		{"bad questionnaire key", "questionnaire: test-survey=>questionnaire: Test Survey", 2,
			`the questionnaire key "Test Survey" must be lower-case letters, digits and hyphens, at most 40 characters, like "staff-knowledge"`},
		{"long title", "title: A test survey=>title: " + strings.Repeat("t", MaxSurveyTitle+1), 4,
			fmt.Sprintf("the title is %d characters long; the most is %d", MaxSurveyTitle+1, MaxSurveyTitle)},
		{"long intro", "intro: Some=>intro: " + strings.Repeat("i", MaxSurveyIntro), 6,
			fmt.Sprintf("the intro is %d characters long; the most is %d", MaxSurveyIntro+len(" words before the questions."), MaxSurveyIntro)},
		{"bad domain key", "domain: hope=>domain: Hope!", 9,
			`the domain key "Hope!" must be lower-case letters, digits and hyphens, at most 40 characters, like "goal-setting"`},
		{"empty domain key", "domain: hope=>domain:", 9,
			`"domain" has nothing after the colon: give the domain a key, like "domain: hope"`},
		{"duplicate domain key", "domain: overall=>domain: hope", 14,
			`the domain key "hope" is used twice (first on line 9)`},
		{"domain without name", "name: Overall\n=>", 14,
			`domain "overall" has no name: add a line "name: …" after it`},
		{"second name", "name: Overall=>name: Overall\nname: Again", 16,
			`domain "overall" has a second "name" (the first is on line 15)`},
		{"empty name", "name: Hope=>name:", 10,
			`"name" has nothing after the colon: write the domain's name, like "name: Hope"`},
		{"long name", "name: Hope=>name: " + strings.Repeat("n", MaxSurveyDomainName+1), 10,
			fmt.Sprintf(`the name of domain "hope" is %d characters long; the most is %d`, MaxSurveyDomainName+1, MaxSurveyDomainName)},
		{"name before a domain", "source: Written for the tests.=>source: Written for the tests.\nname: Early", 8,
			`"name" must come after a "domain:" line`},
		{"domain with no items", "domain: overall=>domain: empty\nname: Empty\n\ndomain: overall", 14,
			`domain "empty" has no items: add at least one after it, like "agree5 my-key: the question"`},
		{"item before any domain", "source: Written for the tests.=>source: Written for the tests.\nagree5 early: Too early.", 8,
			`item "early" must come after a "domain:" line`},
		{"unknown item type", "yesno hope-asked=>yes-no hope-asked", 12,
			`unknown item type "yes-no": an item line starts with agree5, yesno, scale10 or text, then the item's key`},
		{"bad item key", "agree5 hope-future=>agree5 Hope_Future", 11,
			`the item key "Hope_Future" must be lower-case letters, digits and hyphens, at most 40 characters, like "hope-future"`},
		{"long item key", "agree5 hope-future=>agree5 " + strings.Repeat("k", 41), 11,
			`the item key "` + strings.Repeat("k", 41) + `" must be lower-case letters, digits and hyphens, at most 40 characters, like "hope-future"`},
		{"duplicate item key", "text one-thing=>text hope-asked", 17,
			`the item key "hope-asked" is used twice (first on line 12)`},
		{"item without key", "yesno hope-asked:=>yesno:", 12,
			`the item has no key: write the type, then a key, then a colon, like "yesno my-key: the question"`},
		{"item without colon", "yesno hope-asked: Have=>yesno hope-asked Have", 12,
			`an item needs a colon after its key, like "yesno my-key: the question"`},
		{"empty item text", "yesno hope-asked: Have staff asked about your hopes?=>yesno hope-asked:", 12,
			`item "hope-asked" has no text: write the question after the colon`},
		{"long item text", "Staff believe things can get better for me.=>" + strings.Repeat("x", MaxSurveyItemText+1), 11,
			fmt.Sprintf(`the text of item "hope-future" is %d characters long; the most is %d`, MaxSurveyItemText+1, MaxSurveyItemText)},
		{"prose line", "name: Hope\n=>name: Hope\nPlease answer every question\n", 11,
			`expected "key: value", like "title: …", or an item, like "agree5 my-key: the question"`},
		{"prose with a colon", "name: Hope\n=>name: Hope\nPlease do note: answer everything\n", 11,
			`expected "key: value", like "title: …", or an item, like "agree5 my-key: the question"`},
		{"not UTF-8", "Hope\n=>H\xffpe\n", 10, "this line is not valid UTF-8 text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old, new, _ := strings.Cut(tc.edit, "=>")
			if !strings.Contains(questionnaireFile, old) {
				t.Fatalf("test edit %q does not apply", old)
			}
			q, err := ParseQuestionnaire(strings.NewReader(strings.Replace(questionnaireFile, old, new, 1)))
			if q != nil {
				t.Fatal("a questionnaire came back from a file with a mistake")
			}
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("err = %v", err)
			}
			for _, p := range probs {
				if p.Line == tc.line && p.Message == tc.want {
					return
				}
			}
			t.Fatalf("no problem at line %d saying %q; got:\n%s", tc.line, tc.want, strings.ReplaceAll(err.Error(), "; ", "\n"))
		})
	}
}

// TestParseQuestionnaireReportsEveryProblem checks that one pass finds the
// mistakes on several lines and the ones about the whole file, and nothing
// more.
func TestParseQuestionnaireReportsEveryProblem(t *testing.T) {
	body := "questionnaire: x\n" + // line 1
		"version: 1.5\n" + // line 2: bad version
		"audience: everyone\n" + // line 3: unknown audience
		"agree5 early: Before a domain.\n" + // line 4: item before a domain
		"domain: a\n" + // line 5: no name
		"likert a-1: Wrong type.\n" + // line 6: unknown type (yet counted as no item of "a")
		"domain: b\n" + // line 7
		"name: B\n" + // line 8: no items in "b"
		"domain: c\n" + // line 9
		"name: C\n" + // line 10
		"agree5 c-1: Fine.\n" + // line 11
		"yesno c-1: Again?\n" // line 12: duplicate item key
	_, err := ParseQuestionnaire(strings.NewReader(body))
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		`line 2: the version must be a whole number of 1 or more, not "1.5"`,
		`line 3: unknown audience "everyone": write staff, people or carers`,
		`line 4: item "early" must come after a "domain:" line`,
		`line 6: unknown item type "likert": an item line starts with agree5, yesno, scale10 or text, then the item's key`,
		`line 5: domain "a" has no name: add a line "name: …" after it`,
		`line 5: domain "a" has no items: add at least one after it, like "agree5 my-key: the question"`,
		`line 7: domain "b" has no items: add at least one after it, like "agree5 my-key: the question"`,
		`line 12: the item key "c-1" is used twice (first on line 11)`,
		`the header has no "title" line: add one at the top, like "title: …"`,
		`the header has no "source" line: add one at the top, like "source: …"`,
	}
	if got := strings.Split(err.Error(), "; "); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	for _, body := range []string{"", "# only a comment\n\n", "questionnaire: x\nversion: 1\ntitle: T\naudience: staff\nsource: S\n"} {
		_, err := ParseQuestionnaire(strings.NewReader(body))
		if err == nil || !strings.Contains(err.Error(), "the questionnaire has no items: add a \"domain:\" line, a \"name:\" line and items under it") {
			t.Errorf("%q: err = %v", body, err)
		}
	}
}

func TestParseQuestionnaireLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString(questionnaireFile) // 17 lines, 4 items
	for i := 5; i <= MaxSurveyItems+1; i++ {
		fmt.Fprintf(&b, "agree5 extra-%d: Another statement %d.\n", i, i)
	}
	_, err := ParseQuestionnaire(strings.NewReader(b.String()))
	if want := fmt.Sprintf("line %d: a questionnaire may have at most %d items", 17+MaxSurveyItems+1-4, MaxSurveyItems); err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}

	b.Reset()
	b.WriteString(questionnaireFile) // 2 domains
	line := 17
	for i := 3; i <= MaxSurveyDomains+1; i++ {
		fmt.Fprintf(&b, "domain: d%d\nname: D%d\nyesno d%d: Question %d?\n", i, i, i, i)
		line += 3
	}
	_, err = ParseQuestionnaire(strings.NewReader(b.String()))
	if want := fmt.Sprintf("line %d: a questionnaire may have at most %d domains", line-2, MaxSurveyDomains); err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}

	body := questionnaireFile + strings.Repeat("# padding padding padding padding padding padding\n", MaxFileBytes/50+1)
	if _, err := ParseQuestionnaire(strings.NewReader(body)); err == nil || !strings.Contains(err.Error(), "the file is larger than 1 MB") {
		t.Errorf("a big file: err = %v", err)
	}
}

func FuzzParseQuestionnaire(f *testing.F) {
	f.Add(questionnaireFile)
	for _, s := range defaultQuestionnaireFiles {
		f.Add(s)
	}
	f.Add("")
	f.Add("domain: a\nname: A\nagree5 x:\nagree5: y\ntext x: z\n")
	f.Add("questionnaire: q\nversion: 99999999999999999999\nNAME: n\n:\n: :\n")
	f.Add("yesno a b c: d\n\xff\n")
	f.Fuzz(func(t *testing.T, body string) {
		q, err := ParseQuestionnaire(strings.NewReader(body))
		if err != nil {
			if q != nil {
				t.Fatal("a questionnaire and an error together")
			}
			var probs Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("err is not Problems: %v", err)
			}
			return
		}
		if q == nil {
			t.Fatal("neither a questionnaire nor an error")
		}
		if !keyPattern.MatchString(q.Key) || q.Version < 1 || q.Title == "" || q.Source == "" {
			t.Fatalf("accepted an incomplete header: %+v", q)
		}
		if q.Audience != alongside.AudienceStaff && q.Audience != alongside.AudiencePeople && q.Audience != alongside.AudienceCarers {
			t.Fatalf("accepted audience %q", q.Audience)
		}
		if len(q.Items) == 0 || len(q.Items) > MaxSurveyItems || len(q.Domains) == 0 || len(q.Domains) > MaxSurveyDomains {
			t.Fatalf("accepted %d items in %d domains", len(q.Items), len(q.Domains))
		}
		seen := map[string]bool{}
		for _, d := range q.Domains {
			if !keyPattern.MatchString(d.Key) || d.Name == "" || seen["domain "+d.Key] || len(q.InDomain(d.Key)) == 0 {
				t.Fatalf("accepted domain %+v", d)
			}
			seen["domain "+d.Key] = true
		}
		for _, it := range q.Items {
			if !keyPattern.MatchString(it.Key) || seen[it.Key] || !seen["domain "+it.Domain] || !isItemType(string(it.Type)) || it.Text == "" {
				t.Fatalf("accepted item %+v", it)
			}
			seen[it.Key] = true
		}
	})
}
