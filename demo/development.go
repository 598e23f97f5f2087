package demo

// Practitioner development in the first service, all invented,
// so that the charts, the plan and the manager's totals have something to
// show:
//   - every practitioner of the service has rated themselves against the
//     framework three to five times over the past year, their ratings
//     rising as they learn, with a few development needs marked in the
//     latest; the manager's totals have all five behind them;
//   - the canonical practitioner has a development plan of three
//     objectives that follow from their needs (one achieved with evidence,
//     a link and a reflection, one under way, one planned), shared with
//     the canonical supervisor, who signed it off in the summer and has
//     commented since it changed;
//   - four practitioners reflect after sessions with the Ten Top Tips over
//     the last months, the canonical practitioner two to four times a
//     week, mostly answering yes and more so as time goes on.
//
// Every record is written through the store in date order on a clock of
// its own, up to developmentToday, and the store's clock is put back
// afterwards. The variation comes from generators with fixed seeds.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
)

// developmentToday is the last day the development records reach, a
// Friday in November 2026. Nothing is dated after the end of it.
var developmentToday = day(2026, 11, 13)

// assessmentCounts is how many self-assessments each practitioner of the
// service has done, by their place in the team (the supervisor first, then
// the canonical practitioner).
var assessmentCounts = []int{5, 4, 3, 4, 3}

// reflecting is how each practitioner of the service reflects after
// sessions, by their place in the team: for how many weeks up to
// developmentToday, and between how many times a week. The last
// practitioner has not started.
var reflecting = []struct{ weeks, least, most int }{
	{26, 0, 2}, // the supervisor
	{26, 2, 4}, // the canonical practitioner
	{20, 0, 1},
	{12, 1, 2},
}

// pinnedRating is the canonical practitioner's rating of one item in each
// of their self-assessments, and whether they marked it a need, so that
// their plan follows from what they said: one need met, two to work on.
type pinnedRating struct {
	ratings []int
	needs   []bool
}

var canonicalPins = map[string]pinnedRating{
	"skill-advance-statement":    {[]int{1, 1, 2, 3}, []bool{true, true, false, false}},
	"skill-trauma-listening":     {[]int{2, 2, 2, 2}, []bool{false, true, true, true}},
	"know-self-directed-support": {[]int{1, 1, 2, 2}, []bool{false, false, false, true}},
}

// Tips that practitioners find harder, answered yes a little less often.
var harderTips = map[string]float64{"tip-share-hope": 0.15, "tip-outside-help": 0.15, "tip-beyond-illness": 0.1}

// Notes on a reflection: about the practitioner's own practice, with no
// names and no dates. Earlier notes are more often about what went wrong.
var (
	earlierNotes = []string{
		"I talked too much at the start. Next time I will ask what they want from the session first.",
		"I rushed the end because I was running late. I should book longer visits.",
		"I made the phone call for them instead of supporting them to make it.",
		"I forgot to ask about people and groups outside services who could help.",
		"I steered us back to the risk assessment when they wanted to talk about work.",
		"Hard to stay hopeful after a setback this week. Taking it to supervision.",
	}
	laterNotes = []string{
		"We spent the time on their goals, not on my checklist. It felt like their session.",
		"Asked what a good week looks like for them. A much better conversation than asking about symptoms.",
		"We wrote the notes together at the end. It felt more equal.",
		"Shared a little of my own story. I kept it short and brought it back to them.",
		"Noticed I said “compliance” and changed it. They laughed and said it sounded better.",
		"We looked at the walking group together and they decided to try it.",
		"A setback this week, but we talked about what they learned from the last one.",
	}
)

// devEvent is one write, at its time.
type devEvent struct {
	at    time.Time
	what  string
	write func() error
}

type devSeeder struct {
	*seeder
	c      *alongside.PracticeContent
	events []devEvent
}

func (d *devSeeder) add(at time.Time, what string, write func() error) {
	d.events = append(d.events, devEvent{at, what, write})
}

