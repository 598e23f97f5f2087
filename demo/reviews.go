package demo

// The demo network's SRI 2 service reviews: every service has completed a
// first cycle in spring 2026, with its evidence sheets and an action plan
// that has been followed up since; five services are part-way through a
// second cycle, gathering evidence; and one has completed its second
// cycle, so the network view shows change over two cycles.
//
// Ratings come from a per-service profile (a level per indicator that is
// the same in every cycle) plus a little variation drawn from a generator
// seeded by the service and the cycle, so every run gives the same demo.
// The action plans' themes are chosen so that the network view has a story
// to tell: most services are working on involving carers, many on
// strengths-based assessment and goal setting.

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/alongside-recovery/alongside"
)

// cycle is one review cycle of one service.
type cycle struct {
	n                                    int // 1 for the first cycle, 2 for the second
	title                                string
	start, gathering, planning, complete time.Time  // planning and complete zero: left gathering evidence
	actions                              []string   // keys of actionPool
	followUp                             []followUp // by action, in order
	lift                                 map[string]float64
}

// followUp is where an action stands when the demo is seeded.
type followUp struct {
	status alongside.ActionStatus
	due    string
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 30, 0, 0, time.UTC) }

// firstFollowUps are the statuses and due dates of a spring plan's actions,
// taken in turn from a place that depends on the service. Two of them
// (September 2026, still open) are overdue by the time anyone sees the demo.
var firstFollowUps = []followUp{
	{alongside.ActionDone, "2026-07-31"},
	{alongside.ActionUnderWay, "2026-09-30"},
	{alongside.ActionPlanned, "2027-01-29"},
	{alongside.ActionDone, "2026-08-28"},
	{alongside.ActionUnderWay, "2026-12-18"},
	{alongside.ActionNotGoingAhead, "2026-10-30"},
	{alongside.ActionPlanned, "2026-09-18"},
}

// secondFollowUps are those of the one second plan already written.
var secondFollowUps = []followUp{
	{alongside.ActionUnderWay, "2026-10-30"},
	{alongside.ActionPlanned, "2027-01-29"},
	{alongside.ActionDone, "2026-10-16"},
	{alongside.ActionUnderWay, "2027-03-31"},
}

// firstPlans are the actions of each service's spring plan, by service.
// Across the latest completed plans (these, with Rowan House's summer plan
// in place of its spring one) the themes add up to: involving carers 11 of
// 14, strengths-based assessment 9, goal setting 8, positive risk-taking 6,
// peer support 5, and every other theme in 2 to 4 plans.
var firstPlans = [][]string{
	{"carers-evening", "strengths-form", "goals-own-words", "risk-approach", "staying-well"},     // Birchwood
	{"carers-ask", "strengths-audit", "goal-sheet", "peer-group"},                                // Harbour View
	{"carers-leaflet", "strengths-session", "risk-record", "residents-meeting"},                  // Thistle Court
	{"carers-evening", "strengths-form", "risk-approach", "recovery-training"},                   // Rowan House
	{"strengths-form", "goals-own-words", "community-map"},                                       // Heatherbank
	{"carers-evening", "peer-post", "risk-record", "language-review", "supervision"},             // Bracken Lea
	{"carers-ask", "strengths-audit", "goal-sheet", "health-check"},                              // Lochan Gardens
	{"carers-leaflet", "strengths-form", "community-map", "health-check"},                        // Cairnfield Flats
	{"carers-contact", "goals-own-words", "risk-approach", "recovery-training", "community-map"}, // Alder Brae
	{"strengths-audit", "goal-sheet", "staying-well"},                                            // Kestrel Wynd
	{"carers-evening", "strengths-session", "peer-group", "supervision"},                         // Firthview Lodge
	{"carers-ask", "risk-record", "language-review", "residents-meeting"},                        // Whinbrae
	{"peer-group", "strengths-form", "recovery-stories"},                                         // Puffin Close
	{"carers-leaflet", "goals-own-words", "risk-approach", "staying-well"},                       // Corrie Steps
}

// Second cycles: open (gathering evidence) in these services, and complete
// in secondDone, whose summer plan replaces its spring plan in the network
// view.
var (
	secondOpen = []int{0, 2, 5, 8, 13} // Birchwood, Thistle Court, Bracken Lea, Alder Brae, Corrie Steps
	secondDone = 3                     // Rowan House
	secondPlan = []string{"carers-contact", "goal-sheet", "peer-group", "recovery-stories"}
)

// reviewSeeder seeds reviews on a clock of its own, all with the
// organisation's current statement set.
type reviewSeeder struct {
	*seeder
	clock *alongside.FixedClock
	set   *alongside.StatementSet
}

