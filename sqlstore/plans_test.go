package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

func TestPlanSectionsKeepEveryVersionAndRefuseStaleSaves(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		strengths, _ := alongside.PlanSectionByKey("strengths")
		p, err := s.Plans.Plan(ctx, w.person.ID)
		must(t, err)
		if p.Version != 0 || len(p.Sections) != 0 {
			t.Fatalf("a new person's plan = %+v", p)
		}

		v1, err := s.Plans.SaveSection(ctx, w.person.ID, strengths, 0, alongside.SectionText{"strengths": "I am a good cook"}, w.person.ID, w.svcA.ID)
		must(t, err)
		if v1.Version != 1 {
			t.Fatalf("first save = %+v", v1)
		}
		// The practitioner saves from version 1; the person, still on
		// version 1 too, saves after: refused, and nothing written.
		_, err = s.Plans.SaveSection(ctx, w.person.ID, strengths, 1, alongside.SectionText{"strengths": "Good cook; I listen well"}, w.prac.ID, w.svcA.ID)
		must(t, err)
		_, err = s.Plans.SaveSection(ctx, w.person.ID, strengths, 1, alongside.SectionText{"strengths": "Good cook and gardener"}, w.person.ID, w.svcA.ID)
		if code(err) != alongside.ECONFLICT || !strings.Contains(alongside.ErrorMessage(err), "Priya Practitioner") {
			t.Fatalf("stale save: %v", err)
		}
		p, err = s.Plans.Plan(ctx, w.person.ID)
		must(t, err)
		cur := p.Sections["strengths"]
		if p.Version != 2 || cur.Version != 2 || cur.Text["strengths"] != "Good cook; I listen well" || cur.ChangedName != "Priya Practitioner" {
			t.Fatalf("after a refused save: plan %d, section %+v", p.Version, cur)
		}
		// Saving the same texts again keeps no new version.
		same, err := s.Plans.SaveSection(ctx, w.person.ID, strengths, 2, alongside.SectionText{"strengths": "Good cook; I listen well"}, w.person.ID, w.svcA.ID)
		must(t, err)
		if same.Version != 2 {
			t.Fatalf("an unchanged save made version %d", same.Version)
		}
		hist, err := s.Plans.SectionHistory(ctx, w.person.ID, "strengths")
		must(t, err)
		if len(hist) != 2 || hist[0].Version != 2 || hist[1].Text["strengths"] != "I am a good cook" {
			t.Fatalf("history = %+v", hist)
		}

		// A field the section does not have, or text too long, is refused whole.
		if _, err := s.Plans.SaveSection(ctx, w.person.ID, strengths, 2, alongside.SectionText{"nope": "x"}, w.person.ID, w.svcA.ID); code(err) != alongside.EINVALID {
			t.Fatalf("unknown field: %v", err)
		}
		long := strings.Repeat("a", alongside.MaxPlanText+1)
		if _, err := s.Plans.SaveSection(ctx, w.person.ID, strengths, 2, alongside.SectionText{"strengths": long}, w.person.ID, w.svcA.ID); alongside.FieldErrors(err)["strengths"] == "" {
			t.Fatalf("too long: %v", err)
		}

		// Sign-off acknowledges the version read; a stale one is refused.
		must(t, s.Plans.SignOffPlan(ctx, w.person.ID, 2, w.svcA.ID))
		if err := s.Plans.SignOffPlan(ctx, w.person.ID, 1, w.svcA.ID); code(err) != alongside.ECONFLICT {
			t.Fatalf("stale sign-off: %v", err)
		}
		p, err = s.Plans.Plan(ctx, w.person.ID)
		must(t, err)
		if p.SignedVersion != 2 || p.SignedAt.IsZero() || p.ChangedSinceSignOff() != 0 {
			t.Fatalf("signed = %d at %v", p.SignedVersion, p.SignedAt)
		}

		// Every save and the sign-off are in the audit log, against the person.
		events, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{TargetKind: "person", TargetID: w.person.ID})
		must(t, err)
		saves, signs := 0, 0
		for _, e := range events {
			switch e.Action {
			case "plan.save":
				saves++
			case "plan.sign_off":
				signs++
			}
		}
		if saves != 2 || signs != 1 {
			t.Fatalf("audited %d saves and %d sign-offs", saves, signs)
		}
	})
}

// Saves at once: of one section from the same version, exactly one is kept
// and the rest are told of the clash; of different sections, all are kept.
func TestConcurrentSectionSaves(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		hopes, _ := alongside.PlanSectionByKey("hopes")
		var wg sync.WaitGroup
		saves := saveAtOnce(t, s, w, hopes, 0, &wg)
		for g := 1; g <= 12; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sec, _ := alongside.PlanSectionByKey(alongside.GoalKey(g, 0))
				if _, err := s.Plans.SaveSection(ctx, w.person.ID, sec, 0, alongside.SectionText{"title": fmt.Sprint("goal ", g)}, w.person.ID, w.svcA.ID); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		p, err := s.Plans.Plan(ctx, w.person.ID)
		must(t, err)
		if kept, clashed := saves.kept, saves.clashed; kept != 1 || clashed != 11 || p.Version != 13 || p.Sections["hopes"].Version != 1 {
			t.Fatalf("kept %d, clashed %d; plan version %d, hopes version %d", kept, clashed, p.Version, p.Sections["hopes"].Version)
		}
	})
}