// development seeds the first service's practitioners' development.
func (s *seeder) development(b *built) error {
	c := content.DefaultPractice()
	if c == nil {
		return fmt.Errorf("the practice content does not parse")
	}
	if len(b.practitioners) < 2 {
		return fmt.Errorf("%s has %d practitioners, want a supervisor and a practitioner at least", b.svc.Name, len(b.practitioners))
	}
	d := &devSeeder{seeder: s, c: c}
	for i, u := range b.practitioners {
		var pins map[string]pinnedRating
		if i == 1 {
			pins = canonicalPins
		}
		if err := d.selfAssessments(i, u, pins); err != nil {
			return err
		}
		if i < len(reflecting) {
			d.reflections(i, u)
		}
	}
	// The canonical practitioner (1) is supervised by the senior
	// practitioner (0) in the first service (see service).
	d.plan(b.practitioners[1], b.practitioners[0])

	sort.SliceStable(d.events, func(i, j int) bool { return d.events[i].at.Before(d.events[j].at) })
	clock := alongside.NewFixedClock(d.events[0].at)
	old := s.s.Clock
	s.s.Clock = clock
	defer func() { s.s.Clock = old }()
	for _, e := range d.events {
		clock.Advance(e.at.Sub(clock.Now()))
		if err := e.write(); err != nil {
			return fmt.Errorf("%s on %s: %w", e.what, e.at.Format("2 January 2006"), err)
		}
	}
	return nil
}

// weekday moves a Saturday or Sunday on to the Monday.
func weekday(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, 2)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// selfAssessments spreads a practitioner's self-assessments over the past
// year. Each item has a starting rating and a pace of its own; the rating
// at a time is the start plus the whole steps reached by then, so no
// rating falls and the mean rises. In each, the practitioner marks one of
// their lowest-rated items in most groups as a need, and in the latest one
// in every group and one more. pins, when given, fix some items' ratings
// and needs in every self-assessment.
func (d *devSeeder) selfAssessments(i int, u *alongside.User, pins map[string]pinnedRating) error {
	n := assessmentCounts[i%len(assessmentCounts)]
	rng := rand.New(rand.NewPCG(0x5e1f, uint64(i)))
	type pace struct {
		start      int
		lift, head float64
	}
	paces := map[string]pace{}
	for _, it := range d.c.Framework {
		start := 1 + rng.IntN(2)
		if it.Kind == alongside.KindValues && rng.IntN(2) == 0 {
			start++ // values tend to sit higher from the start
		}
		paces[it.Key] = pace{start, rng.Float64() * 1.6, rng.Float64()}
	}
	for key, p := range pins {
		if len(p.ratings) != n || len(p.needs) != n {
			return fmt.Errorf("the pinned ratings of %s are for %d self-assessments, not %d", key, len(p.ratings), n)
		}
	}
	first := developmentToday.AddDate(-1, 0, 4+3*i)
	last := developmentToday.AddDate(0, 0, -(12 + 4*i))
	for k := range n {
		t := float64(k) / float64(n-1)
		on := first.Add(time.Duration(float64(last.Sub(first)) * t)).Truncate(24 * time.Hour)
		at := weekday(on).Add(9*time.Hour + time.Duration(rng.IntN(7*60))*time.Minute)
		ratings := map[string]alongside.ItemRating{}
		for _, it := range d.c.Framework {
			p := paces[it.Key]
			ratings[it.Key] = alongside.ItemRating{Rating: min(p.start+int(t*p.lift+p.head), len(alongside.RatingScale))}
		}
		marked := map[alongside.PracticeKind]bool{}
		for key, p := range pins {
			ratings[key] = alongside.ItemRating{Rating: p.ratings[k], Need: p.needs[k]}
			if it, _ := d.c.Item(key); p.needs[k] {
				marked[it.Kind] = true
			}
		}
		latest := k == n-1
		for _, g := range alongside.FrameworkGroups {
			if marked[g] || (!latest && rng.IntN(3) == 0) {
				continue
			}
			if key := d.lowest(rng, ratings, d.c.InGroup(g)); key != "" {
				ratings[key] = alongside.ItemRating{Rating: ratings[key].Rating, Need: true}
			}
		}
		if latest {
			if key := d.lowest(rng, ratings, d.c.Framework); key != "" {
				ratings[key] = alongside.ItemRating{Rating: ratings[key].Rating, Need: true}
			}
		}
		a := &alongside.SelfAssessment{PractitionerID: u.ID, Ratings: ratings}
		d.add(at, "self-assessment of "+u.Email, func() error { return d.s.Development.SaveSelfAssessment(d.ctx, a, d.c) })
	}
	return nil
}