// reviews seeds every service's review cycles. It sets the store's clock to
// the dates of each step, so that the reviews, sheets and plans carry
// realistic dates, and puts the clock back afterwards.
func (s *seeder) reviews(all []*built) error {
	sd := &reviewSeeder{seeder: s, clock: alongside.NewFixedClock(day(2026, 3, 2))}
	old := sd.s.Clock
	sd.s.Clock = sd.clock
	defer func() { sd.s.Clock = old }()
	l, err := sd.s.Organisations.CurrentStatementSet(sd.ctx, sd.org.ID)
	if err != nil {
		return err
	}
	sd.set = l.Set

	for i, b := range all {
		shift := time.Duration(i%4) * 7 * 24 * time.Hour
		c := &cycle{n: 1, title: "Spring 2026 review",
			start: day(2026, 3, 2).Add(shift), gathering: day(2026, 3, 16).Add(shift),
			planning: day(2026, 5, 4).Add(shift), complete: day(2026, 5, 29).Add(shift),
			actions: firstPlans[i]}
		for j := range c.actions {
			c.followUp = append(c.followUp, firstFollowUps[(i+j)%len(firstFollowUps)])
		}
		if err := sd.cycle(i, b, c); err != nil {
			return fmt.Errorf("%s, %s: %w", b.svc.Name, c.title, err)
		}
	}

	// The second cycles rate a little higher on the indicators that the
	// first plan's actions worked on, so the results show change.
	lift := func(i int) map[string]float64 {
		m := map[string]float64{}
		for j, key := range firstPlans[i] {
			step := 0.2
			switch firstFollowUps[(i+j)%len(firstFollowUps)].status {
			case alongside.ActionDone:
				step = 0.7
			case alongside.ActionUnderWay:
				step = 0.45
			case alongside.ActionNotGoingAhead:
				step = 0
			}
			for _, ind := range actionPool[key].indicators {
				m[ind] = max(m[ind], step)
			}
		}
		return m
	}
	c := &cycle{n: 2, title: "Summer 2026 review",
		start: day(2026, 7, 6), gathering: day(2026, 7, 20), planning: day(2026, 8, 24), complete: day(2026, 9, 11),
		actions: secondPlan, lift: lift(secondDone)}
	for j := range c.actions {
		c.followUp = append(c.followUp, secondFollowUps[j%len(secondFollowUps)])
	}
	if err := sd.cycle(secondDone, all[secondDone], c); err != nil {
		return fmt.Errorf("%s, %s: %w", all[secondDone].svc.Name, c.title, err)
	}
	for k, i := range secondOpen {
		shift := time.Duration(k) * 24 * time.Hour
		c := &cycle{n: 2, title: "Autumn 2026 review",
			start: day(2026, 10, 5).Add(shift), gathering: day(2026, 10, 19).Add(shift), lift: lift(i)}
		if err := sd.cycle(i, all[i], c); err != nil {
			return fmt.Errorf("%s, %s: %w", all[i].svc.Name, c.title, err)
		}
	}
	return nil
}

// at sets the seeding clock to t.
func (sd *reviewSeeder) at(t time.Time) { sd.clock.Advance(t.Sub(sd.clock.Now())) }

// team returns a service's review coordinator and team. In the first
// service the canonical practitioner coordinates, with the supervisor in
// the team; elsewhere the manager or a practitioner does, with one or two
// practitioners.
func team(i int, b *built) (coordinator *alongside.User, members []*alongside.User) {
	p := b.practitioners
	switch {
	case i == 0:
		return p[1], []*alongside.User{p[0]}
	case i%2 == 1:
		members = []*alongside.User{p[0]}
		if i%3 == 0 {
			members = append(members, p[1])
		}
		return b.manager, members
	default:
		return p[i%len(p)], []*alongside.User{p[(i+1)%len(p)]}
	}
}

// sheetJob is one sheet to be filled in during gathering.
type sheetJob struct {
	source    alongside.EvidenceSource
	reference string
	paper     bool
}

// carerSheets is how many carers answer in a full cycle: five to seven in
// most services, fewer in Cairnfield Flats, Kestrel Wynd and Puffin Close,
// whose carers' figures are therefore held back.
func carerSheets(i int) int {
	switch i {
	case 7:
		return 4
	case 9:
		return 2
	case 12:
		return 3
	}
	return 5 + i%3
}

