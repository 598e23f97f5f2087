package demo

// Surveys, all invented, so that results, change between waves
// and a live link have something to show:
//   - a network-wide staff survey of recovery knowledge and practice,
//     started by the network lead, with a baseline in January 2026 (before
//     the spring reviews) and a follow-up in October, both closed by the
//     demo's today. Staff of nine services answer; about two thirds give
//     the same pairing code both times (written a little differently), the
//     rest none, a different one, or answer only once. The follow-up rates
//     higher, most in goal setting, belief in recovery for all and
//     positive risk-taking, which the reviews' action plans worked on. A
//     few sheets came on paper and a few answers have a line of free text;
//   - a survey of people's experience at the first service, started by its
//     manager, whose baseline opened three weeks before the demo's today
//     and stays open for three weeks after it.
//
// Every write goes through the store in date order on a clock of its own,
// and the store's clock is put back afterwards. The variation comes from a
// generator with a fixed seed.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
)

// The surveys' titles, as their owners gave them.
const (
	staffSurveyTitle  = "Staff recovery knowledge and practice"
	peopleSurveyTitle = "Your experience of our support, autumn 2026"
)

// The waves' dates. The staff survey's baseline is about ten months before
// developmentToday and its follow-up about one month before, a fortnight
// each; the people's survey is open from three weeks before to three weeks
// after.
var (
	staffStarted    = day(2026, 1, 7)
	staffBaseline   = alongside.Wave{Label: "Baseline", OpensOn: "2026-01-12", ClosesOn: "2026-01-25"}
	followUpAdded   = day(2026, 10, 5)
	staffFollowUp   = alongside.Wave{Label: "Follow-up", OpensOn: "2026-10-12", ClosesOn: "2026-10-25"}
	peopleStarted   = day(2026, 10, 21)
	peopleBaseline  = alongside.Wave{Label: "Baseline", OpensOn: "2026-10-23", ClosesOn: "2026-12-04"}
	peopleAnswerDay = []int{0, 0, 1, 3, 6, 6, 9, 14, 20} // days after opening that each response came in
)

// staffServices are the services whose staff answer the network survey,
// each practitioner of them once a wave (the survey is anonymous: a
// respondent is no one's account, only someone at that service).
var staffServices = []int{0, 1, 2, 3, 5, 7, 8, 10, 13}

// paperService is the outreach service, whose staff are mostly out and
// answer on paper more than the others.
const paperService = 7

// staffDomainLevels are where staff answers to a domain's items sit at
// baseline on the 1–5 scale, and how far they rise by the follow-up.
var staffDomainLevels = map[string]struct{ base, lift float64 }{
	"hope":               {3.2, 0.6},
	"self-determination": {3.6, 0.2},
	"strengths":          {3.4, 0.25},
	"goals":              {2.9, 0.75},
	"positive-risk":      {2.7, 0.65},
	"social-inclusion":   {3.4, 0.15},
	"peer-support":       {3.1, 0.2},
	"carers":             {3.0, 0.3},
	"language":           {3.8, 0.1},
}

// Free-text answers, with no names or identifiers, by item, for the
// baseline and the follow-up.
var staffTexts = [2]map[string][]string{
	{
		"goals-help": {
			"More time on visits to talk about what people want, not just the tasks.",
			"Training on setting goals with people who find it hard to say what they want.",
			"A simpler goal sheet that people can keep themselves.",
		},
		"team-change": {
			"Less paperwork about risk and more time with people.",
			"Talking about recovery in team meetings, not only about problems.",
			"Hearing from people with lived experience about what helped them.",
		},
	},
	{
		"goals-help": {
			"The new goal sheet helps. More time to go over goals together would help more.",
			"Examples from other teams of small steps that worked.",
		},
		"team-change": {
			"Keep the reflective sessions going now the review is over.",
			"Involve carers earlier, with the person's agreement.",
			"A peer worker on every team.",
		},
	},
}