// lowest picks one of the lowest-rated items not yet marked a need, or ""
// when all are.
func (d *devSeeder) lowest(rng *rand.Rand, ratings map[string]alongside.ItemRating, items []alongside.PracticeItem) string {
	var keys []string
	low := len(alongside.RatingScale) + 1
	for _, it := range items {
		r := ratings[it.Key]
		switch {
		case r.Need || r.Rating > low:
		case r.Rating < low:
			low, keys = r.Rating, []string{it.Key}
		default:
			keys = append(keys, it.Key)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return keys[rng.IntN(len(keys))]
}

// reflections are a practitioner's Ten Top Tips checks after sessions, on
// weekdays between ten and four. A tip now and then did not apply; the
// answers are mostly yes, more so as time goes on; one in four has a note.
func (d *devSeeder) reflections(i int, u *alongside.User) {
	plan := reflecting[i]
	rng := rand.New(rand.NewPCG(0x7e11ec7, uint64(i)))
	monday := developmentToday.AddDate(0, 0, -int(developmentToday.Weekday()-time.Monday))
	start := monday.AddDate(0, 0, -7*(plan.weeks-1))
	end := developmentToday.Truncate(24 * time.Hour).Add(24 * time.Hour)
	for w := range plan.weeks {
		days := rng.Perm(5)[:plan.least+rng.IntN(plan.most-plan.least+1)]
		slices.Sort(days)
		for _, dd := range days {
			at := start.AddDate(0, 0, 7*w+dd).Add(time.Duration(30+rng.IntN(6*60)) * time.Minute)
			if !at.Before(end) {
				continue
			}
			t := float64(at.Sub(start)) / float64(end.Sub(start))
			answers := map[string]string{}
			for _, tip := range d.c.Tips {
				if rng.IntN(8) == 0 {
					continue // did not apply to this session
				}
				yes, no := 0.55+0.35*t-harderTips[tip.Key], 0.03+0.12*(1-t)
				switch x := rng.Float64(); {
				case x < yes:
					answers[tip.Key] = "yes"
				case x < 1-no:
					answers[tip.Key] = "partly"
				default:
					answers[tip.Key] = "no"
				}
			}
			if len(answers) == 0 {
				answers[d.c.Tips[0].Key] = "yes"
			}
			r := &alongside.Reflection{PractitionerID: u.ID, Answers: answers}
			if rng.IntN(4) == 0 {
				notes := earlierNotes
				if t >= 0.5 {
					notes = laterNotes
				}
				r.Note = notes[rng.IntN(len(notes))]
			}
			d.add(at, "reflection of "+u.Email, func() error { return d.s.Development.SaveReflection(d.ctx, r, d.c) })
		}
	}
}

// plan is the canonical practitioner's development plan, written over the
// year as their self-assessments show needs: advance statements (met in
// the summer, when they helped the canonical person with theirs), listening
// when people talk about trauma (under way) and self-directed support
// (planned after the latest self-assessment). They share it with their
// supervisor in spring; the supervisor signs it off in July and comments
// in November, after it has changed.
func (d *devSeeder) plan(p, supervisor *alongside.User) {
	save := func(at time.Time, o *alongside.DevelopmentObjective, change func()) {
		d.add(at, "objective of "+p.Email, func() error {
			if change != nil {
				change()
			}
			return d.s.Development.SaveObjective(d.ctx, o, d.c)
		})
	}
	statement := &alongside.DevelopmentObjective{PractitionerID: p.ID, NeedItem: "skill-advance-statement",
		Need:           "I have never helped anyone write an advance statement. I leave it to the advocacy service.",
		Objective:      "Support the people I work with to write an advance statement when they want one, and see it witnessed and sent.",
		Status:         "planned",
		ActivityKind:   "activity-link-groups",
		Activity:       "Spend a morning with the local independent advocacy service, learning how they help people write advance statements.",
		ActivityStatus: "planned", TargetDate: "2026-07-31"}
	save(day(2025, 12, 3), statement, nil)
	save(day(2026, 2, 10), statement, func() { statement.Status, statement.ActivityStatus = "under-way", "booked" })
	save(day(2026, 4, 22), statement, func() { statement.ActivityStatus = "done" })
	save(day(2026, 7, 8), statement, func() {
		statement.Status = "achieved"
		statement.Evidence = "Supported one person I work with to write their advance statement, have it witnessed by their doctor and send it to the health board. Wrote a one-page guide for the team."
		statement.Links = []string{"https://learning.example.org/guides/advance-statements-team-guide"}
		statement.Reflection = "I used to think advance statements were for the advocacy service. Now I mention them whenever we write a crisis plan, and I give people time between visits to think about what they want. It takes longer than I expected, and that is fine."
	})

	trauma := &alongside.DevelopmentObjective{PractitionerID: p.ID, NeedItem: "skill-trauma-listening",
		Need:           "When someone starts to talk about past trauma I change the subject, because I am afraid of making things worse.",
		Objective:      "Stay with people when they talk about trauma, listen without steering away, and know when and how to offer more help.",
		Status:         "planned",
		ActivityKind:   "activity-recovery-training",
		Activity:       "The two-day course on trauma-informed practice, then talking through what I learned in supervision.",
		ActivityStatus: "planned", TargetDate: "2027-02-26"}
	save(day(2026, 3, 20), trauma, nil)
	d.add(day(2026, 3, 20).Add(10*time.Minute), "sharing the plan of "+p.Email, func() error {
		return d.s.Development.ShareDevelopmentPlan(d.ctx, p.ID, []int64{supervisor.ID})
	})
	save(day(2026, 7, 15), trauma, func() { trauma.Status, trauma.ActivityStatus = "under-way", "booked" })
	d.add(day(2026, 7, 30).Add(5*time.Hour), "sign-off of the plan of "+p.Email, func() error {
		return d.s.Development.SignOffDevelopmentPlan(d.ctx, &alongside.DevelopmentSignOff{PractitionerID: p.ID, SupervisorID: supervisor.ID,
			Note: "We went through this in supervision. The advance statement work is done and well evidenced; the trauma course is the right next step."})
	})
	save(day(2026, 10, 30), trauma, func() {
		trauma.ActivityStatus = "done"
		trauma.Evidence = "Went on the two-day course. I have stayed with two difficult conversations since, and talked both through in supervision."
	})

	sds := &alongside.DevelopmentObjective{PractitionerID: p.ID, NeedItem: "know-self-directed-support",
		Need:           "People ask me about direct payments and I do not know enough to answer them.",
		Objective:      "Explain the options for self-directed support in plain words, and help someone ask for an assessment.",
		Status:         "planned",
		ActivityKind:   "activity-information-exchange",
		Activity:       "Spend a morning with the council's self-directed support team and bring back a one-page guide for our team.",
		ActivityStatus: "planned", TargetDate: "2027-04-30"}
	save(day(2026, 11, 2), sds, nil)
	d.add(day(2026, 11, 6).Add(4*time.Hour), "comment on the plan of "+p.Email, func() error {
		return d.s.Development.AddDevelopmentComment(d.ctx, &alongside.DevelopmentComment{PractitionerID: p.ID, AuthorID: supervisor.ID,
			Text: "Good to read how the course went. At our next supervision let us talk about which new habits are sticking, and plan the morning with the self-directed support team."})
	})
}