// cycle runs one review cycle of service i, as far as c goes.
func (sd *reviewSeeder) cycle(i int, b *built, c *cycle) error {
	rng := rand.New(rand.NewPCG(uint64(i)+1, uint64(c.n)))
	coord, members := team(i, b)
	r := &alongside.Review{ServiceID: b.svc.ID, CoordinatorID: coord.ID, Title: c.title}
	for _, m := range members {
		r.Team = append(r.Team, m.ID)
	}
	sd.at(c.start)
	if err := sd.s.Reviews.StartReview(sd.ctx, r); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	sd.at(c.gathering)
	if err := sd.s.Reviews.AdvanceReview(sd.ctx, r); err != nil {
		return fmt.Errorf("gathering: %w", err)
	}

	// The sheets: records and service information entered by the
	// coordinator; staff, people and carers mostly online through personal
	// links, a few from paper (carers' by phone). Staff sheets come from
	// every practitioner, the manager and a relief worker without an
	// account, so that even a team of three has five and its figures show.
	// In an open cycle only the first few sheets are in.
	open := c.complete.IsZero()
	records, staff, people, carers, paperPeople, paperCarers := 10, len(b.practitioners)+2, len(b.people)-i%2, carerSheets(i), 2+(i%3+1)/3, 1+i%2
	if open {
		records, staff, people, carers, paperPeople, paperCarers = 6, 3, 2, 1, 0, 0
	}
	people = max(people, paperPeople+1)
	var jobs []sheetJob
	for n := 1; n <= records; n++ {
		jobs = append(jobs, sheetJob{source: alongside.SourceAssessments, reference: fmt.Sprintf("A%d", n)})
		if !open || n < records {
			jobs = append(jobs, sheetJob{source: alongside.SourceCarePlans, reference: fmt.Sprintf("C%d", n)})
		}
	}
	jobs = append(jobs, sheetJob{source: alongside.SourceServiceInformation})
	online := map[alongside.EvidenceSource]int{}
	for _, g := range []struct {
		source       alongside.EvidenceSource
		count, paper int
	}{{alongside.SourceStaff, staff, 0}, {alongside.SourcePeople, people, paperPeople}, {alongside.SourceCarers, carers, paperCarers}} {
		for n := range g.count {
			jobs = append(jobs, sheetJob{source: g.source, paper: n < g.paper})
			if n >= g.paper {
				online[g.source]++
			}
		}
	}
	rng.Shuffle(len(jobs), func(a, b int) { jobs[a], jobs[b] = jobs[b], jobs[a] })

	// Links go out on the first day of gathering, one batch per group, with
	// a few more than come back.
	tokens := map[alongside.EvidenceSource][]string{}
	days := 56
	if open {
		days = 60
	}
	for _, src := range []alongside.EvidenceSource{alongside.SourceStaff, alongside.SourcePeople, alongside.SourceCarers} {
		extra := 1 + rng.IntN(2)
		if open {
			extra += 2
		}
		ts, err := sd.s.Links.IssueInvitations(sd.ctx, r, src, online[src]+extra, days)
		if err != nil {
			return fmt.Errorf("invitations: %w", err)
		}
		tokens[src] = ts
	}

	// Sheets arrive evenly from the day after gathering starts until the
	// day before action planning (or, in an open cycle, over four weeks, so
	// that none is dated after the day the demo was written).
	end := c.planning.Add(-24 * time.Hour)
	if open {
		end = c.gathering.Add(4 * 7 * 24 * time.Hour)
	}
	first := c.gathering.Add(24 * time.Hour)
	step := end.Sub(first) / time.Duration(len(jobs))
	used := map[string]bool{} // evidence text already written in this review
	for n, job := range jobs {
		sd.at(first.Add(time.Duration(n) * step))
		sh := sd.sheet(rng, i, c, job.source, used)
		sh.Reference, sh.Paper = job.reference, job.paper
		var err error
		if job.source.Document() || job.paper {
			sh.EnteredBy = coord.ID
			err = sd.s.Reviews.AddSheet(sd.ctx, r, sd.set, sh)
		} else {
			token := tokens[job.source][0]
			tokens[job.source] = tokens[job.source][1:]
			err = sd.s.Links.AnswerInvitation(sd.ctx, token, r, sd.set, sh)
		}
		if err != nil {
			return fmt.Errorf("%s sheet: %w", job.source, err)
		}
		if n == len(jobs)/3 && c.n == 1 {
			if err := sd.note(i, r); err != nil {
				return err
			}
		}
	}
	if open {
		return nil
	}

	sd.at(c.planning)
	if err := sd.s.Reviews.AdvanceReview(sd.ctx, r); err != nil {
		return fmt.Errorf("action planning: %w", err)
	}
	if err := sd.plan(i, r, c, coord, members); err != nil {
		return err
	}
	return nil
}