// peopleTexts are free-text answers to the people's survey.
var peopleTexts = []string{
	"More things to do in the evenings and at weekends.",
	"Help with forms and letters sooner, before they pile up.",
	"Someone to come with me the first time I try a new group.",
	"The same staff more often, so I do not have to explain everything again.",
}

// surveyEvent is one write, at its time.
type surveyEvent struct {
	at    time.Time
	what  string
	write func() error
}

type surveySeeder struct {
	*seeder
	rng    *rand.Rand
	events []surveyEvent
	nonces int
}

func (d *surveySeeder) add(at time.Time, what string, write func() error) {
	d.events = append(d.events, surveyEvent{at, what, write})
}

// respond adds one response to a wave, with a form nonce of its own.
func (d *surveySeeder) respond(at time.Time, sv *alongside.Survey, w *alongside.Wave, serviceID int64, a alongside.SurveyAnswer, code string, paper bool) {
	d.nonces++
	nonce := fmt.Sprintf("demo-%020d", d.nonces)
	d.add(at, "a response to "+sv.Title+", "+w.Label, func() error {
		dup, err := d.s.Surveys.Respond(d.ctx, sv, w, serviceID, a, code, nonce, paper)
		if err == nil && dup {
			err = fmt.Errorf("counted as a duplicate")
		}
		return err
	})
}

