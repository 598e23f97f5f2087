package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// network is an organisation with its statement set and who works in it.
type network struct {
	org  *alongside.Organisation
	set  *alongside.StatementSet
	hash string // one password hash for every account (hashing is slow, and never measured)
	lead *alongside.User
}

func newNetwork(ctx context.Context, s *sqlstore.Store) (*network, error) {
	n := &network{org: &alongside.Organisation{Name: "Lochside Recovery Network"}}
	if err := s.Organisations.CreateOrganisation(ctx, n.org); err != nil {
		return nil, err
	}
	l, err := s.Organisations.CurrentStatementSet(ctx, n.org.ID)
	if err != nil {
		return nil, err
	}
	n.set = l.Set
	if n.hash, err = auth.HashPassword(auth.TestParams, "correct horse battery staple"); err != nil {
		return nil, err
	}
	n.lead = &alongside.User{Name: "Niamh Lead", Email: "lead@example.org", PasswordHash: n.hash}
	return n, s.Accounts.CreateUser(ctx, n.lead, alongside.Membership{Role: alongside.RoleNetworkLead, OrgID: n.org.ID})
}

// service adds service number i with its manager, who coordinates its reviews.
func (n *network) service(ctx context.Context, s *sqlstore.Store, i int) (*alongside.Service, *alongside.User, error) {
	sv := &alongside.Service{OrgID: n.org.ID, Name: serviceName(i), Description: "Supported living."}
	if err := s.Organisations.CreateService(ctx, sv); err != nil {
		return nil, nil, err
	}
	m := &alongside.User{Name: personName(i), Email: fmt.Sprintf("manager%04d@example.org", i), PasswordHash: n.hash}
	return sv, m, s.Accounts.CreateUser(ctx, m, alongside.Membership{Role: alongside.RoleServiceManager, ServiceID: sv.ID})
}

// gathering starts a review of sv and moves it on to evidence gathering.
func gathering(ctx context.Context, s *sqlstore.Store, sv *alongside.Service, coordinator *alongside.User, title string) (*alongside.Review, error) {
	r := &alongside.Review{ServiceID: sv.ID, CoordinatorID: coordinator.ID, Title: title}
	if err := s.Reviews.StartReview(ctx, r); err != nil {
		return nil, err
	}
	return r, s.Reviews.AdvanceReview(ctx, r)
}

var (
	places = []string{"Birchwood", "Harbour", "Thistle", "Cedar", "Rowan", "Loch", "Glen", "Heather", "Bramble", "Willow", "Kelpie", "Aspen"}
	kinds  = []string{"Court", "House", "View", "Gardens", "Supported Living", "Lodge", "Place"}
	firsts = []string{"Aileen", "Bashir", "Catriona", "Dev", "Eilidh", "Fergus", "Gráinne", "Hamish", "Ines", "Jamie"}
	lasts  = []string{"Anderson", "Baird", "Cameron", "Dunbar", "Ewing", "Fraser", "Gillespie", "Henderson", "Innes"}
)

func serviceName(i int) string {
	return fmt.Sprintf("%s %s %d", places[i%len(places)], kinds[(i/len(places))%len(kinds)], i+1)
}

func personName(i int) string {
	return firsts[i%len(firsts)] + " " + lasts[(i/len(firsts))%len(lasts)]
}

// evidenceText is a plausible written example, 100–300 characters.
func evidenceText(indicator string, k int) string {
	parts := []string{
		"In the team meeting we talked through how this works day to day.",
		"One person told us staff had helped them phone the housing office and went with them to the appointment.",
		"The care plan for the last three people showed their own words, with small steps and dates agreed together.",
		"A carer said they had been kept informed, with the person's agreement, and knew who to call.",
	}
	t := fmt.Sprintf("%s (%s, note %d) ", parts[k%len(parts)], indicator, k)
	for len(t) < 100+(k*37)%200 {
		t += parts[(k+len(t))%len(parts)] + " "
	}
	return strings.TrimSpace(t[:min(len(t), 300)])
}

// rating is a deterministic answer that is not always the same: mostly 2–5,
// now and then N/A.
func rating(sheet, statement int) int {
	v := (sheet*7 + statement*3) % 11
	if v == 0 {
		return alongside.NotApplicable
	}
	return 1 + v%5
}

// sheet rates every statement set asks of source; withEvidence adds a
// written example for each indicator.
func sheet(set *alongside.StatementSet, source alongside.EvidenceSource, k int, withEvidence bool, by int64) *alongside.EvidenceSheet {
	sh := &alongside.EvidenceSheet{Source: source, Paper: !source.Document(), EnteredBy: by,
		Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}
	if source.Document() {
		sh.Reference = fmt.Sprintf("R%d", k)
	}
	for _, in := range set.Indicators {
		for i := range in.For(source) {
			sh.Ratings[alongside.StatementRef{Indicator: in.Key, N: i + 1}] = rating(k, i+len(in.Key))
		}
		if withEvidence {
			sh.Evidence[in.Key] = evidenceText(in.Key, k+len(in.Key))
		}
	}
	return sh
}

// mix is how many sheets of each source a review gets.
type mix []struct {
	source alongside.EvidenceSource
	n      int
}

// resultsMix is the 300 sheets of the results scenario.
var resultsMix = mix{{alongside.SourceAssessments, 10}, {alongside.SourceCarePlans, 10}, {alongside.SourceServiceInformation, 1},
	{alongside.SourceStaff, 100}, {alongside.SourcePeople, 129}, {alongside.SourceCarers, 50}}