// plan writes and follows up the action plan of a cycle: findings for the
// indicators its actions work on and for the service's strongest
// indicator, then the actions, the review's completion, and the months of
// follow-up since.
func (sd *reviewSeeder) plan(i int, r *alongside.Review, c *cycle, coord *alongside.User, members []*alongside.User) error {
	var inds []string
	seen := map[string]bool{}
	for _, key := range c.actions {
		for _, ind := range actionPool[key].indicators {
			if !seen[ind] && len(inds) < 4 {
				seen[ind] = true
				inds = append(inds, ind)
			}
		}
	}
	best := sd.set.Indicators[0].Key
	for _, in := range sd.set.Indicators {
		if level(i, in.Key) > level(i, best) {
			best = in.Key
		}
	}
	if !seen[best] {
		inds = append(inds, best)
	}
	for k, ind := range inds {
		sd.at(c.planning.Add(time.Duration(2+k) * 24 * time.Hour))
		f := findingText[ind]
		fd := &alongside.Finding{Indicator: ind, Strengths: f[0], Areas: f[1], UpdatedBy: coord.ID}
		if ind == best && !seen[best] {
			fd.Areas = ""
		}
		if err := sd.s.ActionPlans.SaveFinding(sd.ctx, r, sd.set, fd); err != nil {
			return fmt.Errorf("finding %s: %w", ind, err)
		}
	}
	var actions []*alongside.Action
	for k, key := range c.actions {
		sd.at(c.planning.Add(time.Duration(10+k) * 24 * time.Hour))
		t := actionPool[key]
		a := &alongside.Action{What: t.what, Who: t.who, Due: c.followUp[k].due, CreatedBy: coord.ID,
			Indicators: t.indicators, Themes: t.themes}
		if err := sd.s.ActionPlans.AddAction(sd.ctx, r, sd.set, a); err != nil {
			return fmt.Errorf("action %s: %w", key, err)
		}
		actions = append(actions, a)
	}
	sd.at(c.complete)
	if err := sd.s.Reviews.AdvanceReview(sd.ctx, r); err != nil {
		return fmt.Errorf("complete: %w", err)
	}

	// Follow-up: a first note three weeks on, another five weeks later, and an
	// example of change once an action is done.
	writers := append([]*alongside.User{coord}, members...)
	for k, a := range actions {
		t, fu := actionPool[c.actions[k]], c.followUp[k]
		if fu.status == alongside.ActionPlanned {
			continue
		}
		by := writers[k%len(writers)]
		when := c.complete.Add(time.Duration(21+k) * 24 * time.Hour)
		texts := t.notes[:1]
		switch fu.status {
		case alongside.ActionDone:
			texts = t.notes[:]
		case alongside.ActionNotGoingAhead:
			texts = []string{stopNotes[(i+k)%len(stopNotes)]}
		}
		for n, text := range texts {
			sd.at(when.Add(time.Duration(n) * 5 * 7 * 24 * time.Hour))
			if err := sd.s.ActionPlans.AddProgressNote(sd.ctx, r, &alongside.ProgressNote{ActionID: a.ID, Text: text, WrittenBy: by.ID}); err != nil {
				return fmt.Errorf("note: %w", err)
			}
		}
		a.Status = fu.status
		if err := sd.s.ActionPlans.UpdateAction(sd.ctx, r, sd.set, a); err != nil {
			return fmt.Errorf("status: %w", err)
		}
		if fu.status == alongside.ActionDone {
			sd.at(sd.clock.Now().Add(7 * 24 * time.Hour))
			if err := sd.s.ActionPlans.AddChangeExample(sd.ctx, r, &alongside.ChangeExample{ActionID: a.ID, Text: t.example, AddedBy: by.ID}); err != nil {
				return fmt.Errorf("example: %w", err)
			}
		}
	}
	return nil
}

// note attaches a team's note to the first review of a few services.
func (sd *reviewSeeder) note(i int, r *alongside.Review) error {
	n, ok := notes[i]
	if !ok {
		return nil
	}
	e := &alongside.AttachedEvidence{Indicator: n[0], Kind: alongside.KindNote, Title: n[1], Text: n[2]}
	if err := sd.s.Reviews.AttachEvidence(sd.ctx, r, sd.set, e); err != nil {
		return fmt.Errorf("note: %w", err)
	}
	return nil
}

// level is service i's usual level on an indicator, between about 2 and
// 4.5: a mix of the service as a whole and the indicator, fixed by a hash
// so that each service has its own recognisable profile. Carers and
// involvement start lower, as they often do.
func level(i int, indicator string) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d", i)
	whole := float64(h.Sum64()%1000) / 1000
	fmt.Fprintf(h, "/%s", indicator)
	part := float64(h.Sum64()%1000) / 1000
	v := 2.2 + 0.8*whole + 1.5*part
	switch indicator {
	case "carers":
		v -= 0.8
	case "involvement":
		v -= 0.5
	}
	return max(v, 1.8)
}

// sourceBias is how a source tends to rate compared with the service's
// level: staff a little kinder to themselves, records and carers harder.
var sourceBias = map[alongside.EvidenceSource]float64{
	alongside.SourceAssessments: -0.2, alongside.SourceCarePlans: -0.1, alongside.SourceStaff: 0.3, alongside.SourceCarers: -0.2,
}

