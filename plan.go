package alongside

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A recovery plan belongs to the person (PRODUCT.md §4): their strengths,
// hopes and goals in their own words, written with workers who are "on tap,
// not on top". It is made of sections, each a few named texts. Every save
// keeps a version; the person signs off a version of the whole plan.

// PlanField is one text of a section.
type PlanField struct {
	Key      string
	Label    string // in the person's voice: "What keeps me well"
	Hint     string // an invitation, not an instruction
	Kind     string // "" for free text, "date" (YYYY-MM-DD), "choice"
	Choices  []Choice
	Required bool
}

// Choice is one answer a "choice" field offers.
type Choice struct{ Value, Label string }

// ChoiceLabel is the label of a choice field's value.
func (f PlanField) ChoiceLabel(v string) string {
	for _, c := range f.Choices {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

// PlanSection is one part of a plan.
type PlanSection struct {
	Key    string
	Title  string
	Intro  string // shown above the section, inviting the person's voice first
	Fields []PlanField
	// Statutory sections hold needs a service must meet for legal or
	// statutory reasons: written by practitioners, labelled as such, and
	// kept apart from the person's own needs.
	Statutory bool
	// Others and OthersIntro are the title and intro as anyone but the
	// person reads them, with %s for the person's name ("Kirsty’s crisis
	// plan"): a supporter or practitioner is never shown "My …".
	Others      string
	OthersIntro string
}

// Whose is how a page names whose something is: "My" to the person
// themselves (owner ""), "Kirsty’s" to anyone else (owner "Kirsty").
func Whose(owner string) string {
	if owner == "" {
		return "My"
	}
	return owner + "’s"
}

// TitleFor is the section's title as read by the person (owner "") or by
// someone else (owner is the person's name).
func (s PlanSection) TitleFor(owner string) string {
	if owner == "" || s.Others == "" {
		return s.Title
	}
	if strings.Contains(s.Others, "%s") {
		return fmt.Sprintf(s.Others, owner)
	}
	return s.Others
}

// IntroFor is the section's intro as read by the person (owner "") or by
// someone else: the person's intro speaks to them, so another reader gets
// the third-person one, or none.
func (s PlanSection) IntroFor(owner string) string {
	if owner == "" {
		return s.Intro
	}
	if strings.Contains(s.OthersIntro, "%s") {
		return fmt.Sprintf(s.OthersIntro, owner)
	}
	return s.OthersIntro
}

// Field returns the section's field with the key, and whether it has one.
func (s PlanSection) Field(key string) (PlanField, bool) {
	for _, f := range s.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return PlanField{}, false
}

// The section keys other code names.
const (
	SectionCrisis         = "crisis"
	SectionStatutoryNeeds = "statutory-needs"
	// SectionGoals stands for every goal and small step: they are shared
	// with supporters together, and listed together on the plan.
	SectionGoals = "goals"
)

// Goals and small steps are sections too, each its own: "goal-3" is the
// person's third goal, "goal-3.2" its second small step. So they are
// versioned, merged on a clash, compared and shared as every section is.
var goalStatuses = []Choice{
	{"thinking", "Thinking about it"}, {"working", "Working on it"}, {"done", "Done"}, {"changed", "Changed my mind"},
}

func goalFields(step bool) []PlanField {
	title, about := "My goal", "What it would mean to me"
	if step {
		title, about = "The small step", "How I will go about it, and who can help"
	}
	return []PlanField{
		{Key: "title", Label: title, Required: true},
		{Key: "about", Label: about},
		{Key: "target", Label: "By when (if you want a date)", Kind: "date"},
		{Key: "status", Label: "Where it is", Kind: "choice", Choices: goalStatuses},
		{Key: "review", Label: "When we will look at it together", Kind: "date"},
	}
}

// GoalKey is the key of goal n, or of its small step m when m > 0.
func GoalKey(n, m int) string {
	if m > 0 {
		return fmt.Sprintf("goal-%d.%d", n, m)
	}
	return fmt.Sprintf("goal-%d", n)
}

// ParseGoalKey returns the goal and step numbers of a goal key (step 0 for
// a goal), and whether key is one.
func ParseGoalKey(key string) (goal, step int, ok bool) {
	rest, found := strings.CutPrefix(key, "goal-")
	if !found {
		return 0, 0, false
	}
	g, st, hasStep := strings.Cut(rest, ".")
	var err error
	if goal, err = strconv.Atoi(g); err != nil || goal < 1 || goal > 9999 || strconv.Itoa(goal) != g {
		return 0, 0, false
	}
	if hasStep {
		if step, err = strconv.Atoi(st); err != nil || step < 1 || step > 9999 || strconv.Itoa(step) != st {
			return 0, 0, false
		}
	}
	return goal, step, true
}

// SectionReviews stands for every review of the plan, as SectionGoals
// does for goals.
const SectionReviews = "reviews"

// SectionAdvanceStatement is the person's advance statement.
const SectionAdvanceStatement = "advance-statement"

// The advance statement keeps what the Act asks (the person's wishes,
// signed and dated by them, witnessed by someone of a prescribed class who
// certifies their capacity) and what the health board needs to file it and
// tell the Mental Welfare Commission (who the person is, where it is held,
// when it was sent). Withdrawal is recorded the same way as making it.
var advanceStatementFields = []PlanField{
	{Key: "wanted", Label: "Treatments I want", Hint: "Medicines, therapies or ways of caring for you that have helped."},
	{Key: "not-wanted", Label: "Treatments I do not want", Hint: "And why, if you want to say."},
	{Key: "other", Label: "Anything else I want known", Hint: "For example who to tell, or what helps you feel safe."},
	{Key: "full-name", Label: "My full name, as on my health records"},
	{Key: "address", Label: "My address"},
	{Key: "born", Label: "My date of birth", Kind: "date"},
	{Key: "signed-on", Label: "The date I signed it", Kind: "date"},
	{Key: "witness-name", Label: "Witness: name"},
	{Key: "witness-address", Label: "Witness: address"},
	{Key: "witness-class", Label: "Witness: profession or class", Hint: "For example doctor, nurse, social worker, solicitor, or another person the regulations allow."},
	{Key: "witness-certifies", Label: "Witness: certificate", Kind: "choice", Choices: []Choice{
		{"", "Not yet"}, {"yes", "The witness certifies that, in their opinion, I had the capacity to make this statement when I signed it"}}},
	{Key: "review-on", Label: "When I want to look at it again", Kind: "date"},
	{Key: "board", Label: "Health board that holds it"},
	{Key: "sent-on", Label: "Date a copy was sent to the health board", Kind: "date", Hint: "The board keeps it with your records and tells the Mental Welfare Commission."},
	{Key: "withdrawn-on", Label: "Withdrawn: the date I signed the withdrawal", Kind: "date", Hint: "Only if you take the statement back. It is withdrawn the same way it was made."},
	{Key: "withdrawal-witness-name", Label: "Withdrawal witness: name"},
	{Key: "withdrawal-witness-address", Label: "Withdrawal witness: address"},
	{Key: "withdrawal-witness-class", Label: "Withdrawal witness: profession or class"},
	{Key: "withdrawal-witness-certifies", Label: "Withdrawal witness: certificate", Kind: "choice", Choices: []Choice{
		{"", "Not yet"}, {"yes", "The witness certifies that, in their opinion, I had the capacity to withdraw the statement when I signed the withdrawal"}}},
}

// advanceStatementProblems adds what a signed or withdrawn statement still
// lacks: signing is what makes it count, so it needs its witness.
func advanceStatementProblems(t SectionText, f map[string]string) {
	need := func(key, msg string) {
		if strings.TrimSpace(t[key]) == "" && f[key] == "" {
			f[key] = msg
		}
	}
	if t["signed-on"] != "" {
		if strings.TrimSpace(t["wanted"]+t["not-wanted"]+t["other"]) == "" {
			f["wanted"] = "Write what you want, or do not want, before recording the signing."
		}
		need("full-name", "The health board needs your full name to file the statement.")
		need("address", "The health board needs your address to file the statement.")
		need("born", "The health board needs your date of birth to file the statement.")
		need("witness-name", "A signed statement needs its witness’s name.")
		need("witness-address", "A signed statement needs its witness’s address.")
		need("witness-class", "A signed statement needs its witness’s profession or class.")
		if t["witness-certifies"] != "yes" {
			f["witness-certifies"] = "The statement counts only once the witness certifies you had capacity to make it."
		}
	}
	if t["withdrawn-on"] != "" {
		if t["signed-on"] == "" {
			f["withdrawn-on"] = "Only a signed statement can be withdrawn."
		} else if t["withdrawn-on"] < t["signed-on"] {
			f["withdrawn-on"] = "The withdrawal cannot be dated before the statement was signed."
		}
		need("withdrawal-witness-name", "A withdrawal needs its witness’s name.")
		need("withdrawal-witness-address", "A withdrawal needs its witness’s address.")
		need("withdrawal-witness-class", "A withdrawal needs its witness’s profession or class.")
		if t["withdrawal-witness-certifies"] != "yes" {
			f["withdrawal-witness-certifies"] = "The withdrawal counts only once the witness certifies you had capacity to make it."
		}
	}
}

// A review of the plan is a section of its own too: "review-2" is the
// second. The person's words sit beside the worker's.
var reviewFields = []PlanField{
	{Key: "held", Label: "When we met", Kind: "date", Required: true},
	{Key: "person", Label: "In my words: how things are going", Hint: "What has gone well, what has been hard, what you want next."},
	{Key: "worker", Label: "The worker’s words", Hint: "Written by the worker, beside the person’s own."},
	{Key: "next", Label: "What we agreed to do next"},
	{Key: "next-on", Label: "When we will next look at the plan together", Kind: "date"},
}

// ReviewKey is the key of review n.
func ReviewKey(n int) string { return fmt.Sprintf("review-%d", n) }

// ParseReviewKey returns the number of a review key, and whether key is one.
func ParseReviewKey(key string) (int, bool) {
	rest, found := strings.CutPrefix(key, "review-")
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n > 9999 || strconv.Itoa(n) != rest {
		return 0, false
	}
	return n, true
}

// ShareKey is the key under which a section is shared with supporters:
// its own, or SectionGoals for a goal or small step.
func (s PlanSection) ShareKey() string {
	if _, _, ok := ParseGoalKey(s.Key); ok {
		return SectionGoals
	}
	if _, ok := ParseReviewKey(s.Key); ok {
		return SectionReviews
	}
	return s.Key
}

// PlanSections are the sections of every plan, in the order the plan shows
// them. Goals, reviews and progress have their own records.
var PlanSections = []PlanSection{
	{Key: "about-me", Title: "About me", Others: "About %s", OthersIntro: "%s, in their own words.", Intro: "Start wherever you like. This is your plan, in your words.", Fields: []PlanField{
		{Key: "about", Label: "About me", Hint: "What you would like people who support you to know about you."},
		{Key: "support", Label: "How I like to be supported", Hint: "What helps, what does not, and how you like people to talk with you."},
	}},
	{Key: "strengths", Title: "My strengths", Others: "%s’s strengths", OthersIntro: "What %s is good at, has got through, and what others value in them.", Intro: "What you are good at, what you have got through, what others value in you.", Fields: []PlanField{
		{Key: "strengths", Label: "My strengths", Hint: "Skills, qualities, interests, people and places that help."},
	}},
	{Key: "hopes", Title: "Hopes, dreams and aspirations", Others: "%s’s hopes, dreams and aspirations", OthersIntro: "What %s hopes for, big or small.", Intro: "What you hope for, big or small.", Fields: []PlanField{
		{Key: "hopes", Label: "What I hope for", Hint: "Things you would like to do, be or have."},
	}},
	{Key: "my-needs", Title: "My needs", Others: "%s’s needs", OthersIntro: "What %s needs, as they see it.", Intro: "What you need, as you see it.", Fields: []PlanField{
		{Key: "needs", Label: "What I need", Hint: "For example somewhere safe to live, money, company, help with sleep."},
	}},
	{Key: SectionStatutoryNeeds, Title: "Needs the service must meet", Statutory: true, OthersIntro: "Needs the service must meet because of the law or its duties, kept apart from %s’s own needs.",
		Intro: "Written by the people who work with you: needs the service must meet because of the law or its duties. They sit apart from your own needs above.",
		Fields: []PlanField{
			{Key: "needs", Label: "Needs the service must meet", Hint: "Each need, in plain words."},
			{Key: "basis", Label: "Why the service must meet them", Hint: "The law, order or duty behind each need."},
		}},
	{Key: SectionGoals, Title: "Goals and small steps", Others: "%s’s goals and small steps", OthersIntro: "What %s wants to work towards, and the small steps that will get them there.", Intro: "What you want to work towards, and the small steps that will get you there. Each has its own page."},
	{Key: "staying-well", Title: "Staying well", Others: "%s’s staying well plan", OthersIntro: "What keeps %s well, and what helps when things start to get hard.", Intro: "What keeps you well, and what helps when things start to get hard.", Fields: []PlanField{
		{Key: "keeps-well", Label: "What keeps me well"},
		{Key: "daily", Label: "Things I do every day", Hint: "Small things count."},
		{Key: "triggers", Label: "Things that can upset me", Hint: "Situations, times of year, things people do or say."},
		{Key: "warning-signs", Label: "Early warning signs", Hint: "What you, or people close to you, notice first."},
		{Key: "what-helps", Label: "What helps when things get hard"},
	}},
	{Key: SectionCrisis, Title: "My crisis plan", Others: "%s’s crisis plan", OthersIntro: "Agreed together, so that everyone knows what %s wants if they are in crisis.", Intro: "Agreed together, so that everyone knows what you want if you are in crisis.", Fields: []PlanField{
		{Key: "signs", Label: "How people can tell I am in crisis"},
		{Key: "helps", Label: "What helps me then"},
		{Key: "does-not-help", Label: "What does not help"},
		{Key: "contacts", Label: "Who to contact", Hint: "Names and numbers of people and services, in the order you want them called."},
		{Key: "practical", Label: "Practical things to take care of", Hint: "Children, pets, bills, work, your home."},
		{Key: "agreed", Label: "Who agreed this plan, and when"},
	}},
	{Key: "after-crisis", Title: "After a crisis", Others: "%s’s plan for after a crisis", OthersIntro: "Looking back once things are calmer.", Intro: "Looking back once things are calmer.", Fields: []PlanField{
		{Key: "helped", Label: "What helped"},
		{Key: "change", Label: "What I would like to be different next time"},
		{Key: "getting-back", Label: "What helps me get back to my everyday life"},
	}},
	{Key: "risk-taking", Title: "Positive risk-taking", Others: "%s’s positive risk-taking", OthersIntro: "A choice %s wants to make, thought through together so that they can take it on.", Intro: "A choice you want to make, thought through together so that you can take it on.", Fields: []PlanField{
		{Key: "choice", Label: "The choice I want to make"},
		{Key: "benefits", Label: "What I could gain"},
		{Key: "risks", Label: "What could go wrong"},
		{Key: "safeguards", Label: "What we agreed to keep it safe enough"},
		{Key: "agreed-by", Label: "Who agreed, and when"},
	}},
	{Key: "people", Title: "People in my life", Others: "People in %s’s life", OthersIntro: "The people who matter to %s, and how they help.", Intro: "The people who matter to you, and how they help.", Fields: []PlanField{
		{Key: "people", Label: "People in my life"},
	}},
	{Key: SectionProgress, Title: "My progress", Others: "%s’s progress", OthersIntro: "The parts of life that matter to %s, rated by them from 0 to 10.", Intro: "The parts of life that matter to you, rated from 0 to 10 whenever you like, so you can see how far you have come."},
	{Key: SectionAdvanceStatement, Title: "My advance statement", Others: "%s’s advance statement", OthersIntro: "What treatment %s would and would not want if they become unwell and cannot say so at the time (Mental Health (Care and Treatment) (Scotland) Act 2003, section 275).", Fields: advanceStatementFields,
		Intro: "What treatment you would and would not want if you become unwell and cannot say so at the time (Mental Health (Care and Treatment) (Scotland) Act 2003, section 275). It counts once you sign it in front of a witness who confirms you were able to make it. A tribunal and anyone treating you must take it into account, and give reasons in writing if they go against it."},
	{Key: SectionReviews, Title: "Reviews", Others: "Reviews of %s’s plan", OthersIntro: "Each time %s and the people who work with them look at the plan together.", Intro: "Each time you look at the plan together: your words beside the worker’s."},
}

// PlanSectionByKey returns the section with the key, and whether there is one.
func PlanSectionByKey(key string) (PlanSection, bool) {
	for _, s := range PlanSections {
		if s.Key == key {
			return s, true
		}
	}
	if n, ok := ParseReviewKey(key); ok {
		return PlanSection{Key: key, Title: fmt.Sprintf("Review %d", n), Fields: reviewFields,
			Intro:       "Looking at the plan together: your words first, then the worker’s, side by side.",
			Others:      fmt.Sprintf("Review %d of %%s’s plan", n),
			OthersIntro: "Looking at the plan together: %s’s words first, then the worker’s, side by side."}, true
	}
	if n, m, ok := ParseGoalKey(key); ok {
		sec := PlanSection{Key: key, Title: fmt.Sprintf("Goal %d", n), Fields: goalFields(m > 0),
			Intro:  "A goal of your own, in your words. Small steps towards it each have their own page.",
			Others: fmt.Sprintf("%%s’s goal %d", n), OthersIntro: "A goal of %s’s own, in their words."}
		if m > 0 {
			sec.Title = fmt.Sprintf("Goal %d, small step %d", n, m)
			sec.Intro = "One small step towards your goal."
			sec.Others, sec.OthersIntro = fmt.Sprintf("%%s’s goal %d, small step %d", n, m), "One small step towards %s’s goal."
		}
		return sec, true
	}
	return PlanSection{}, false
}

// Writable reports whether the section holds texts of its own (the goals
// section only lists the goals, each of which is a section).
func (s PlanSection) Writable() bool { return len(s.Fields) > 0 }

// MaxPlanText is the longest text of one field.
const MaxPlanText = 10000

// SectionText is what one save of a section holds: field key → text.
type SectionText map[string]string

// Validate checks texts against the section: known fields only, none too
// long. Errors are keyed by field.
func (t SectionText) Validate(s PlanSection) error {
	f := map[string]string{}
	for key, v := range t {
		field, ok := s.Field(key)
		if !ok {
			return Errorf(EINVALID, "This section has no part called %q. Reload the page and try again.", key)
		}
		switch {
		case TextProblem(v) != "":
			f[key] = Colon(field.Label) + " " + TextProblem(v)
		case utf8.RuneCountInString(v) > MaxPlanText:
			f[key] = fmt.Sprintf("%s please keep this to %d characters or fewer.", Colon(field.Label), MaxPlanText)
		case field.Kind == "date" && v != "":
			if _, ok := ParseDay(v); !ok {
				f[key] = field.Label + ": please give a date, such as 31 March 2027."
			} else {
				t[key] = normalDay(v) // stored as "2006-01-02", however typed
			}
		case field.Kind == "choice" && v != "" && field.ChoiceLabel(v) == v:
			f[key] = field.Label + ": please choose one of the answers."
		}
	}
	for _, field := range s.Fields {
		if field.Required && strings.TrimSpace(t[field.Key]) == "" && f[field.Key] == "" {
			f[field.Key] = field.Label + ": please write something here."
		}
	}
	if !s.Writable() {
		return Errorf(EINVALID, "This part of the plan has nothing to write in itself.")
	}
	if s.Key == SectionAdvanceStatement {
		advanceStatementProblems(t, f)
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// Empty reports whether nothing is written.
func (t SectionText) Empty() bool {
	for _, v := range t {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// SectionVersion is one saved version of a section.
type SectionVersion struct {
	PersonID    int64
	Section     string
	Version     int // 1, 2, … within the section
	Text        SectionText
	ChangedBy   int64
	ChangedName string
	ChangedAt   time.Time
}

// Plan is a person's plan as it stands: the latest version of each section
// written so far, and which version of the whole the person signed off.
type Plan struct {
	PersonID      int64
	Version       int // how many saves the plan has had: its version
	Sections      map[string]SectionVersion
	SignedVersion int // 0 if never signed off
	SignedAt      time.Time
}

// Orphan reports whether key is a small step of a goal not written: it
// would have nowhere to show, so it cannot be written either.
func (p *Plan) Orphan(key string) bool {
	g, st, ok := ParseGoalKey(key)
	if !ok || st == 0 {
		return false
	}
	_, written := p.Sections[GoalKey(g, 0)]
	return !written
}

// ChangedSinceSignOff is how many saves came after the last sign-off.
func (p *Plan) ChangedSinceSignOff() int { return p.Version - p.SignedVersion }

// SupporterView is a supporter's own view on a section of the person's
// plan, added where the person allows it.
type SupporterView struct {
	ID            int64
	PersonID      int64
	Section       string
	SupporterID   int64
	SupporterName string
	Text          string
	WrittenAt     time.Time
}

// MaxSupporterView is the longest view a supporter may add at once.
const MaxSupporterView = 4000

// PlanSharing is what the person lets each supporter see: supporter link
// id → section key → whether they may also add their own view.
type PlanSharing map[int64]map[string]bool

// BreakGlass is a practitioner opening the crisis plan of a person of their
// service they are not allocated to, in an emergency, with a reason. It is
// shown to the person and to the service manager.
type BreakGlass struct {
	ID               int64
	PersonID         int64
	PractitionerID   int64
	ServiceID        int64
	Reason           string
	OpenedAt         time.Time
	ExpiresAt        time.Time
	PersonName       string
	PractitionerName string
}

// BreakGlassFor is how long an emergency opening lets the practitioner read
// the crisis plan: long enough for one emergency, short enough that it is
// not standing access.
const BreakGlassFor = 12 * time.Hour

// GoalDue is a goal or small step whose date to look at it together has
// come, or comes within the week, and that is not done or dropped; or the
// plan's own next review, or the advance statement's.
type GoalDue struct {
	Key    string
	Title  string
	Review time.Time
}

// ReviewsDue returns the plan's goals and steps due a look together within
// the next seven days, or already past their date, earliest first.
func (p *Plan) ReviewsDue(today time.Time) []GoalDue {
	horizon := today.AddDate(0, 0, 7)
	var out []GoalDue
	// The plan's own next review is the one the latest review set.
	latest := 0
	for key := range p.Sections {
		if n, ok := ParseReviewKey(key); ok {
			latest = max(latest, n)
		}
	}
	if v, ok := p.Sections[ReviewKey(latest)]; ok {
		if at, err := time.Parse("2006-01-02", v.Text["next-on"]); err == nil && !at.After(horizon) {
			out = append(out, GoalDue{Key: ReviewKey(latest), Title: "A review of the whole plan", Review: at})
		}
	}
	if v, ok := p.Sections[SectionAdvanceStatement]; ok && v.Text["withdrawn-on"] == "" {
		if at, err := time.Parse("2006-01-02", v.Text["review-on"]); err == nil && !at.After(horizon) {
			out = append(out, GoalDue{Key: SectionAdvanceStatement, Title: "The advance statement, due for review", Review: at})
		}
	}
	for key, v := range p.Sections {
		if _, _, ok := ParseGoalKey(key); !ok {
			continue
		}
		if st := v.Text["status"]; st == "done" || st == "changed" {
			continue
		}
		at, err := time.Parse("2006-01-02", v.Text["review"])
		if err != nil || at.After(horizon) {
			continue
		}
		out = append(out, GoalDue{Key: key, Title: v.Text["title"], Review: at})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Review.Before(out[j].Review) })
	return out
}
