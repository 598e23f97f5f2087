package alongside

import (
	"fmt"
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
	Key   string
	Label string // in the person's voice: "What keeps me well"
	Hint  string // an invitation, not an instruction
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
)

// PlanSections are the sections of every plan, in the order the plan shows
// them. Goals, reviews and progress have their own records.
var PlanSections = []PlanSection{
	{Key: "about-me", Title: "About me", Intro: "Start wherever you like. This is your plan, in your words.", Fields: []PlanField{
		{Key: "about", Label: "About me", Hint: "What you would like people who support you to know about you."},
		{Key: "support", Label: "How I like to be supported", Hint: "What helps, what does not, and how you like people to talk with you."},
	}},
	{Key: "strengths", Title: "My strengths", Intro: "What you are good at, what you have got through, what others value in you.", Fields: []PlanField{
		{Key: "strengths", Label: "My strengths", Hint: "Skills, qualities, interests, people and places that help."},
	}},
	{Key: "hopes", Title: "Hopes, dreams and aspirations", Intro: "What you hope for, big or small.", Fields: []PlanField{
		{Key: "hopes", Label: "What I hope for", Hint: "Things you would like to do, be or have."},
	}},
	{Key: "my-needs", Title: "My needs", Intro: "What you need, as you see it.", Fields: []PlanField{
		{Key: "needs", Label: "What I need", Hint: "For example somewhere safe to live, money, company, help with sleep."},
	}},
	{Key: SectionStatutoryNeeds, Title: "Needs the service must meet", Statutory: true,
		Intro: "Written by the people who work with you: needs the service must meet because of the law or its duties. They sit apart from your own needs above.",
		Fields: []PlanField{
			{Key: "needs", Label: "Needs the service must meet", Hint: "Each need, in plain words."},
			{Key: "basis", Label: "Why the service must meet them", Hint: "The law, order or duty behind each need."},
		}},
	{Key: "staying-well", Title: "Staying well", Intro: "What keeps you well, and what helps when things start to get hard.", Fields: []PlanField{
		{Key: "keeps-well", Label: "What keeps me well"},
		{Key: "daily", Label: "Things I do every day", Hint: "Small things count."},
		{Key: "triggers", Label: "Things that can upset me", Hint: "Situations, times of year, things people do or say."},
		{Key: "warning-signs", Label: "Early warning signs", Hint: "What you, or people close to you, notice first."},
		{Key: "what-helps", Label: "What helps when things get hard"},
	}},
	{Key: SectionCrisis, Title: "My crisis plan", Intro: "Agreed together, so that everyone knows what you want if you are in crisis.", Fields: []PlanField{
		{Key: "signs", Label: "How people can tell I am in crisis"},
		{Key: "helps", Label: "What helps me then"},
		{Key: "does-not-help", Label: "What does not help"},
		{Key: "contacts", Label: "Who to contact", Hint: "Names and numbers of people and services, in the order you want them called."},
		{Key: "practical", Label: "Practical things to take care of", Hint: "Children, pets, bills, work, your home."},
		{Key: "agreed", Label: "Who agreed this plan, and when"},
	}},
	{Key: "after-crisis", Title: "After a crisis", Intro: "Looking back once things are calmer.", Fields: []PlanField{
		{Key: "helped", Label: "What helped"},
		{Key: "change", Label: "What I would like to be different next time"},
		{Key: "getting-back", Label: "What helps me get back to my everyday life"},
	}},
	{Key: "risk-taking", Title: "Positive risk-taking", Intro: "A choice you want to make, thought through together so that you can take it on.", Fields: []PlanField{
		{Key: "choice", Label: "The choice I want to make"},
		{Key: "benefits", Label: "What I could gain"},
		{Key: "risks", Label: "What could go wrong"},
		{Key: "safeguards", Label: "What we agreed to keep it safe enough"},
		{Key: "agreed-by", Label: "Who agreed, and when"},
	}},
	{Key: "people", Title: "People in my life", Intro: "The people who matter to you, and how they help.", Fields: []PlanField{
		{Key: "people", Label: "People in my life"},
	}},
}

// PlanSectionByKey returns the section with the key, and whether there is one.
func PlanSectionByKey(key string) (PlanSection, bool) {
	for _, s := range PlanSections {
		if s.Key == key {
			return s, true
		}
	}
	return PlanSection{}, false
}

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
		if utf8.RuneCountInString(v) > MaxPlanText {
			f[key] = fmt.Sprintf("%s: please keep this to %d characters or fewer.", field.Label, MaxPlanText)
		}
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
	PlanVersion int // the plan's version this save made
	Text        SectionText
	ChangedBy   int64
	ChangedName string
	ChangedAt   time.Time
}

// Plan is a person's plan as it stands: the latest version of each section
// written so far, and which version of the whole the person signed off.
type Plan struct {
	PersonID      int64
	Version       int // how many saves the plan has had
	Sections      map[string]SectionVersion
	SignedVersion int // 0 if never signed off
	SignedAt      time.Time
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