// sheet makes one sheet's ratings and evidence for service i in cycle c.
func (sd *reviewSeeder) sheet(rng *rand.Rand, i int, c *cycle, src alongside.EvidenceSource, used map[string]bool) *alongside.EvidenceSheet {
	sh := &alongside.EvidenceSheet{Source: src, Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}
	pool := evidencePool(src)
	chance := map[alongside.EvidenceSource]float64{alongside.SourceServiceInformation: 0.5, alongside.SourceCarers: 0.25}[src]
	if chance == 0 {
		chance = 0.15
	}
	for _, in := range sd.set.Indicators {
		mean := level(i, in.Key) + sourceBias[src] + c.lift[in.Key]
		if c.n > 1 {
			mean += 0.1
		}
		for n := range in.For(src) {
			switch x := rng.Float64(); {
			case x < 0.03: // left unanswered
				continue
			case x < 0.07:
				sh.Ratings[alongside.StatementRef{Indicator: in.Key, N: n + 1}] = alongside.NotApplicable
				continue
			}
			v := int(math.Round(mean + rng.NormFloat64()*0.7))
			sh.Ratings[alongside.StatementRef{Indicator: in.Key, N: n + 1}] = min(max(v, 1), 5)
		}
		if texts := pool[in.Key]; len(texts) > 0 && rng.Float64() < chance {
			if text := texts[rng.IntN(len(texts))]; !used[string(src)+text] {
				used[string(src)+text] = true
				sh.Evidence[in.Key] = text
			}
		}
	}
	return sh
}

// evidencePool returns the invented evidence a source's sheets draw on.
func evidencePool(src alongside.EvidenceSource) map[string][]string {
	switch src {
	case alongside.SourceAssessments, alongside.SourceCarePlans:
		return recordEvidence
	case alongside.SourceServiceInformation:
		return infoEvidence
	case alongside.SourceStaff:
		return staffEvidence
	case alongside.SourcePeople:
		return peopleEvidence
	}
	return carerEvidence
}

// actionTemplate is an action a plan can include, with how it is followed
// up: notes[0] once it is started, notes[1] as it is finished, and an
// example of change once done.
type actionTemplate struct {
	what, who          string
	indicators, themes []string
	notes              [2]string
	example            string
}

