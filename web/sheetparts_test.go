package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// TestAnswerSheetInParts: a carer's sheet through a personal link says how
// long it takes and who reads it, goes a part (an indicator) a page with
// Back and Next and no script, keeps what was answered when they stop and
// open the link again, keeps a part with a problem as typed, and, once
// sent, is one sheet, the link spent and the draft gone. Another link
// never sees the first one's draft.
func TestAnswerSheetInParts(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			rv := w.gatheringReview()
			tokens, err := w.store.Links.IssueInvitations(ctx, rv, alongside.SourceCarers, 2, 7)
			must(t, err)
			link, other := "/answer/"+tokens[0], "/answer/"+tokens[1]
			set, err := w.store.Reviews.ReviewStatementSet(ctx, rv)
			must(t, err)
			var keys []string
			statements := 0
			for _, in := range set.Indicators {
				if n := len(in.For(alongside.SourceCarers)); n > 0 {
					keys, statements = append(keys, in.Key), statements+n
				}
			}
			parts := len(keys)
			carer := w.as("anon")

			// The first page: how long, who reads it, and a way in; no questions yet.
			intro := carer.get(link)
			wantStatus(t, "first page", intro, http.StatusOK)
			wantBody(t, "first page", intro, "About 10 minutes", fmt.Sprintf("%d short statements in %d parts", statements, parts),
				"Who reads your answers", "review team", "at least 5 people", "We do not ask your name", "You can stop and come back", `href="?part=1"`)
			if strings.Contains(intro.Body, `type="radio"`) {
				t.Fatal("the first page already asks the questions")
			}

			// A part a page, with progress, Back and Next.
			p1 := carer.get(link + "?part=1")
			wantBody(t, "part 1", p1, fmt.Sprintf("Part 1 of %d", parts), `name="r-`+keys[0]+`-1"`, `name="go" value="next"`, `name="go" value="back"`)
			if strings.Contains(p1.Body, `name="r-`+keys[1]+`-1"`) {
				t.Fatal("part 1 asks part 2's statements too")
			}
			next := carer.post(link, url.Values{"part": {"1"}, "go": {"next"}, "r-" + keys[0] + "-1": {"4"}, "r-" + keys[0] + "-2": {"na"}, "e-" + keys[0]: {"Help with a housing form"}})
			wantStatus(t, "next from part 1", next, http.StatusSeeOther)
			if !strings.HasSuffix(next.Location, "?part=2") {
				t.Fatalf("Next from part 1 leads to %q", next.Location)
			}
			wantBody(t, "part 2", carer.get(link+"?part=2"), fmt.Sprintf("Part 2 of %d", parts))
			// Back keeps what was chosen on the part left, too.
			back := carer.post(link, url.Values{"part": {"2"}, "go": {"back"}, "r-" + keys[1] + "-1": {"2"}})
			if back.Status != http.StatusSeeOther || !strings.HasSuffix(back.Location, "?part=1") {
				t.Fatalf("Back from part 2: %d to %q", back.Status, back.Location)
			}

			// A problem in a part: the message, what they typed kept, and
			// what was kept before left as it was.
			bad := carer.post(link, url.Values{"part": {"2"}, "go": {"next"}, "r-" + keys[1] + "-1": {"5"}, "e-" + keys[1]: {"Her CHI is 1503751234"}})
			wantStatus(t, "a CHI number in a part", bad, http.StatusUnprocessableEntity)
			wantBody(t, "a CHI number in a part", bad, "There is a problem", "CHI", "Her CHI is 1503751234", `value="5" checked`, fmt.Sprintf("Part 2 of %d", parts))
			odd := carer.post(link, url.Values{"part": {"2"}, "go": {"next"}, "r-" + keys[1] + "-1": {"9"}})
			wantStatus(t, "a rating off the scale", odd, http.StatusUnprocessableEntity)
			wantBody(t, "a rating off the scale", odd, "does not match")

			// They stop; later, a fresh visit to the same link shows what
			// they had answered and takes them back to where they were.
			later := w.as("anon")
			again := later.get(link)
			wantBody(t, "coming back", again, fmt.Sprintf("You have answered 3 of %d statements so far", statements), `href="?part=1"`, "Carry on from part 1")
			kept := later.get(link + "?part=1")
			wantBody(t, "part 1 again", kept, `id="r-`+keys[0]+`-1-4" name="r-`+keys[0]+`-1" value="4" checked`, `value="na" checked`, "Help with a housing form")
			wantBody(t, "part 2 again", later.get(link+"?part=2"), `id="r-`+keys[1]+`-1-2" name="r-`+keys[1]+`-1" value="2" checked`)
			if strings.Contains(later.get(link+"?part=2").Body, "1503751234") {
				t.Fatal("a part refused for a CHI number was kept")
			}

			// Another link sees nothing of it.
			second := w.as("anon")
			if b := second.get(other).Body; strings.Contains(b, "You have answered") || strings.Contains(b, "Carry on") {
				t.Fatal("another link's first page shows this link's draft")
			}
			if b := second.get(other + "?part=1").Body; strings.Contains(b, " checked") || strings.Contains(b, "Help with a housing form") {
				t.Fatal("another link shows this link's answers")
			}

			// The draft is not kept as readable text in the database.
			var sealed string
			if err := w.store.DB().QueryRowContext(ctx, "SELECT sealed FROM sheet_drafts").Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(sealed, "housing") || strings.Contains(sealed, keys[0]) {
				t.Fatalf("the draft is kept readable: %q", sealed)
			}

			// The last part leads to the check, which sends.
			last := later.post(link, url.Values{"part": {fmt.Sprint(parts)}, "go": {"next"}, "r-" + keys[parts-1] + "-1": {"5"}})
			if !strings.HasSuffix(last.Location, fmt.Sprintf("?part=%d", parts+1)) {
				t.Fatalf("Next from the last part leads to %q", last.Location)
			}
			check := later.get(link + fmt.Sprintf("?part=%d", parts+1))
			wantBody(t, "check", check, "Check and send your answers", fmt.Sprintf("You have answered 4 of %d statements", statements), "2 of 2 answered, with examples", "Send my answers")
			done := later.post(link, url.Values{"part": {fmt.Sprint(parts + 1)}, "go": {"send"}})
			wantStatus(t, "send", done, http.StatusOK)
			wantBody(t, "send", done, "Thank you")

			// One sheet, with the answers from every part; the link spent,
			// the draft gone.
			counts, err := w.store.Reviews.SheetCounts(ctx, rv.ID)
			must(t, err)
			if counts[alongside.SourceCarers] != 1 {
				t.Fatalf("%d carers' sheets kept, want 1", counts[alongside.SourceCarers])
			}
			var ratings, examples int
			must(t, w.store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sheet_ratings").Scan(&ratings))
			must(t, w.store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sheet_evidence WHERE text = 'Help with a housing form'").Scan(&examples))
			if ratings != 4 || examples != 1 {
				t.Fatalf("the sheet sent has %d ratings and %d examples from the parts, want 4 and 1", ratings, examples)
			}
			var n int
			must(t, w.store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sheet_drafts").Scan(&n))
			if n != 0 {
				t.Fatalf("%d drafts left after sending", n)
			}
			wantStatus(t, "the link after sending", carer.get(link), http.StatusGone)
			wantStatus(t, "a part after sending", carer.post(link, url.Values{"part": {"1"}, "go": {"next"}, "r-" + keys[0] + "-1": {"3"}}), http.StatusGone)
			must(t, w.store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sheet_drafts").Scan(&n))
			if n != 0 {
				t.Fatal("a part sent after the link was spent was kept")
			}

			// Sending with nothing answered says so, and keeps the link.
			empty := second.post(other, url.Values{"part": {fmt.Sprint(parts + 1)}, "go": {"send"}})
			wantStatus(t, "sending nothing", empty, http.StatusUnprocessableEntity)
			wantBody(t, "sending nothing", empty, "Choose an answer to at least one statement")
			wantStatus(t, "the other link, still good", second.get(other), http.StatusOK)
		})
	}
}

// TestSheetDraftsGoWithTheirLinks: a draft goes when its review stops
// gathering evidence, and when its link expires.
func TestSheetDraftsGoWithTheirLinks(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			rv := w.gatheringReview()
			set, err := w.store.Reviews.ReviewStatementSet(ctx, rv)
			must(t, err)
			short, err := w.store.Links.IssueInvitations(ctx, rv, alongside.SourceStaff, 1, 1)
			must(t, err)
			long, err := w.store.Links.IssueInvitations(ctx, rv, alongside.SourceStaff, 1, 30)
			must(t, err)
			part := func() *alongside.EvidenceSheet {
				return &alongside.EvidenceSheet{Source: alongside.SourceStaff, Ratings: map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: 3}}
			}
			must(t, w.store.Reviews.SaveSheetDraft(ctx, short[0], rv, set, "goals", part(), 2))
			must(t, w.store.Reviews.SaveSheetDraft(ctx, long[0], rv, set, "goals", part(), 2))
			drafts := func() int {
				var n int
				must(t, w.store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sheet_drafts").Scan(&n))
				return n
			}
			w.store.Clock.(*alongside.FixedClock).Advance(48 * time.Hour)
			if n, err := w.store.Reviews.PruneSheetDrafts(ctx); err != nil || n != 1 || drafts() != 1 {
				t.Fatalf("pruning after a day-long link expired: %d deleted (%v), %d left; want 1 and 1", n, err, drafts())
			}
			wantStatus(t, "expired link", w.as("anon").get("/answer/"+short[0]), http.StatusGone)
			must(t, w.store.Reviews.AdvanceReview(ctx, rv))
			if drafts() != 0 {
				t.Fatal("a draft outlived its review's gathering")
			}
		})
	}
}
