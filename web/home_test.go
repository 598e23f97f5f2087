package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

func dontWantBody(t *testing.T, what string, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.Body, s) {
			t.Fatalf("%s: page says %q\n%s", what, s, snippet(r.Body))
		}
	}
}

// The practitioner's home table says, for each person they are allocated
// to, what changed since they last looked and what is due, what needs them
// first; a change goes once they open the plan; nobody they are not
// allocated to appears.
func TestHomePractitionerNextSteps(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			// Someone else the practitioner works with, first by name.
			early := &alongside.User{Name: "Aaron Early", Email: "aaron@example.org"}
			must(t, w.store.Accounts.CreateUser(ctx, early, alongside.Membership{Role: alongside.RolePerson, ServiceID: w.svcA.ID}))
			must(t, w.store.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: w.svcA.ID, PractitionerID: w.users["practitioner"].ID, PersonID: early.ID}))

			person, prac, other := w.as("person"), w.as("practitioner"), w.as("otherPerson")
			plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
			home := prac.get("/home")
			wantBody(t, "nothing written", home, "Pat Person", "Aaron Early", "Nothing new", "Nothing due")
			if strings.Index(home.Body, "Aaron Early") > strings.Index(home.Body, "Pat Person") {
				t.Fatal("with nothing to do, people are not in name order")
			}

			now := w.store.Clock.Now()
			yesterday, later := now.AddDate(0, 0, -1).Format("2006-01-02"), now.AddDate(0, 2, 0).Format("2006-01-02")
			wantStatus(t, "goal overdue", person.post(plan+"/sections/goal-1", url.Values{"version": {"0"}, "title": {"Cook for friends"},
				"status": {"working"}, "review": {yesterday}}), http.StatusSeeOther)
			wantStatus(t, "goal later", person.post(plan+"/sections/goal-2", url.Values{"version": {"0"}, "title": {"Learn to drive"},
				"status": {"working"}, "review": {later}}), http.StatusSeeOther)
			home = prac.get("/home")
			wantBody(t, "new and overdue", home, "New to you", "Overdue", "Cook for friends", "Pat has not signed off the plan yet")
			dontWantBody(t, "a goal two months off", home, "Learn to drive")
			// Showing a goal's title and date is a read of the plan, audited.
			events, _, err := w.store.Audit.PersonActivity(ctx, w.users["person"].ID, 0, 20)
			must(t, err)
			audited := false
			for _, e := range events {
				audited = audited || (e.Action == "plan.view" && e.Detail == "home" && e.ActorID == w.users["practitioner"].ID)
			}
			if !audited {
				t.Fatal("the practitioner's home showed a goal of the person's plan without an audit line")
			}
			if strings.Index(home.Body, "Pat Person") > strings.Index(home.Body, "Aaron Early") {
				t.Fatal("the person with an overdue goal is not first")
			}

			prac.get(plan)
			home = prac.get("/home")
			dontWantBody(t, "after opening the plan", home, "New to you", "changed by Pat")

			wantStatus(t, "person changes strengths", person.post(plan+"/sections/strengths", url.Values{"version": {"0"},
				"strengths": {"Stubborn, in a good way"}}), http.StatusSeeOther)
			wantStatus(t, "person changes crisis", person.post(plan+"/sections/crisis", url.Values{"version": {"0"},
				"helps": {"A walk by the river"}}), http.StatusSeeOther)
			wantBody(t, "changed since", prac.get("/home"), "2 sections changed by Pat", "My crisis plan", "My strengths")

			prac.get(plan)
			dontWantBody(t, "after opening the plan again", prac.get("/home"), "changed by Pat")

			// Someone the practitioner is not allocated to never appears.
			wantStatus(t, "other person writes", other.post(fmt.Sprintf("/people/%d/plan/sections/goal-1", w.users["otherPerson"].ID),
				url.Values{"version": {"0"}, "title": {"Swim again"}, "status": {"working"}, "review": {yesterday}}), http.StatusSeeOther)
			dontWantBody(t, "not allocated", prac.get("/home"), "Robin", "Swim again")
			dontWantBody(t, "another service's practitioner", w.as("otherPractitioner").get("/home"), "Pat Person", "Cook for friends")
			wantBody(t, "their own practitioner", w.as("otherPractitioner").get("/home"), "Robin Otherperson", "Swim again")
		})
	}
}