var actionPool = map[string]actionTemplate{
	"carers-evening": {"Hold a carers' evening twice a year to explain how the service works and hear what carers think of it.",
		"Service manager and one practitioner", []string{"carers", "involvement"}, []string{"involving-carers"},
		[2]string{"Date set and invitations sent through the people we support, who chose whether to pass them on.", "First evening held: nine carers came and asked for a named contact in the team."},
		"Carers now phone the named contact rather than the office, and say they feel less in the dark."},
	"carers-ask": {"At each support plan review, ask the person whether they want a family member or friend involved, and write down their answer.",
		"Key workers", []string{"carers", "personalised"}, []string{"involving-carers"},
		[2]string{"Question added to the review form; most key workers are using it.", "Every review since July has the question answered."},
		"Two people asked for a relative to come to their review for the first time."},
	"carers-leaflet": {"Write a short leaflet for carers: who to contact, what we can and cannot share, and where carers can get support of their own.",
		"Two practitioners, with a carer who offered to help", []string{"carers", "basic-needs"}, []string{"involving-carers"},
		[2]string{"Draft written and read by two carers, who asked for plainer words.", "Leaflet printed and given out with every new tenancy."},
		"A carer rang the local carers' centre after reading the leaflet and now has support of her own."},
	"carers-contact": {"Give each carer a named contact in the team and offer a phone call after each support plan review, where the person agrees.",
		"Team leader", []string{"carers"}, []string{"involving-carers"},
		[2]string{"Named contacts agreed at the team meeting.", "Calls are being made after reviews; carers say they like hearing from the same person."},
		"Carers' questions now come to one person, and fewer worries turn into complaints."},
	"strengths-form": {"Add a section on what the person is good at, enjoys and hopes for to the front of the assessment form.",
		"Service manager", []string{"strengths", "goals"}, []string{"strengths-assessment"},
		[2]string{"New section drafted with two people who use the service.", "New form in use for all new assessments and reviews."},
		"Assessments now open with what the person enjoys; one led to a tenant running the garden."},
	"strengths-session": {"Hold a team session on strengths-based conversations, using anonymised examples from our own assessments.",
		"Senior practitioner", []string{"strengths", "recovery-practice"}, []string{"strengths-assessment", "staff-training"},
		[2]string{"Examples gathered from ten assessments, with nothing that identifies anyone.", "Session held with the whole team; notes shared with those on leave."},
		"Handovers now start with what went well for each person that day."},
	"strengths-audit": {"Check ten assessments each quarter for strengths, interests and what has helped before, and share what we find.",
		"Two practitioners in turn", []string{"strengths"}, []string{"strengths-assessment"},
		[2]string{"First check done: strengths were missing in four of ten.", "Second check: strengths missing in one of ten."},
		"Strengths are now recorded in nearly every assessment we check."},
	"goals-own-words": {"Rewrite the goals in each care plan in the person's own words, with small steps and a date to look back together.",
		"Key workers", []string{"goals", "personalised"}, []string{"goal-setting", "personalised-support"},
		[2]string{"Half the care plans rewritten with the people concerned.", "All care plans rewritten; people chose their own wording."},
		"People talk about their goals in review meetings instead of staff reading them out."},
	"goal-sheet": {"Offer everyone a simple goal sheet to keep themselves, so progress is noticed between reviews.",
		"Practitioners", []string{"goals"}, []string{"goal-setting"},
		[2]string{"Goal sheet designed with the residents' meeting.", "Most people have a goal sheet and several fill it in themselves."},
		"One tenant brought their goal sheet to a review and led the conversation."},
	"risk-approach": {"Agree a team approach to positive risk-taking and try it on two real plans, talked through in supervision.",
		"Service manager and senior practitioner", []string{"recovery-practice", "staff-supported"}, []string{"positive-risk-taking"},
		[2]string{"Team discussion held; two plans chosen with the people concerned.", "Both plans reviewed: things went well and the team felt backed."},
		"A tenant now travels alone to see friends, a step the team would once have discouraged."},
	"risk-record": {"Record in care plans what the person wants to try, the risks talked through, and what will help it go well.",
		"Key workers", []string{"recovery-practice", "goals"}, []string{"positive-risk-taking"},
		[2]string{"New heading added to the care plan template.", "Heading filled in on most plans; checked in supervision."},
		"Plans now show the person's own view of a risk alongside the team's."},
	"peer-group": {"Start a fortnightly peer support group, run with a peer worker from the local recovery network.",
		"Practitioner and peer worker", []string{"involvement", "recovery-practice"}, []string{"peer-support"},
		[2]string{"Room booked and the group advertised in the lounge.", "Group meeting every fortnight, with six to eight people coming."},
		"Two group members now meet new tenants in their first week."},
	"peer-post": {"Create a paid peer worker post, with people using the service on the interview panel.",
		"Service manager", []string{"involvement"}, []string{"peer-support", "service-planning"},
		[2]string{"Funding agreed by the organisation; job description written with residents.", "Peer worker appointed; two tenants sat on the panel."},
		"The peer worker now co-runs the residents' meeting."},
	"staying-well": {"Offer everyone help to write a staying-well plan and, if they want one, an advance statement.",
		"Key workers", []string{"advance-planning"}, []string{"crisis-planning"},
		[2]string{"Information session held on staying-well plans and advance statements.", "Most people now have a staying-well plan they wrote themselves."},
		"In a recent hard patch, the person's own plan was followed and a hospital stay was avoided."},
	"language-review": {"Review the service leaflet, website text and standard letters for hopeful, jargon-free language.",
		"Practitioner and two people using the service", []string{"recovery-practice", "strengths"}, []string{"recovery-language"},
		[2]string{"Leaflet and letters gathered; first changes suggested.", "New wording agreed and in use."},
		"Letters no longer use words like “non-compliant” or “placement”."},
	"recovery-training": {"Book recovery training for the whole team, with a trainer who has lived experience.",
		"Service manager", []string{"staff-supported", "recovery-practice"}, []string{"staff-training"},
		[2]string{"Training booked for two dates so everyone can attend.", "Whole team trained; feedback was very positive."},
		"Staff now ask people what recovery means to them at the first meeting."},
	"community-map": {"Map local groups, courses and volunteering, and keep the list up to date where everyone can see it.",
		"Practitioner", []string{"social-inclusion"}, []string{"social-inclusion"},
		[2]string{"List started with help from the college and the library.", "List on the lounge wall and updated each month."},
		"Three people have joined a group or course they found on the list."},
	"health-check": {"Add a yearly check on housing, money and physical health to every support plan review.",
		"Key workers", []string{"basic-needs"}, []string{"physical-health"},
		[2]string{"Checklist agreed with the local GP practice nurse.", "Checklist used at every review."},
		"Two people were helped to claim benefits they were missing."},
	"residents-meeting": {"Hold a monthly residents' meeting whose ideas go to the team meeting, with a “you said, we did” board.",
		"Team leader and residents", []string{"involvement"}, []string{"service-planning"},
		[2]string{"First meetings held; board put up in the hall.", "Meeting is monthly and the board is kept up to date."},
		"Residents chose the new lounge furniture and changed the visiting hours."},
	"recovery-stories": {"Invite people who have moved on to share their recovery stories at a community meal.",
		"Peer worker", []string{"recovery-practice"}, []string{"hope-and-stories"},
		[2]string{"Two former tenants have agreed to speak.", "Meal held; people asked for another in the spring."},
		"Newer tenants say hearing the stories made moving on feel possible."},
	"supervision": {"Protect monthly reflective supervision for every worker, and keep track that it happens.",
		"Service manager", []string{"staff-supported"}, []string{"staff-wellbeing"},
		[2]string{"Supervision dates booked for the year.", "Nearly every session has gone ahead."},
		"Staff say supervision is now a time to think, not only to check tasks."},
}

