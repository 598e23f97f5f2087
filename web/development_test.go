package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// ratings answers every framework item with the same rating, marking the
// first item of each group as a need.
func ratings(r string) url.Values {
	v := url.Values{}
	pc := content.DefaultPractice()
	for _, g := range alongside.FrameworkGroups {
		for i, it := range pc.InGroup(g) {
			v.Set("r-"+it.Key, r)
			if i == 0 {
				v.Set("n-"+it.Key, "yes")
			}
		}
	}
	return v
}

// partForm is the form of one part of the self-assessment: the part's
// answers from all (every item's "r-" and "n-" fields), the version the page
// showed and the button pressed.
func partForm(part alongside.SelfAssessmentPart, all url.Values, version, move string) url.Values {
	v := url.Values{"part": {fmt.Sprint(part.Number)}, "version": {version}, "go": {move}}
	for _, it := range part.Items {
		for _, k := range []string{"r-" + it.Key, "n-" + it.Key} {
			if x := all.Get(k); x != "" {
				v.Set(k, x)
			}
		}
	}
	return v
}

// shownVersion is the draft version a self-assessment page was shown from.
func shownVersion(t *testing.T, r response) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("the page has no version field:\n%s", r.Body)
	}
	return m[1]
}

// walkSelfAssessment answers every part in turn with all, as a person
// pressing "Save and go to part N" would, and returns the last response.
func walkSelfAssessment(t *testing.T, c *client, base string, all url.Values) response {
	t.Helper()
	var r response
	for _, part := range content.DefaultPractice().SelfAssessmentParts() {
		page := c.get(fmt.Sprintf("%s/self-assessment?part=%d", base, part.Number))
		r = c.post(base+"/self-assessment", partForm(part, all, shownVersion(t, page), "next"))
		wantStatus(t, fmt.Sprintf("part %d", part.Number), r, http.StatusSeeOther)
	}
	return r
}

// checked is how a page shows an item's rating as chosen.
func checked(key, rating string) string {
	return fmt.Sprintf(`id="r-%s-%s" name="r-%s" value="%s" checked`, key, rating, key, rating)
}

// A self-assessment must rate every item; what was chosen is kept when it
// is sent back, and repeating it shows change by framework group.
func TestSelfAssessmentOverTime(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			prac := w.as("practitioner")
			base := fmt.Sprintf("/practitioners/%d", w.users["practitioner"].ID)
			parts := content.DefaultPractice().SelfAssessmentParts()
			first, last := parts[0].Items[0].Key, parts[0].Items[len(parts[0].Items)-1].Key

			wantBody(t, "nothing yet", prac.get(base+"/development"), "You have not done a self-assessment yet")
			partial := ratings("2")
			partial.Del("r-" + last)
			r := prac.post(base+"/self-assessment", partForm(parts[0], partial, "0", "next"))
			wantStatus(t, "an item left out", r, http.StatusUnprocessableEntity)
			wantBody(t, "says which, keeps the rest", r, "Choose how this sits with you now", checked(first, "2"))

			wantStatus(t, "first", walkSelfAssessment(t, prac, base, ratings("2")), http.StatusSeeOther)
			w.store.Clock.(*alongside.FixedClock).Advance(20 * 60 * 1e9) // within the session's idle time
			wantBody(t, "form starts from the last answers", prac.get(base+"/self-assessment"), checked(first, "2"))
			wantStatus(t, "second", walkSelfAssessment(t, prac, base, ratings("3")), http.StatusSeeOther)
			page := prac.get(base + "/development")
			wantBody(t, "chart and table", page, "2 self-assessments", "<svg", "Mean rating by framework group", "<td class=\"num\">3.0</td>", "<td class=\"num\">2.0</td>")
			if strings.Index(page.Body, ">3.0<") > strings.Index(page.Body, ">2.0<") {
				t.Fatal("the newest self-assessment is not listed first")
			}
			wantStatus(t, "the supervisor does not see it", w.as("supervisor").get(base+"/development"), http.StatusForbidden)
		})
	}
}