// networkMix is the 30 sheets of each review in the network scenario.
var networkMix = mix{{alongside.SourceAssessments, 5}, {alongside.SourceCarePlans, 5}, {alongside.SourceServiceInformation, 1},
	{alongside.SourceStaff, 8}, {alongside.SourcePeople, 8}, {alongside.SourceCarers, 3}}

func (m mix) total() int {
	t := 0
	for _, x := range m {
		t += x.n
	}
	return t
}

// scaled is the mix with every count divided (for short test runs), at
// least one sheet per source.
func (m mix) scaled(div int) mix {
	out := make(mix, len(m))
	for i, x := range m {
		out[i] = x
		out[i].n = max(1, x.n/div)
	}
	return out
}

// addSheets adds a review's sheets through the store, one transaction
// each, as the site does. Every third sheet has written evidence.
func addSheets(ctx context.Context, s *sqlstore.Store, set *alongside.StatementSet, r *alongside.Review, m mix, by int64) error {
	k := 0
	for _, x := range m {
		for range x.n {
			if err := s.Reviews.AddSheet(ctx, r, set, sheet(set, x.source, k, k%3 == 0, by)); err != nil {
				return fmt.Errorf("sheet %d: %w", k, err)
			}
			k++
		}
	}
	return nil
}

// bulkSheets inserts a review's sheets with SQL, in one transaction: the
// same rows AddSheet writes, without a commit (and an audit line) per
// sheet. Bench-only, for seeding tens of thousands of sheets; the review's
// tallies and profile are still made by the store, by AdvanceReview.
func bulkSheets(ctx context.Context, s *sqlstore.Store, set *alongside.StatementSet, r *alongside.Review, m mix, by int64, at int64) error {
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var ratings, evidence strings.Builder
	var rargs, eargs []any
	k := 0
	for _, x := range m {
		for range x.n {
			sh := sheet(set, x.source, k, k%5 == 0, by)
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO evidence_sheets (review_id, source, reference, paper, entered_by, submitted_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.ID, string(sh.Source), sh.Reference, sh.Paper, by, at).Scan(&id); err != nil {
				return err
			}
			for ref, v := range sh.Ratings {
				if len(rargs) > 0 {
					ratings.WriteString(", ")
				}
				fmt.Fprintf(&ratings, "($%d, $%d, $%d, $%d)", len(rargs)+1, len(rargs)+2, len(rargs)+3, len(rargs)+4)
				rargs = append(rargs, id, ref.Indicator, ref.N, v)
			}
			for key, text := range sh.Evidence {
				if len(eargs) > 0 {
					evidence.WriteString(", ")
				}
				n := len(eargs)
				fmt.Fprintf(&evidence, "($%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6)
				eargs = append(eargs, id, r.ID, string(x.source), key, text, rand.Int64())
			}
			k++
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO sheet_ratings (sheet_id, indicator, n, rating) VALUES "+ratings.String(), rargs...); err != nil {
		return err
	}
	if len(eargs) > 0 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO sheet_evidence (sheet_id, review_id, source, indicator, text, sort_key) VALUES "+evidence.String(), eargs...); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, tallySQL, r.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// tallySQL adds up a review's sheets into review_tallies, as Tx.addSheet
// would have one sheet at a time.
const tallySQL = `INSERT INTO review_tallies (review_id, source, indicator, shard, sheets, comments, na, r1, r2, r3, r4, r5)
	SELECT s.review_id, s.source, r.indicator, 0, COUNT(DISTINCT r.sheet_id),
		(SELECT COUNT(*) FROM sheet_evidence e WHERE e.review_id = s.review_id AND e.source = s.source AND e.indicator = r.indicator),
		SUM(CASE WHEN r.rating = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.rating = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 3 THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.rating = 4 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 5 THEN 1 ELSE 0 END)
	FROM sheet_ratings r JOIN evidence_sheets s ON s.id = r.sheet_id
	WHERE s.review_id = $1 GROUP BY s.review_id, s.source, r.indicator`

// seedNetwork gives the network services each with cycles completed
// reviews of m's sheets, and on each an action plan of three themed
// actions. workers services are seeded at once (PostgreSQL commits in
// parallel; SQLite's one writer takes them in turn).
func seedNetwork(ctx context.Context, s *sqlstore.Store, n *network, services, cycles int, m mix, workers int) error {
	themes := content.DefaultThemes()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := seedService(ctx, s, n, i, cycles, m, themes); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("service %d: %w", i, err)
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range services {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func seedService(ctx context.Context, s *sqlstore.Store, n *network, i, cycles int, m mix, themes []alongside.Theme) error {
	sv, mgr, err := n.service(ctx, s, i)
	if err != nil {
		return err
	}
	for c := range cycles {
		r, err := gathering(ctx, s, sv, mgr, fmt.Sprintf("Review %d", c+1))
		if err != nil {
			return err
		}
		if err := bulkSheets(ctx, s, n.set, r, m, mgr.ID, r.StartedAt.UnixMilli()); err != nil {
			return err
		}
		if err := s.Reviews.AdvanceReview(ctx, r); err != nil { // to action planning: tallies and profile stored
			return err
		}
		for a := range 3 {
			k := i*7 + c*3 + a
			act := &alongside.Action{What: "Agree next steps with the team: " + themes[k%len(themes)].Label, Who: mgr.Name,
				Indicators: []string{n.set.Indicators[k%len(n.set.Indicators)].Key},
				Themes:     []string{themes[k%len(themes)].Key, themes[(k*5+1)%len(themes)].Key}, CreatedBy: mgr.ID}
			if err := s.ActionPlans.AddAction(ctx, r, n.set, act); err != nil {
				return err
			}
		}
		if err := s.Reviews.AdvanceReview(ctx, r); err != nil { // to complete
			return err
		}
	}
	return nil
}