// stopNotes explain an action the team decided not to go ahead with.
var stopNotes = []string{
	"Not going ahead: the organisation is running the same thing across the network, so we will join that instead.",
	"Not going ahead for now: after talking it over with the residents' meeting, people preferred a different approach.",
	"Not going ahead: the funding we hoped for did not come through. We will look at it again at the next review.",
}

// notes are the team notes attached to the first review of a few services:
// indicator, title, text.
var notes = map[int][3]string{
	0:  {"recovery-practice", "Team discussion on 12 March", "The team talked about what “on tap, not on top” means day to day. We agreed to ask people before any change to their support, and to stop writing “non-compliant” in notes."},
	5:  {"involvement", "Residents' meeting in April", "Residents said they want a say in who is recruited and asked for a peer worker. Several offered to help with interviews."},
	10: {"carers", "What carers told us by phone", "Carers who rang said they would like one person to contact and more warning of changes. Most did not know about the local carers' centre."},
}

// findingText is each indicator's strengths and areas for development, as
// a team might write them.
var findingText = map[string][2]string{
	"basic-needs":       {"Practical problems such as repairs and benefits are picked up quickly and followed through.", "Physical health is rarely recorded, and people are not always told where to get debt advice."},
	"goals":             {"Most people have goals and staff notice progress.", "Goals are often written in staff words, and small steps are seldom set out."},
	"personalised":      {"Staff adapt visit times and respect people's faith and culture.", "Care plans repeat standard wording, and people have little say in who supports them."},
	"strengths":         {"People say staff see what they are good at.", "Assessments record problems in detail but strengths only briefly, if at all."},
	"social-inclusion":  {"Staff go with people the first time they try something new.", "Most activity happens inside the service rather than out in the community."},
	"involvement":       {"People's views are asked for and the residents' meeting is well attended.", "People rarely hear what changed after they gave feedback, and there are no roles for people with lived experience."},
	"carers":            {"Carers who are in touch say staff are kind and call back.", "Carers are seldom asked for their views, are unsure who to contact, and are not told where to get support of their own."},
	"advance-planning":  {"Early warning signs have been talked through with most people.", "Few people have a written crisis plan, and advance statements are hardly ever mentioned."},
	"staff-supported":   {"Staff feel supported by each other and by their manager.", "Supervision is cancelled when the team is short, and there has been little training in recovery."},
	"recovery-practice": {"People say staff believe they can recover and treat them with respect.", "Staff are cautious about risk, and some notes still use labels rather than the person's own words."},
}

