package demo

import (
	"fmt"
	"time"

	"github.com/alongside-recovery/alongside"
)

// Recovery plans at three stages, in the first service, so that every part
// of a plan can be seen in use (all invented):
//   - the canonical person has a full plan, a signed and witnessed advance
//     statement, and shares parts of it with their supporters;
//   - the second person has met goals, had a review and rated their
//     progress over months;
//   - the third has just started.

type planWrite struct {
	at      time.Time
	by      int // 0: the person; 1: their practitioner
	section string
	text    alongside.SectionText
}

func (s *seeder) plans(all []*built) error {
	clock := alongside.NewFixedClock(day(2026, 6, 1))
	old := s.s.Clock
	s.s.Clock = clock
	defer func() { s.s.Clock = old }()
	b := all[0]
	svc := b.svc.ID
	// Person j works first with practitioner (j+1) mod k (see service).
	worker := func(j int) *alongside.User { return b.practitioners[(j+1)%len(b.practitioners)] }
	write := func(j int, ws []planWrite) error {
		person := b.people[j]
		for _, w := range ws {
			clock.Advance(w.at.Sub(clock.Now()))
			by := person.ID
			if w.by == 1 {
				by = worker(j).ID
			}
			sec, ok := alongside.PlanSectionByKey(w.section)
			if !ok {
				return fmt.Errorf("no section %q", w.section)
			}
			p, err := s.s.Plans.Plan(s.ctx, person.ID)
			if err != nil {
				return err
			}
			if _, err := s.s.Plans.SaveSection(s.ctx, person.ID, sec, p.Sections[w.section].Version, w.text, by, svc); err != nil {
				return fmt.Errorf("%s, %s: %w", person.Email, w.section, err)
			}
		}
		return nil
	}

	// The canonical person: a full plan, signed off, with an advance statement.
	full := []planWrite{
		{day(2026, 6, 1), 0, "about-me", alongside.SectionText{"about": "I grew up by the sea and still go down to the shore when I need to think. I like crosswords, old films and my neighbour's dog.",
			"support": "Talk to me, not about me. Give me time to answer. Texts are easier than phone calls in the morning."}},
		{day(2026, 6, 1), 0, "strengths", alongside.SectionText{"strengths": "I am stubborn in a good way.\nI am a good listener.\nI kept my allotment going through a hard winter."}},
		{day(2026, 6, 3), 0, "hopes", alongside.SectionText{"hopes": "To get back to part-time work in a garden centre.\nTo have my nephew to stay for a weekend."}},
		{day(2026, 6, 3), 0, "my-needs", alongside.SectionText{"needs": "Help with letters and forms. Company in the evenings. A GP who listens."}},
		{day(2026, 6, 3), 0, "staying-well", alongside.SectionText{"keeps-well": "The allotment, walking, seeing Margaret on Sundays.",
			"daily": "Up by nine, a walk before lunch, no screens after ten.", "triggers": "Letters about money. Long dark evenings.",
			"warning-signs": "I stop answering the phone and sleep in the day.", "what-helps": "Someone coming round, not just phoning. Help opening the post."}},
		// Telephone numbers from the ranges Ofcom keeps for drama: nobody answers them.
		{day(2026, 6, 10), 1, "crisis", alongside.SectionText{"signs": "Not answering the door, not eating, talking about being a burden.",
			"helps": "A quiet room. Margaret being told early. Being asked what I need.", "does-not-help": "Lots of people at once. Being rushed.",
			"contacts": "1. Margaret (sister), 07700 900461\n2. My practitioner at Birchwood, 0131 496 0182\n3. The out-of-hours crisis team, 0131 496 0999", "practical": "Feed the neighbour's cat if I am away.",
			"agreed": "Agreed together with my practitioner on 10 June 2026."}},
		{day(2026, 6, 10), 0, "crisis", alongside.SectionText{"signs": "Not answering the door, not eating, talking about being a burden.",
			"helps": "A quiet room. Margaret being told early. Being asked what I need. My own pillow.", "does-not-help": "Lots of people at once. Being rushed.",
			"contacts": "1. Margaret (sister), 07700 900461\n2. My practitioner at Birchwood, 0131 496 0182 (weekdays)\n3. The out-of-hours crisis team, 0131 496 0999", "practical": "Feed the neighbour's cat if I am away.",
			"agreed": "Agreed together with my practitioner on 10 June 2026."}},
		{day(2026, 6, 12), 1, alongside.SectionStatutoryNeeds, alongside.SectionText{"needs": "Support to manage a tenancy; a review of care needs every six months.",
			"basis": "Assessed eligible needs under the Social Care (Self-directed Support) (Scotland) Act 2013."}},
		{day(2026, 7, 1), 0, alongside.SectionAdvanceStatement, alongside.SectionText{"wanted": "Talking therapy. Being able to walk outside each day.",
			"not-wanted": "Depot injections: they made me feel far away from myself.", "other": "Please tell my sister Margaret if I am admitted.",
			"full-name": "As on my records", "address": "12 Harbour Row (invented)", "born": "1979-04-02", "signed-on": "2026-07-01",
			"witness-name": "Dr Morven Reid (invented)", "witness-address": "Shore Street Health Centre (invented)", "witness-class": "Medical practitioner",
			"witness-certifies": "yes", "review-on": "2027-01-05", "board": "The local health board"}},
		{day(2026, 7, 2), 1, alongside.SectionAdvanceStatement, alongside.SectionText{"wanted": "Talking therapy. Being able to walk outside each day.",
			"not-wanted": "Depot injections: they made me feel far away from myself.", "other": "Please tell my sister Margaret if I am admitted.",
			"full-name": "As on my records", "address": "12 Harbour Row (invented)", "born": "1979-04-02", "signed-on": "2026-07-01",
			"witness-name": "Dr Morven Reid (invented)", "witness-address": "Shore Street Health Centre (invented)", "witness-class": "Medical practitioner",
			"witness-certifies": "yes", "review-on": "2027-01-05", "board": "The local health board", "sent-on": "2026-07-02"}},
		{day(2026, 7, 15), 0, "goal-1", alongside.SectionText{"title": "Work part-time in a garden centre", "about": "Feeling useful, and being outside.",
			"target": "2027-04-30", "status": "working", "review": "2026-12-01"}},
		{day(2026, 7, 15), 0, "goal-1.1", alongside.SectionText{"title": "Ask at the community garden about volunteering", "status": "done"}},
		{day(2026, 8, 20), 0, "goal-1.2", alongside.SectionText{"title": "Two mornings a week at the community garden", "status": "working"}},
		{day(2026, 9, 1), 0, "risk-taking", alongside.SectionText{"choice": "Going on the walking group's overnight trip.",
			"benefits": "Company, fresh air, proving to myself I can.", "risks": "Sleeping badly away from home; feeling low in the evening.",
			"safeguards": "Take my own pillow, share a room with Margaret's friend Joan, text Margaret at nine.", "agreed-by": "Me, Margaret and my practitioner, 1 September 2026."}},
		{day(2026, 8, 30), 0, "after-crisis", alongside.SectionText{"helped": "Margaret staying over. Being asked, not told.",
			"change": "I would like to be called by my first name, and to keep my phone.", "getting-back": "A walk every day, and the allotment on Saturdays."}},
		{day(2026, 9, 1), 0, "people", alongside.SectionText{"people": "Margaret, my sister: Sundays.\nKenneth, my named person.\nChloe from the walking group."}},
	}
	if err := write(0, full); err != nil {
		return err
	}
	person := b.people[0]
	p, err := s.s.Plans.Plan(s.ctx, person.ID)
	if err != nil {
		return err
	}
	if err := s.s.Plans.SignOffPlan(s.ctx, person.ID, p.Version, svc); err != nil {
		return err
	}
	// Margaret (carer) sees how to help and may add her view; Kenneth (named
	// person) sees the crisis plan and the advance statement; Chloe has not
	// accepted and sees nothing.
	links, err := s.s.Links.Supporters(s.ctx, person.ID)
	if err != nil {
		return err
	}
	sharing := alongside.PlanSharing{}
	var margaret int64
	for _, l := range links {
		switch l.Relationship {
		case alongside.SupporterCarer:
			sharing[l.ID] = map[string]bool{"staying-well": true, alongside.SectionCrisis: true, "hopes": false, alongside.SectionGoals: false}
			margaret = l.SupporterID
		case alongside.SupporterNamed:
			sharing[l.ID] = map[string]bool{alongside.SectionCrisis: false, alongside.SectionAdvanceStatement: false}
		}
	}
	if err := s.s.Plans.SetPlanSharing(s.ctx, person.ID, sharing, svc); err != nil {
		return err
	}
	if margaret != 0 {
		clock.Advance(day(2026, 9, 10).Sub(clock.Now()))
		if err := s.s.Plans.AddSupporterView(s.ctx, &alongside.SupporterView{PersonID: person.ID, Section: "staying-well", SupporterID: margaret,
			Text: "When the post piles up by the door, that is the first sign. Sunday dinners help more than phone calls."}, svc); err != nil {
			return err
		}
	}

	// The second person: goals met, a review, and months of progress.
	clock.Advance(day(2026, 6, 2).Sub(clock.Now()))
	second := b.people[1]
	for _, area := range []string{"Sleep", "Money", "Feeling in control"} {
		if err := s.s.Plans.AddProgressArea(s.ctx, second.ID, area); err != nil {
			return err
		}
	}
	met := []planWrite{
		{day(2026, 6, 2), 0, "about-me", alongside.SectionText{"about": "I am a dad of two and a keen cook.", "support": "Plain speaking, please."}},
		{day(2026, 6, 2), 0, "goal-1", alongside.SectionText{"title": "Get my money back under control", "status": "working", "review": "2026-09-01"}},
		{day(2026, 6, 9), 1, "goal-1.1", alongside.SectionText{"title": "Go to the welfare rights appointment together", "status": "done"}},
		{day(2026, 7, 14), 0, "goal-1.2", alongside.SectionText{"title": "Set up a payment plan for the gas bill", "status": "done"}},
		{day(2026, 8, 25), 0, "goal-1", alongside.SectionText{"title": "Get my money back under control", "status": "done", "about": "No more letters I am scared to open."}},
		{day(2026, 9, 1), 1, "review-1", alongside.SectionText{"held": "2026-09-01", "person": "I open my post now. The money goal is done and I am proud of it.",
			"worker": "A big change since June: bills are on plans and the arrears are falling.", "next": "Start on the cooking course goal.", "next-on": "2026-12-01"}},
		{day(2026, 9, 1), 0, "goal-2", alongside.SectionText{"title": "Do the community cooking course", "target": "2027-01-31", "status": "thinking"}},
	}
	ratings := []struct {
		at     time.Time
		values map[string]int
	}{
		{day(2026, 6, 2), map[string]int{"Sleep": 3, "Money": 2, "Feeling in control": 3}},
		{day(2026, 7, 7), map[string]int{"Sleep": 4, "Money": 4, "Feeling in control": 4}},
		{day(2026, 8, 4), map[string]int{"Sleep": 4, "Money": 6, "Feeling in control": 5}},
		{day(2026, 9, 1), map[string]int{"Sleep": 6, "Money": 7, "Feeling in control": 7}},
	}
	// Writes and ratings in date order; a rating on the day of a write comes after it.
	next := 0
	for _, w := range met {
		for next < len(ratings) && ratings[next].at.Before(w.at) {
			clock.Advance(ratings[next].at.Sub(clock.Now()))
			if err := s.s.Plans.RateProgress(s.ctx, second.ID, ratings[next].values, svc); err != nil {
				return err
			}
			next++
		}
		if err := write(1, []planWrite{w}); err != nil {
			return err
		}
	}
	for ; next < len(ratings); next++ {
		clock.Advance(ratings[next].at.Sub(clock.Now()))
		if err := s.s.Plans.RateProgress(s.ctx, second.ID, ratings[next].values, svc); err != nil {
			return err
		}
	}

	// The third person: just started.
	return write(2, []planWrite{
		{day(2026, 10, 20), 0, "about-me", alongside.SectionText{"about": "I have just moved here. I am still finding my feet."}},
		{day(2026, 10, 20), 0, "hopes", alongside.SectionText{"hopes": "To feel at home somewhere."}},
	})
}