// surveys seeds the network's staff survey, started by lead, and the first
// service's survey of people's experience.
func (s *seeder) surveys(all []*built, lead *alongside.User) error {
	qs, files := content.DefaultQuestionnaires(), content.DefaultQuestionnaireFiles()
	if len(qs) < 2 || len(files) != len(qs) {
		return fmt.Errorf("the shipped questionnaires do not parse")
	}
	staffQ, peopleQ := qs[0], qs[1]
	if staffQ.Audience != alongside.AudienceStaff || peopleQ.Audience != alongside.AudiencePeople {
		return fmt.Errorf("the shipped questionnaires are not staff then people: %s, %s", staffQ.Audience, peopleQ.Audience)
	}
	d := &surveySeeder{seeder: s, rng: rand.New(rand.NewPCG(0x5eed, 6))}

	staff := &alongside.Survey{OrgID: s.org.ID, Title: staffSurveyTitle, Questionnaire: staffQ, Body: files[0],
		RateLimit: alongside.DefaultSurveyRateLimit, CreatedBy: lead.ID}
	baseline, followUp := staffBaseline, staffFollowUp
	d.add(staffStarted, "start "+staff.Title, func() error { return s.s.Surveys.CreateSurvey(s.ctx, staff, &baseline) })
	d.add(followUpAdded, "add the follow-up to "+staff.Title, func() error { return s.s.Surveys.AddWave(s.ctx, staff, &followUp) })
	if err := d.staffResponses(all, staff, [2]*alongside.Wave{&baseline, &followUp}); err != nil {
		return err
	}

	b := all[0]
	people := &alongside.Survey{OrgID: s.org.ID, ServiceID: b.svc.ID, Title: peopleSurveyTitle, Questionnaire: peopleQ, Body: files[1],
		RateLimit: alongside.DefaultSurveyRateLimit, CreatedBy: b.manager.ID}
	wave := peopleBaseline
	d.add(peopleStarted, "start "+people.Title, func() error { return s.s.Surveys.CreateSurvey(s.ctx, people, &wave) })
	if err := d.peopleResponses(people, &wave); err != nil {
		return err
	}

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

// staffRespondent is one member of staff answering the network survey.
type staffRespondent struct {
	service int64
	level   float64    // how recovery-focused their answers are, beside colleagues'
	growth  float64    // how much of the network's rise their answers show
	answers [2]bool    // whether they answered the baseline and the follow-up
	codes   [2]string  // their pairing code as written each time; "" for none
	paper   [2]bool    // whether their sheet came on paper
	at      [2]float64 // when in each wave they answered, 0 the first day, 1 the last
}

// staffResponses adds the network staff survey's responses. Respondents
// follow a pattern of nine: six give the same code both times, written
// their own way each time; one gives no code; one gives a different code
// at the follow-up, or left before it; one answers only the follow-up as
// a new starter, or gives no code at the follow-up.
func (d *surveySeeder) staffResponses(all []*built, sv *alongside.Survey, waves [2]*alongside.Wave) error {
	var pool []*staffRespondent
	used := map[string]bool{}
	for _, i := range staffServices {
		if i >= len(all) {
			return fmt.Errorf("no service %d for the staff survey", i)
		}
		for p := range all[i].practitioners {
			j := len(pool)
			r := &staffRespondent{service: all[i].svc.ID, level: d.rng.NormFloat64() * 0.45, growth: 0.4 + 1.2*d.rng.Float64(),
				answers: [2]bool{true, true}, at: [2]float64{d.answerTime(), d.answerTime()}}
			code := d.pairCode(used)
			cycle := j / 9
			switch j % 9 {
			case 6: // no code either time
			case 7:
				r.codes[0] = writeCode(code, j)
				if cycle%2 == 0 {
					r.codes[1] = writeCode(d.pairCode(used), j+1) // forgot their code
				} else {
					r.answers[1] = false // left before the follow-up
				}
			case 8:
				if cycle%2 == 0 {
					r.answers[0] = false // started after the baseline
					r.codes[1] = writeCode(code, j)
				} else {
					r.codes[0] = writeCode(code, j)
				}
			default:
				r.codes = [2]string{writeCode(code, j), writeCode(code, j*3+1)}
			}
			if i == paperService && p < 3 {
				// Three paper sheets: two at baseline, one at the follow-up.
				r.paper = [2]bool{p != 1, p == 1}
			}
			pool = append(pool, r)
		}
	}

	for w, wave := range waves {
		opens, err := time.Parse("2006-01-02", wave.OpensOn)
		if err != nil {
			return err
		}
		closes, err := time.Parse("2006-01-02", wave.ClosesOn)
		if err != nil {
			return err
		}
		days := closes.Sub(opens).Hours()/24 + 1
		texts := map[string][]string{}
		for item, t := range staffTexts[w] {
			texts[item] = append([]string(nil), t...)
		}
		k := 0
		for _, r := range pool {
			if !r.answers[w] {
				continue
			}
			k++
			a := d.staffAnswer(sv.Questionnaire, r, w == 1)
			item := "goals-help"
			if k%2 == 0 {
				item = "team-change"
			}
			if k%5 == 3 && len(texts[item]) > 0 {
				a[item], texts[item] = texts[item][0], texts[item][1:]
			}
			// Online answers come in during the day; paper sheets are
			// typed in on the closing day.
			at := opens.AddDate(0, 0, int(r.at[w]*days)).Add(8*time.Hour + time.Duration(d.rng.IntN(10*60))*time.Minute)
			if r.paper[w] {
				at = closes.Add(15*time.Hour + time.Duration(k)*time.Minute)
			}
			d.respond(at, sv, wave, r.service, a, r.codes[w], r.paper[w])
		}
	}
	return nil
}

// answerTime is when in a wave someone answers: most in the first days
// after the link goes out, more after a reminder in the second week.
func (d *surveySeeder) answerTime() float64 {
	if d.rng.IntN(3) == 0 {
		return 0.5 + 0.5*d.rng.Float64()
	}
	return 0.3 * d.rng.Float64()
}

// staffAnswer is one respondent's answers to the staff questionnaire,
// leaving an item out now and then.
func (d *surveySeeder) staffAnswer(q *alongside.Questionnaire, r *staffRespondent, followUp bool) alongside.SurveyAnswer {
	a := alongside.SurveyAnswer{}
	for _, it := range q.Items {
		if !it.Type.Scored() || d.rng.IntN(40) == 0 {
			continue
		}
		lv, ok := staffDomainLevels[it.Domain]
		if !ok {
			lv.base, lv.lift = 3.3, 0.1
		}
		v := lv.base + r.level + d.rng.NormFloat64()*0.6
		if followUp {
			v += lv.lift * r.growth
		}
		a[it.Key] = scaled(it.Type, (v-1)/4, d.rng)
	}
	return a
}

// scaled is the answer an item of type t takes for a level from 0 (the
// least recovery-focused) to 1.
func scaled(t alongside.ItemType, level float64, rng *rand.Rand) string {
	level = min(max(level, 0), 1)
	switch t {
	case alongside.ItemYesNo:
		if rng.Float64() < level {
			return "yes"
		}
		return "no"
	case alongside.ItemScale10:
		return fmt.Sprint(int(math.Round(level * 10)))
	}
	return fmt.Sprint(1 + int(math.Round(level*4)))
}

// pairCode is a new code of the kind the answer page suggests (the first
// letters of a song and a number), unlike any given before.
func (d *surveySeeder) pairCode(used map[string]bool) string {
	const letters = "abcdefghijklmnoprstwy"
	for {
		var b strings.Builder
		for range 3 + d.rng.IntN(2) {
			b.WriteByte(letters[d.rng.IntN(len(letters))])
		}
		code := b.String() + fmt.Sprint(1+d.rng.IntN(98))
		if !used[code] {
			used[code] = true
			return code
		}
	}
}

// writeCode is a code as someone might type it: case, spaces and dashes
// vary, which pairing ignores.
func writeCode(code string, style int) string {
	cut := strings.IndexAny(code, "0123456789")
	word, num := code[:cut], code[cut:]
	switch style % 5 {
	case 0:
		return strings.ToUpper(code)
	case 1:
		return code
	case 2:
		return word + " " + num
	case 3:
		return strings.ToUpper(word[:1]) + word[1:] + " " + num
	}
	return strings.ToUpper(word) + "-" + num
}

// peopleResponses adds the people's survey's responses so far: mostly
// positive, less so about trying new things and life outside the service,
// and fewer told about peer support. Some give a code for a later wave;
// one sheet came on paper from a residents' meeting.
func (d *surveySeeder) peopleResponses(sv *alongside.Survey, w *alongside.Wave) error {
	opens, err := time.Parse("2006-01-02", w.OpensOn)
	if err != nil {
		return err
	}
	lower := map[string]float64{"try-new-things": 0.15, "life-outside": 0.2, "told-peer-support": 0.4, "asked-who": 0.15}
	used := map[string]bool{}
	for k, after := range peopleAnswerDay {
		at := opens.AddDate(0, 0, after)
		if !at.Before(developmentToday.Truncate(24*time.Hour).AddDate(0, 0, 1)) {
			return fmt.Errorf("a response to %s on %s, after the demo's today", sv.Title, at.Format("2006-01-02"))
		}
		at = at.Add(10*time.Hour + time.Duration(d.rng.IntN(9*60))*time.Minute)
		level := 0.75 + 0.15*d.rng.NormFloat64()
		a := alongside.SurveyAnswer{}
		for _, it := range sv.Questionnaire.Items {
			if !it.Type.Scored() || d.rng.IntN(30) == 0 {
				continue
			}
			a[it.Key] = scaled(it.Type, level-lower[it.Key]+0.12*d.rng.NormFloat64(), d.rng)
		}
		if k%2 == 1 && k/2 < len(peopleTexts) {
			a["one-thing"] = peopleTexts[k/2]
		}
		code := ""
		if k%3 != 2 {
			code = writeCode(d.pairCode(used), k)
		}
		d.respond(at, sv, w, sv.ServiceID, a, code, k == 4)
	}
	return nil
}
