package alongside_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
)

func practice() *alongside.PracticeContent {
	return &alongside.PracticeContent{Version: "1",
		Framework: []alongside.PracticeItem{
			{Kind: alongside.KindKnowledge, Key: "k-hope", Text: "Knows hope matters"},
			{Kind: alongside.KindSkills, Key: "s-goals", Text: "Helps people set goals"},
			{Kind: alongside.KindValues, Key: "v-choice", Text: "Respects choice"},
		},
		Tips:       []alongside.PracticeItem{{Kind: alongside.KindTip, Key: "tip-listen", Text: "Did I listen?"}},
		Activities: []alongside.PracticeItem{{Kind: alongside.KindActivity, Key: "shadowing", Text: "Shadowing"}},
	}
}

// A reflection's note is about the practitioner's own practice: anything
// that could point to the person seen is refused with a reason.
func TestReflectionNoteProblem(t *testing.T) {
	for _, tc := range []struct {
		note    string
		refused bool
	}{
		{"", false},
		{"I talked too much and should have listened more.", false},
		{"Went well. Next time I will ask about their hopes first.", false},
		{"Used the Ten Top Tips before the session on 3/4.", false}, // no name
		{"Saw Jo Bloggs on 3/4, it went well", true},
		{"Mrs Patel, 12th March: I rushed the end", true},
		{"Met Sam Reid March 3", true},
		{"Her CHI is 0101901234", true},         // a CHI number (valid date)
		{"NHS 943 476 5919 in the notes", true}, // valid NHS check digit
		{"DOB 12/05/1980", true},
		{"We met at Birchwood House and talked about work", false}, // a name-like place, no date
	} {
		got := alongside.ReflectionNoteProblem(tc.note)
		if (got != "") != tc.refused {
			t.Errorf("%q: refused %v (%q), want %v", tc.note, got != "", got, tc.refused)
		}
	}
}

func TestSelfAssessmentNeedsEveryItemRated(t *testing.T) {
	c := practice()
	a := &alongside.SelfAssessment{Ratings: map[string]alongside.ItemRating{"k-hope": {Rating: 2, Need: true}, "s-goals": {Rating: 4}}}
	err := a.Validate(c)
	if fe := alongside.FieldErrors(err); fe["v-choice"] == "" || fe["k-hope"] != "" {
		t.Fatalf("unrated item not named: %v", err)
	}
	a.Ratings["v-choice"] = alongside.ItemRating{Rating: 5}
	if fe := alongside.FieldErrors(a.Validate(c)); fe["v-choice"] == "" {
		t.Fatal("a rating off the scale was taken")
	}
	a.Ratings["v-choice"] = alongside.ItemRating{Rating: 3}
	if err := a.Validate(c); err != nil {
		t.Fatal(err)
	}
	if m := a.GroupMean(c, alongside.KindSkills); m != 4 {
		t.Fatalf("skills mean %v, want 4", m)
	}
	a.Ratings["gone"] = alongside.ItemRating{Rating: 1}
	if alongside.ErrorCode(a.Validate(c)) != alongside.EINVALID {
		t.Fatal("an item not in the framework was taken")
	}
}

func TestDevelopmentObjectiveValidate(t *testing.T) {
	c := practice()
	o := &alongside.DevelopmentObjective{Status: "planned", ActivityStatus: "planned", TargetDate: "next spring",
		Links: []string{"https://example.org/course", "", "javascript:alert(1)"}, ActivityKind: "k-hope", NeedItem: "tip-listen"}
	fe := alongside.FieldErrors(o.Validate(c))
	for _, k := range []string{"objective", "target_date", "links", "activity_kind", "need_item"} {
		if fe[k] == "" {
			t.Errorf("no message for %s: %v", k, fe)
		}
	}
	o = &alongside.DevelopmentObjective{NeedItem: "s-goals", Objective: " Use goal setting in every review ", Status: "under-way",
		ActivityKind: "shadowing", Activity: "Shadow a peer worker", ActivityStatus: "booked", TargetDate: "2027-03-31",
		Links: []string{" https://example.org/notes ", ""}}
	if err := o.Validate(c); err != nil {
		t.Fatal(err)
	}
	if o.Objective != "Use goal setting in every review" || len(o.Links) != 1 || o.Links[0] != "https://example.org/notes" {
		t.Fatalf("not tidied: %q %q", o.Objective, o.Links)
	}
}

func TestReflectionValidate(t *testing.T) {
	c := practice()
	r := &alongside.Reflection{Answers: map[string]string{}}
	if fe := alongside.FieldErrors(r.Validate(c)); fe["answers"] == "" {
		t.Fatal("a reflection with no answers was taken")
	}
	r.Answers["tip-listen"] = "maybe"
	if alongside.ErrorCode(r.Validate(c)) != alongside.EINVALID {
		t.Fatal("an answer off the scale was taken")
	}
	r.Answers["tip-listen"] = "partly"
	r.Note = "Saw Jo Bloggs on 3/4"
	if fe := alongside.FieldErrors(r.Validate(c)); fe["note"] == "" {
		t.Fatal("a name and date were taken")
	}
	r.Note = "I could have asked more about their hopes."
	if err := r.Validate(c); err != nil {
		t.Fatal(err)
	}
}