// The invented evidence that sheets carry: nothing in it names anyone.
var (
	recordEvidence = map[string][]string{
		"basic-needs":       {"Housing and money are both covered, with a note that a benefits check was booked.", "The physical health section is blank apart from the name of the GP practice.", "The care plan sets out help with an overdue gas bill and who is doing it."},
		"goals":             {"Goals are in the person's own words, such as wanting to cook for friends again.", "A goal is written down but there are no smaller steps under it.", "Progress since the last review is recorded, including a first bus journey alone."},
		"personalised":      {"Notes say the person prefers a text message before a visit.", "Much of the plan is standard wording that appears in other plans too.", "Records the person's faith and that they want support to get to their place of worship."},
		"strengths":         {"Lists the person's interests, including music and fixing bikes.", "The strengths section says “none identified”.", "Describes what helped the person through a hard winter before."},
		"social-inclusion":  {"Mentions the person would like to volunteer, but nothing in the plan follows from it.", "The plan includes support to join a walking group, and notes the first visits.", "Contact with friends is recorded as important to the person."},
		"involvement":       {"The person signed the plan and added comments of their own.", "No sign that the person was asked how the service could improve.", "Records that the person took part in the residents' meeting."},
		"carers":            {"No record of whether the person wants their family involved.", "Notes that the person's sister is their main support and may be contacted.", "The carer's own needs are not mentioned anywhere."},
		"advance-planning":  {"A staying-well plan written with the person is attached.", "Early warning signs are listed, but there is no crisis plan.", "Notes that an advance statement was offered and the person is thinking about it."},
		"staff-supported":   {"The key worker changed several times this year with no handover note.", "Shows the plan was discussed in the worker's supervision.", "Handover notes are clear and up to date."},
		"recovery-practice": {"The language is respectful and talks about what the person wants.", "Some entries describe the person as “non-compliant”.", "Records a decision the person made against advice, and how the risks were talked through."},
	}
	infoEvidence = map[string][]string{
		"basic-needs":       {"The leaflet mentions help with benefits but not where to get debt advice."},
		"goals":             {"The welcome pack says people choose their own goals."},
		"personalised":      {"Nothing says information is available in other languages or formats."},
		"strengths":         {"The website describes people by diagnosis rather than by what they can do."},
		"social-inclusion":  {"The noticeboard lists local groups, courses and volunteering."},
		"involvement":       {"Explains how to give feedback, but not what has changed because of it."},
		"carers":            {"There is nothing written for carers."},
		"advance-planning":  {"Mentions crisis plans but not advance statements."},
		"staff-supported":   {"Photos and roles of the staff team are on the wall in the hall."},
		"recovery-practice": {"The leaflet says clearly that people can and do recover."},
	}
	staffEvidence = map[string][]string{
		"basic-needs":       {"We arranged a food bank referral the same day someone ran out of money.", "Physical health checks slip when we are short-staffed.", "We keep chasing housing repairs until they are done."},
		"goals":             {"We use the person's own words on the goals page now.", "Goals can end up being ours, like keeping the flat tidy.", "We celebrate small steps at the house meeting."},
		"personalised":      {"The rota makes it hard to offer a real choice of worker.", "We changed visit times for someone who works in the mornings.", "We ask about faith and culture when someone starts with us."},
		"strengths":         {"We ask what people are good at but do not always use it.", "One tenant runs the garden now; that came from asking about interests.", "Handover talks mostly about problems."},
		"social-inclusion":  {"We go along with people the first time they try a group.", "Most activities happen in the service rather than out in the community.", "Our links with the college are good."},
		"involvement":       {"The residents' meeting is well attended and its ideas go to the team meeting.", "We have no peer workers yet.", "People helped interview the new team leader."},
		"carers":            {"We are unsure what we are allowed to share with families.", "We rarely contact carers unless there is a problem.", "Some carers phone every week and we always call back."},
		"advance-planning":  {"Few people have a written crisis plan.", "We went through early warning signs with most people this year.", "I am not confident talking about advance statements."},
		"staff-supported":   {"Supervision is regular and I find it useful.", "Supervision gets cancelled when we are short.", "The team looks after each other after a hard shift."},
		"recovery-practice": {"We try to be on tap, not on top.", "We still fall back on saying no to anything risky.", "Hope is talked about openly in the team."},
	}
	peopleEvidence = map[string][]string{
		"basic-needs":       {"Staff helped me fill in my benefit forms.", "They got my boiler fixed.", "I still worry about money."},
		"goals":             {"I picked my own goals.", "My worker helps me break things down.", "Nobody has asked about my goals in a while."},
		"personalised":      {"They come at times that suit me.", "I don't get a say in who comes.", "They respect my religion."},
		"strengths":         {"They know I like cooking and ask me to help with the meal.", "Staff remind me what I have got through before.", "It feels like they only see my problems."},
		"social-inclusion":  {"I go to the allotment group now.", "I would like to do a course but don't know where to start.", "Staff came with me to the gym the first time."},
		"involvement":       {"I go to the tenants' meeting and they listen.", "I filled in a survey but never heard back.", "I helped choose the new sofa for the lounge."},
		"carers":            {"My mum is kept in the loop because I asked for that.", "Staff asked if I wanted my family involved.", "I would like my brother to come to my review."},
		"advance-planning":  {"I have a plan for when things get bad.", "I know my early warning signs now.", "Nobody has talked to me about a crisis plan."},
		"staff-supported":   {"Staff seem stretched.", "The staff are friendly and seem to like their work.", "There are a lot of new faces."},
		"recovery-practice": {"They believe I can get better.", "They talk to me like an adult.", "Sometimes it feels like they decide for me."},
	}
	carerEvidence = map[string][]string{
		"basic-needs":       {"They sorted out his rent arrears quickly once I mentioned it.", "I did not know who to ring about the money worries."},
		"goals":             {"I know what she is working towards and I help where I can.", "I have no idea what goals he has."},
		"personalised":      {"His support fits his routine, not theirs.", "They asked about our family's way of doing things."},
		"strengths":         {"They see the good in my son.", "Staff asked me what she is good at."},
		"social-inclusion":  {"She is out more now, at the community garden.", "He is still quite isolated."},
		"involvement":       {"I was invited to a carers' evening.", "I have never been asked what I think of the service."},
		"carers":            {"Staff listen to me and explain what they can share.", "Nobody has asked how I am coping."},
		"advance-planning":  {"I know what to do if things start to go wrong.", "There is no crisis plan that I know of."},
		"staff-supported":   {"Staff change a lot, which is unsettling.", "Having the same worker for a long time has made a big difference."},
		"recovery-practice": {"They treat her as the expert in her own life.", "I feel more hopeful than I did a year ago."},
	}
)