// The self-assessment is in parts, one a page, with progress shown; the
// answers are kept on the server between parts (a new sign-in finds them),
// going back keeps them, and the whole saved at the end is what the old
// one-page form saved.
func TestSelfAssessmentInParts(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			prac := w.as("practitioner")
			id := w.users["practitioner"].ID
			base := fmt.Sprintf("/practitioners/%d", id)
			pc := content.DefaultPractice()
			parts := pc.SelfAssessmentParts()
			if len(parts) < 4 {
				t.Fatalf("the framework's %d items come in %d parts", len(pc.Framework), len(parts))
			}
			part := func(n int) string { return fmt.Sprintf("%s/self-assessment?part=%d", base, n) }
			all := ratings("2")
			// Vary the answers, so that a mix-up between items would show.
			for i, it := range pc.Framework {
				all.Set("r-"+it.Key, fmt.Sprint(1+i%4))
			}

			// Part 1 shows its own items only, and says how far through.
			r := prac.get(base + "/self-assessment")
			wantBody(t, "part 1", r, fmt.Sprintf("Self-assessment: part 1 of %d", len(parts)), parts[0].Title(), parts[0].Items[0].Text,
				"Save and go to part 2", "Keep my answers and finish later")
			if strings.Contains(r.Body, parts[1].Items[0].Text) {
				t.Fatal("part 1 shows an item of part 2")
			}
			r = prac.post(base+"/self-assessment", partForm(parts[0], all, shownVersion(t, r), "next"))
			wantStatus(t, "part 1 saved", r, http.StatusSeeOther)
			if r.Location != part(2) {
				t.Fatalf("part 1 went on to %q, not %q", r.Location, part(2))
			}
			r = prac.get(part(2))
			wantBody(t, "part 2 with progress", r, fmt.Sprintf("Self-assessment: part 2 of %d", len(parts)), parts[1].Title(),
				"Part 1, "+parts[0].Title()+": answered", "Part 2, "+parts[1].Title()+": this page", "Back to part 1")

			// Kept on the server: a new sign-in, in another browser, finds
			// part 1 answered and goes on from part 2.
			other := w.as("practitioner")
			wantBody(t, "My development says so", other.get(base+"/development"), fmt.Sprintf("1 of %d parts answered", len(parts)), "Carry on with my self-assessment")
			r = other.get(base + "/self-assessment")
			wantBody(t, "carries on at part 2", r, fmt.Sprintf("part 2 of %d", len(parts)))
			wantBody(t, "part 1's answers are there", other.get(part(1)), checked(parts[0].Items[1].Key, all.Get("r-"+parts[0].Items[1].Key)))

			// Going back from part 2, half answered, keeps what was
			// answered there; "later" keeps it too.
			half := url.Values{}
			k0, k1 := parts[1].Items[0].Key, parts[1].Items[1].Key
			half.Set("r-"+k0, "4")
			half.Set("n-"+k0, "yes")
			r = prac.get(part(2))
			r = prac.post(base+"/self-assessment", partForm(parts[1], half, shownVersion(t, r), "back"))
			wantStatus(t, "back", r, http.StatusSeeOther)
			if r.Location != part(1) {
				t.Fatalf("back went to %q", r.Location)
			}
			r = prac.get(part(2))
			wantBody(t, "part 2 as left", r, checked(k0, "4"), `id="n-`+k0+`" name="n-`+k0+`" value="yes" checked`)
			if strings.Contains(r.Body, `name="r-`+k1+`" value="`+all.Get("r-"+k1)+`" checked`) {
				t.Fatal("an item left unanswered came back answered")
			}
			wantBody(t, "still part 2 to carry on", prac.get(base+"/development"), fmt.Sprintf("1 of %d parts answered", len(parts)))

			// The rest, part by part; the last saves the whole.
			var last response
			for _, p := range parts[1:] {
				page := prac.get(part(p.Number))
				last = prac.post(base+"/self-assessment", partForm(p, all, shownVersion(t, page), "next"))
				wantStatus(t, fmt.Sprintf("part %d", p.Number), last, http.StatusSeeOther)
			}
			if last.Location != base+"/development" {
				t.Fatalf("the last part went to %q", last.Location)
			}
			page := prac.get(base + "/development")
			wantBody(t, "saved", page, "Self-assessment saved", "1 self-assessment")
			if strings.Contains(page.Body, "under way") {
				t.Fatal("a finished self-assessment is still shown as under way")
			}

			// What is kept is what the one-page form kept for the same
			// answers: every framework item's rating and need.
			as, err := w.store.Development.SelfAssessments(ctx, id)
			must(t, err)
			if len(as) != 1 {
				t.Fatalf("%d self-assessments kept", len(as))
			}
			old := map[string]alongside.ItemRating{}
			for _, it := range pc.Framework {
				v, _ := strconv.Atoi(all.Get("r-" + it.Key))
				old[it.Key] = alongside.ItemRating{Rating: v, Need: all.Get("n-"+it.Key) == "yes"}
			}
			if !reflect.DeepEqual(as[0].Ratings, old) {
				t.Fatalf("kept %v\nthe one-page form kept %v", as[0].Ratings, old)
			}
			if as[0].ContentVersion != pc.Version {
				t.Fatalf("content version %q, not %q", as[0].ContentVersion, pc.Version)
			}
			d, err := w.store.Development.SelfAssessmentDraft(ctx, id)
			must(t, err)
			if d.Version != 0 || len(d.Ratings) != 0 {
				t.Fatalf("the draft is left behind: %+v", d)
			}
			wantStatus(t, "a part that is not there", prac.get(part(len(parts)+1)), http.StatusNotFound)
		})
	}
}