// The person's home says what changed in their plan and who changed it,
// what is coming up, and has their crisis plan one tap away.
func TestHomePersonNextSteps(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person, prac := w.as("person"), w.as("practitioner")
			plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
			home := person.get("/home")
			crisis := fmt.Sprintf("/people/%d/crisis", w.users["person"].ID)
			wantBody(t, "crisis plan first", home, `href="`+crisis+`"`, "My crisis plan")
			if strings.Index(home.Body, crisis) > strings.Index(home.Body, "Your recovery, your way") {
				t.Fatal("the crisis plan is not the first thing on the person's home")
			}

			soon := w.store.Clock.Now().AddDate(0, 0, 3)
			wantStatus(t, "practitioner writes the crisis plan", prac.post(plan+"/sections/crisis", url.Values{"version": {"0"},
				"helps": {"Quiet, and a cup of tea"}}), http.StatusSeeOther)
			wantStatus(t, "person writes a review", person.post(plan+"/sections/review-1", url.Values{"version": {"0"},
				"held": {w.store.Clock.Now().Format("2006-01-02")}, "next-on": {soon.Format("2006-01-02")}}), http.StatusSeeOther)
			home = person.get("/home")
			wantBody(t, "who changed what", home, "Since you last looked at your plan", "<strong>Priya Practitioner</strong> changed",
				`href="`+plan+`/sections/crisis">My crisis plan</a>`, "Coming up", "A review of the whole plan", soon.Format("2 January 2006"))
			dontWantBody(t, "own changes are not news", home, "<strong>Pat Person</strong>")

			person.get(plan)
			home = person.get("/home")
			wantBody(t, "after reading the plan", home, "Nobody else has changed your plan since you last looked", "A review of the whole plan")
		})
	}
}

// The manager's home shows the review under way and its stage, actions
// due or overdue and surveys open, for their own services only.
func TestHomeManagerNextSteps(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			mgr, otherMgr := w.as("manager"), w.as("otherManager")
			wantBody(t, "review in planning", mgr.get("/home"), "Spring review", "Planning", "Staff survey", "Baseline", "No actions due")

			for !w.review.PlanOpen() {
				must(t, w.store.Reviews.AdvanceReview(ctx, w.review))
			}
			l, err := w.store.Reviews.ReviewStatementSet(ctx, w.review)
			must(t, err)
			yesterday := w.store.Clock.Now().AddDate(0, 0, -1)
			must(t, w.store.ActionPlans.AddAction(ctx, w.review, l, &alongside.Action{What: "Carers' evening", Due: yesterday.Format("2006-01-02")}))
			must(t, w.store.ActionPlans.AddAction(ctx, w.review, l, &alongside.Action{What: "Peer worker post",
				Due: w.store.Clock.Now().AddDate(0, 3, 0).Format("2006-01-02")}))
			home := mgr.get("/home")
			wantBody(t, "overdue action", home, "Action planning", "Overdue", "Carers&#39; evening", "was due "+yesterday.Format("2 January 2006"))
			dontWantBody(t, "an action three months off", home, "Peer worker post")

			other := otherMgr.get("/home")
			dontWantBody(t, "another service's manager", other, "Spring review", "Carers&#39; evening", "Staff survey")
			wantBody(t, "their own", other, "No review under way", "No survey open today")
		})
	}
}

// The network lead's home shows reviews under way and completed this year,
// and the network's surveys open.
func TestHomeLeadNextSteps(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			w.gatheringReview()
			for w.review.Stage != alongside.StageComplete {
				must(t, w.store.Reviews.AdvanceReview(ctx, w.review))
			}
			done := w.review
			must(t, w.store.Reviews.StartReview(ctx, &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.users["practitioner"].ID, Title: "Autumn review"}))
			net := &alongside.Survey{OrgID: w.org.ID, Title: "Network wellbeing survey", Questionnaire: content.DefaultQuestionnaires()[0],
				Body: content.DefaultQuestionnaireFiles()[0], RateLimit: alongside.DefaultSurveyRateLimit, CreatedBy: w.users["lead"].ID}
			today := w.store.Clock.Now().Format("2006-01-02")
			must(t, w.store.Surveys.CreateSurvey(ctx, net, &alongside.Wave{Label: "First round", OpensOn: today, ClosesOn: today}))

			home := w.as("lead").get("/home")
			wantBody(t, "lead", home, "Reviews under way: 2", "Autumn review", "Cedar Court review", "Gathering evidence",
				fmt.Sprintf("Reviews completed in %d: 1", w.store.Clock.Now().Year()), fmt.Sprintf(`href="/reviews/%d/results"`, done.ID),
				"Network wellbeing survey", "First round")
			dontWantBody(t, "a service's own survey is its manager's", home, "Staff survey")
			dontWantBody(t, "another organisation", w.as("otherOrgAdmin").get("/home"), "Network wellbeing survey", "Spring review")
			// The managers of the network's services see its survey too.
			wantBody(t, "manager sees the network survey", w.as("manager").get("/home"), "Network wellbeing survey")
		})
	}
}