// Saves of a section already written: on PostgreSQL these are one statement
// (the compare-and-swap, the version kept and the audit line together), so
// check on both engines that such a save keeps its version and its full
// audit line, that an unchanged save (blank fields aside) keeps nothing, and
// that a stale one is refused with who saved it.
func TestSavesOfAWrittenSection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		goal, _ := alongside.PlanSectionByKey(alongside.GoalKey(1, 0))
		octx := alongside.WithOrigin(ctx, alongside.Origin{ActorID: w.person.ID, ActorEmail: w.person.Email, IP: "192.0.2.7", RequestID: "req-7"})
		// Written first with a blank field, as a form sends it.
		_, err := s.Plans.SaveSection(octx, w.person.ID, goal, 0, alongside.SectionText{"title": "Cook for friends", "about": ""}, w.person.ID, w.svcA.ID)
		must(t, err)
		// Without the blank field it is the same text.
		v1, err := s.Plans.SaveSection(octx, w.person.ID, goal, 1, alongside.SectionText{"title": "Cook for friends"}, w.person.ID, w.svcA.ID)
		must(t, err)
		if v1.Version != 1 {
			t.Fatalf("the same text without its blank field made version %d", v1.Version)
		}
		v2, err := s.Plans.SaveSection(octx, w.person.ID, goal, 1, alongside.SectionText{"title": "Cook for friends", "about": "Once a month"}, w.person.ID, w.svcA.ID)
		must(t, err)
		if v2.Version != 2 || v2.Text["about"] != "Once a month" || v2.ChangedBy != w.person.ID {
			t.Fatalf("second save = %+v", v2)
		}
		// The same texts, a blank field more or less: no new version.
		for _, same := range []alongside.SectionText{
			{"title": "Cook for friends", "about": "Once a month"},
			{"title": "Cook for friends", "about": "Once a month", "target": ""},
		} {
			v, err := s.Plans.SaveSection(octx, w.person.ID, goal, 2, same, w.person.ID, w.svcA.ID)
			must(t, err)
			if v.Version != 2 {
				t.Fatalf("an unchanged save %v made version %d", same, v.Version)
			}
		}
		// A blank field cleared is a change.
		v3, err := s.Plans.SaveSection(octx, w.person.ID, goal, 2, alongside.SectionText{"title": "Cook for friends"}, w.prac.ID, w.svcA.ID)
		must(t, err)
		if v3.Version != 3 {
			t.Fatalf("clearing a field made version %d", v3.Version)
		}
		// Stale: written from version 2 after the practitioner's save.
		_, err = s.Plans.SaveSection(octx, w.person.ID, goal, 2, alongside.SectionText{"title": "Cook for my friends"}, w.person.ID, w.svcA.ID)
		if code(err) != alongside.ECONFLICT || !strings.Contains(alongside.ErrorMessage(err), "Priya Practitioner") {
			t.Fatalf("stale save: %v", err)
		}
		hist, err := s.Plans.SectionHistory(ctx, w.person.ID, goal.Key)
		must(t, err)
		if len(hist) != 3 || hist[0].Version != 3 || hist[0].ChangedName != "Priya Practitioner" || hist[1].Text["about"] != "Once a month" {
			t.Fatalf("history = %+v", hist)
		}
		events, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{TargetKind: "person", TargetID: w.person.ID})
		must(t, err)
		var saves []alongside.AuditEvent
		for _, e := range events {
			if e.Action == "plan.save" {
				saves = append(saves, e)
			}
		}
		if len(saves) != 3 {
			t.Fatalf("audited %d saves, want 3: %+v", len(saves), saves)
		}
		for _, e := range saves {
			if e.ActorID != w.person.ID || e.ActorEmail != w.person.Email || e.IP != "192.0.2.7" || e.RequestID != "req-7" ||
				e.ServiceID != w.svcA.ID || e.OrgID != w.org.ID || e.Detail != goal.Key || e.At.IsZero() {
				t.Fatalf("audit line = %+v", e)
			}
		}
	})
}

// Saves at once of a section already written, from its version (on
// PostgreSQL, the one-statement save): exactly one is kept, with one version
// and one audit line; the rest are told of the clash.
func TestConcurrentSavesOfAWrittenSection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		hopes, _ := alongside.PlanSectionByKey("hopes")
		_, err := s.Plans.SaveSection(ctx, w.person.ID, hopes, 0, alongside.SectionText{"hopes": "first"}, w.person.ID, w.svcA.ID)
		must(t, err)
		var wg sync.WaitGroup
		saves := saveAtOnce(t, s, w, hopes, 1, &wg)
		wg.Wait()
		p, err := s.Plans.Plan(ctx, w.person.ID)
		must(t, err)
		events, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{TargetKind: "person", TargetID: w.person.ID})
		must(t, err)
		if kept, clashed := saves.kept, saves.clashed; kept != 1 || clashed != 11 || p.Version != 2 || p.Sections["hopes"].Version != 2 || len(events) != 2 {
			t.Fatalf("kept %d, clashed %d; plan version %d, hopes version %d, %d audit lines", kept, clashed, p.Version, p.Sections["hopes"].Version, len(events))
		}
	})
}

// saveTally counts saves made at once: kept, or refused as a clash.
type saveTally struct {
	mu            sync.Mutex
	kept, clashed int
}

// saveAtOnce starts 12 saves of sec from version base on wg, each with its
// own text, and counts how each ends once wg is waited for.
func saveAtOnce(t *testing.T, s *sqlstore.Store, w *world, sec alongside.PlanSection, base int, wg *sync.WaitGroup) *saveTally {
	tally := &saveTally{}
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Plans.SaveSection(ctx, w.person.ID, sec, base, alongside.SectionText{"hopes": fmt.Sprint("hope ", i)}, w.person.ID, w.svcA.ID)
			tally.mu.Lock()
			defer tally.mu.Unlock()
			switch code(err) {
			case "":
				tally.kept++
			case alongside.ECONFLICT:
				tally.clashed++
			default:
				t.Error(err)
			}
		}()
	}
	return tally
}