// Two tabs on one part: the second save, from the version its page showed,
// is refused with what the first saved shown beside its own answers, kept;
// nothing of the first is overwritten until it is saved again knowingly.
// Finishing in one tab makes a part from the other a clash too.
func TestSelfAssessmentPartConflict(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			prac := w.as("practitioner")
			id := w.users["practitioner"].ID
			base := fmt.Sprintf("/practitioners/%d", id)
			parts := content.DefaultPractice().SelfAssessmentParts()
			key := parts[0].Items[0].Key

			tabA, tabB := prac.get(base+"/self-assessment"), prac.get(base+"/self-assessment")
			wantStatus(t, "tab A", prac.post(base+"/self-assessment", partForm(parts[0], ratings("2"), shownVersion(t, tabA), "next")), http.StatusSeeOther)
			r := prac.post(base+"/self-assessment", partForm(parts[0], ratings("3"), shownVersion(t, tabB), "next"))
			wantStatus(t, "tab B, stale", r, http.StatusConflict)
			wantBody(t, "says so, shows tab A's answer, keeps B's", r, "saved in another window or tab",
				"Saved in the other window or tab:</strong> Developing", checked(key, "3"), `name="version" value="1"`)
			d, err := w.store.Development.SelfAssessmentDraft(ctx, id)
			must(t, err)
			if d.Ratings[key].Rating != 2 || d.Version != 1 {
				t.Fatalf("the stale save changed the draft: %+v", d.Ratings[key])
			}
			// Saving again from the version shown is a knowing choice.
			wantStatus(t, "tab B again", prac.post(base+"/self-assessment", partForm(parts[0], ratings("3"), "1", "next")), http.StatusSeeOther)
			d, err = w.store.Development.SelfAssessmentDraft(ctx, id)
			must(t, err)
			if d.Ratings[key].Rating != 3 {
				t.Fatalf("tab B's second save was not kept: %+v", d.Ratings[key])
			}

			// Tab C opens the last part; tab D finishes; C's save is a clash.
			tabC := prac.get(fmt.Sprintf("%s/self-assessment?part=%d", base, len(parts)))
			walkSelfAssessment(t, prac, base, ratings("4"))
			r = prac.post(base+"/self-assessment", partForm(parts[len(parts)-1], ratings("1"), shownVersion(t, tabC), "next"))
			wantStatus(t, "after finishing elsewhere", r, http.StatusConflict)
			wantBody(t, "says it is finished", r, "finished in another window or tab", `name="version" value="0"`)
			as, err := w.store.Development.SelfAssessments(ctx, id)
			must(t, err)
			if len(as) != 1 || as[0].Ratings[key].Rating != 4 {
				t.Fatalf("after the clash: %d self-assessments, the first item rated %d", len(as), as[0].Ratings[key].Rating)
			}
		})
	}
}

// The plan: objectives written with a status, kept through a clash, shared
// with the supervisor who comments and signs off; withdrawing sharing
// takes effect at once.
func TestDevelopmentPlanSharedCommentedSignedOff(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			prac, sup := w.as("practitioner"), w.as("supervisor")
			plan := fmt.Sprintf("/practitioners/%d/development-plan", w.users["practitioner"].ID)
			pc := content.DefaultPractice()
			need := pc.InGroup(alongside.KindSkills)[0]

			obj := url.Values{"need_item": {need.Key}, "need": {"I rush goal setting"}, "objective": {"Let people set goals in their own words"},
				"status": {"planned"}, "activity_kind": {pc.Activities[0].Key}, "activity": {"Shadow a peer worker"},
				"activity_status": {"booked"}, "target_date": {"2027-03-31"}, "links": {"https://example.org/notes\nnot a link"}}
			r := prac.post(plan+"/objectives", obj)
			wantStatus(t, "a bad link", r, http.StatusUnprocessableEntity)
			wantBody(t, "says so, keeps the words", r, "starting with https://", "Let people set goals in their own words", "not a link")
			obj.Set("links", "https://example.org/notes")
			r = prac.post(plan+"/objectives", obj)
			wantStatus(t, "saved", r, http.StatusSeeOther)
			wantBody(t, "listed", prac.get(plan), "Let people set goals in their own words", need.Text, "Booked", "https://example.org/notes")

			dp, err := w.store.Development.DevelopmentPlan(ctx, w.users["practitioner"].ID)
			must(t, err)
			edit := fmt.Sprintf("%s/objectives/%d", plan, dp.Objectives[0].ID)
			obj.Set("version", "1")
			obj.Set("status", "under-way")
			wantStatus(t, "changed", prac.post(edit, obj), http.StatusSeeOther)
			obj.Set("objective", "Written in another tab")
			r = prac.post(edit, obj) // still from version 1
			wantStatus(t, "a stale change", r, http.StatusConflict)
			wantBody(t, "shows what is saved, keeps the writer's text", r, "changed in another window", "What is saved now", "“Let people set goals in their own words”", "Written in another tab", `name="version" value="2"`)

			wantBody(t, "the supervisor finds it from home", sup.get("/home"), "Development plans shared with you", plan)
			wantBody(t, "and reads it", sup.get(plan), "Let people set goals in their own words", "Sign off the plan")
			wantStatus(t, "an empty comment", sup.post(plan+"/comments", url.Values{"comment": {"  "}}), http.StatusUnprocessableEntity)
			wantStatus(t, "comment", sup.post(plan+"/comments", url.Values{"comment": {"Good choice: try it in supervision first."}}), http.StatusSeeOther)
			wantStatus(t, "sign off", sup.post(plan+"/sign-off", url.Values{"note": {"Agreed at supervision"}}), http.StatusSeeOther)
			wantBody(t, "the practitioner sees both", prac.get(plan), "Good choice: try it in supervision first.", "Signed off by Sam Supervisor", "Agreed at supervision")
			wantStatus(t, "a colleague not shared with", w.as("otherPractitioner").get(plan), http.StatusNotFound) // of another service
			wantStatus(t, "not the supervisor's to write", sup.post(plan+"/objectives", obj), http.StatusForbidden)

			w.store.Clock.(*alongside.FixedClock).Advance(60 * 1e9)
			obj.Set("version", "2")
			wantStatus(t, "changed after sign-off", prac.post(edit, obj), http.StatusSeeOther)
			wantBody(t, "says so", prac.get(plan), "It has changed since.")

			wantStatus(t, "withdraw sharing", prac.post(plan+"/sharing", url.Values{}), http.StatusSeeOther)
			wantStatus(t, "the supervisor no longer sees it", sup.get(plan), http.StatusForbidden)
			wantBody(t, "sharing with a stranger", prac.post(plan+"/sharing", url.Values{"viewer": {fmt.Sprint(w.users["otherManager"].ID)}}), "colleagues in your services and your supervisors only")
		})
	}
}

// A reflection names nobody: a note with a name and a date is refused with
// the answers kept; saved ones show as a trend by tip.
func TestReflectionRefusesNamesAndShowsTrend(t *testing.T) {
	w := newWorld(t, "sqlite")
	prac := w.as("practitioner")
	base := fmt.Sprintf("/practitioners/%d", w.users["practitioner"].ID)
	tips := content.DefaultPractice().Tips
	form := url.Values{tips[0].Key: {"yes"}, tips[1].Key: {"partly"}, "note": {"Saw Jo Bloggs on 3/4 and rushed the end"}}
	r := prac.post(base+"/reflect", form)
	wantStatus(t, "a name and a date", r, http.StatusUnprocessableEntity)
	wantBody(t, "refused, kept", r, "looks like a name with a date", "rushed the end", fmt.Sprintf(`name="%s" value="partly" checked`, tips[1].Key))
	wantStatus(t, "no answers", prac.post(base+"/reflect", url.Values{"note": {"Fine"}}), http.StatusUnprocessableEntity)

	form.Set("note", "I rushed the end; next time I will leave time to agree a small step.")
	r = prac.post(base+"/reflect", form)
	wantStatus(t, "saved", r, http.StatusSeeOther)
	if r.Location != base+"/reflections" {
		t.Fatalf("went to %q", r.Location)
	}
	page := prac.get(base + "/reflections")
	wantBody(t, "trend", page, tips[0].Text, "1 yes, 0 partly, 0 no", "0 yes, 1 partly, 0 no", "next time I will leave time")
	wantBody(t, "by week", prac.get(base+"/reflections?by=week"), "Answers to each tip by week", "Week of", "1 yes, 0 partly, 0 no")
	wantStatus(t, "the supervisor does not see reflections", w.as("supervisor").get(base+"/reflections"), http.StatusForbidden)
}

// The manager sees development needs in total only, and nothing until five
// practitioners stand behind the figures; then exports and attaches them.
func TestDevelopmentTotalsHideSmallNumbers(t *testing.T) {
	w := newWorld(t, "sqlite")
	mgr := w.as("manager")
	totals := fmt.Sprintf("/services/%d/development", w.svcA.ID)
	pc := content.DefaultPractice()
	assess := func(id int64, need bool) {
		a := &alongside.SelfAssessment{PractitionerID: id, Ratings: map[string]alongside.ItemRating{}}
		for _, it := range pc.Framework {
			a.Ratings[it.Key] = alongside.ItemRating{Rating: 2, Need: need && it.Key == pc.Framework[0].Key}
		}
		must(t, w.store.Development.SaveSelfAssessment(ctx, a, pc))
	}
	assess(w.users["practitioner"].ID, true)
	assess(w.users["supervisor"].ID, true)
	for range 2 {
		assess(tempPractitioner(w), false)
	}
	page := mgr.get(totals)
	wantBody(t, "four: nothing shown", page, "Totals are shown once at least 5 practitioners")
	if strings.Contains(page.Body, pc.Framework[0].Text) {
		t.Fatal("an item's count is shown for four practitioners")
	}
	// The export says what the page says, and holds no figure either.
	csv := mgr.get(totals + ".csv")
	wantBody(t, "no figures in the export either", csv, "Totals are shown once at least 5 practitioners")
	if strings.Contains(csv.Body, pc.Framework[0].Text) {
		t.Fatal("an item's count is exported for four practitioners")
	}

	assess(tempPractitioner(w), false)
	wantBody(t, "five: shown", mgr.get(totals), "5 practitioners have done a self-assessment", pc.Framework[0].Text+`</th><td class="num">2</td>`)
	csv = mgr.get(totals + ".csv")
	wantStatus(t, "export", csv, http.StatusOK)
	wantBody(t, "export rows", csv, "Framework area,Item,Practitioners marking it a development need", "Knowledge,All knowledge items,2,5,")

	wantStatus(t, "attach", mgr.post(totals+"/attach", url.Values{"review": {fmt.Sprint(w.review.ID)}}), http.StatusSeeOther)
	ev, err := w.store.Reviews.ReviewEvidence(ctx, w.review.ID)
	must(t, err)
	if len(ev) != 1 || ev[0].Indicator != "staff-supported" || ev[0].Kind != alongside.KindDevelopmentNeeds {
		t.Fatalf("attached %+v", ev)
	}
	wantStatus(t, "another service's review", mgr.post(totals+"/attach", url.Values{"review": {fmt.Sprint(w.gatheringReview().ID)}}), http.StatusUnprocessableEntity)
}
