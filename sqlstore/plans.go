package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/cache"
)

// Plans stores recovery plans, their sharing, progress, next steps and section text.
type Plans struct {
	*db
	links *Links

	// HomeParts bits → the NextSteps query for them: a text made from the
	// code alone, so it never changes (version struct{}); four bits make
	// at most 16.
	nextStepsQueries *cache.Cache[uint8, struct{}, string]
}

func newPlans(d *db, links *Links) *Plans {
	return &Plans{db: d, links: links, nextStepsQueries: cache.New[uint8, struct{}, string]("next steps queries", 16)}
}

// Plan returns a person's plan as it stands. A person who has written
// nothing yet has an empty plan, not an error.
func (s *Plans) Plan(ctx context.Context, personID int64) (*alongside.Plan, error) {
	p := &alongside.Plan{PersonID: personID, Sections: map[string]alongside.SectionVersion{}}
	var signedAt int64
	err := s.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM plan_versions WHERE person_id = $1),
		COALESCE((SELECT signed_version FROM plans WHERE person_id = $1), 0), COALESCE((SELECT signed_at FROM plans WHERE person_id = $1), 0)`, personID).
		Scan(&p.Version, &p.SignedVersion, &signedAt)
	if err != nil {
		return nil, err
	}
	p.SignedAt = fromMS(signedAt)
	rows, err := s.query(ctx, "SELECT "+sectionColumns+" FROM plan_sections v LEFT JOIN users u ON u.id = v.changed_by WHERE v.person_id = $1", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanSectionVersion(rows, personID)
		if err != nil {
			return nil, err
		}
		p.Sections[v.Section] = *v
	}
	return p, rows.Err()
}

// sectionColumns are what scanSectionVersion reads, from plan_sections or
// plan_versions as v, joined to users as u.
const sectionColumns = "v.section, v.version, v.body, COALESCE(v.changed_by, 0), COALESCE(u.name, ''), v.changed_at"

func scanSectionVersion(row scanner, personID int64) (*alongside.SectionVersion, error) {
	v := &alongside.SectionVersion{PersonID: personID}
	var body string
	var at int64
	if err := row.Scan(&v.Section, &v.Version, &body, &v.ChangedBy, &v.ChangedName, &at); err != nil {
		return nil, err
	}
	v.ChangedAt = fromMS(at)
	var err error
	if v.Text, err = decodeSectionText(body); err != nil {
		return nil, err
	}
	return v, nil
}

// SaveSection keeps a new version of one section of a person's plan. base
// is the version the writer started from (0 for a section not yet
// written): if someone else saved the section since, nothing is written and
// the error is a conflict, so that the writer can see both texts and merge
// them. Saving texts identical to the current version keeps no new version.
func (s *Plans) SaveSection(ctx context.Context, personID int64, sec alongside.PlanSection, base int, text alongside.SectionText, by int64, serviceID int64) (*alongside.SectionVersion, error) {
	if err := text.Validate(sec); err != nil {
		return nil, err
	}
	if g, st, ok := alongside.ParseGoalKey(sec.Key); ok && st > 0 {
		// A goal is never deleted, so a goal seen here is there at commit.
		var n int
		if err := s.queryRow(ctx, "SELECT COUNT(*) FROM plan_sections WHERE person_id = $1 AND section = $2",
			personID, alongside.GoalKey(g, 0)).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, alongside.Errorf(alongside.ENOTFOUND, "A small step needs its goal written first.")
		}
	}
	body, err := json.Marshal(text)
	if err != nil {
		return nil, err
	}
	if inOne := s.dialect.saveSectionInOne; inOne != nil && base > 0 {
		// When it writes nothing, the section changed since base or the
		// texts are the same as now: the general path below finds out which.
		if v, err := inOne(s, ctx, personID, sec.Key, base, text, body, by, serviceID); err != nil || v != nil {
			return v, err
		}
	}
	var saved, clash *alongside.SectionVersion
	err = s.writeTogether(ctx, func(tx *Tx) error {
		saved, clash = nil, nil // fn runs again alone if its batch fails
		// The section is read in the write transaction: on SQLite the one
		// writer costs a point read less than a reader's transaction,
		// which starts afresh after every write.
		cur, err := tx.section(personID, sec.Key)
		if err != nil {
			return err
		}
		if cur.Version != base {
			clash = cur
			return nil
		}
		if maps.Equal(normalised(cur.Text), normalised(text)) {
			saved = cur
			return nil
		}
		// Still a compare-and-swap on the section's own row: on PostgreSQL
		// another connection may save it between the read and here.
		var res sql.Result
		if base == 0 {
			res, err = tx.ExecContext(tx.ctx, `INSERT INTO plan_sections (person_id, section, version, body, changed_by, changed_at)
				VALUES ($1, $2, 1, $3, $4, $5) ON CONFLICT (person_id, section) DO NOTHING`, personID, sec.Key, string(body), by, ms(tx.now))
		} else {
			res, err = tx.ExecContext(tx.ctx, `UPDATE plan_sections SET version = version + 1, body = $1, changed_by = $2, changed_at = $3
				WHERE person_id = $4 AND section = $5 AND version = $6`, string(body), by, ms(tx.now), personID, sec.Key, base)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errStale
		}
		v := &alongside.SectionVersion{PersonID: personID, Section: sec.Key, Version: base + 1, Text: text, ChangedBy: by, ChangedAt: tx.now}
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO plan_versions (person_id, section, version, body, changed_by, changed_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, personID, sec.Key, v.Version, string(body), by, ms(tx.now)); err != nil {
			return err
		}
		saved = v
		return tx.audit("plan.save", "person", personID, 0, serviceID, sec.Key)
	})
	if errors.Is(err, errStale) {
		// The compare-and-swap lost to a save from another connection
		// (PostgreSQL only): read who saved it, for the message.
		clash, err = s.section(ctx, personID, sec.Key)
	}
	if err != nil {
		return nil, err
	}
	if clash != nil {
		return nil, alongside.Errorf(alongside.ECONFLICT, "%s saved this section while you were writing. Both texts are below: keep what you want from each, then save.", clash.ChangedName)
	}
	return saved, nil
}

// sectionQuery reads one section as it stands, with the name of who last
// saved it; a section not yet written has no row.
const sectionQuery = "SELECT " + sectionColumns + ` FROM plan_sections v
	LEFT JOIN users u ON u.id = v.changed_by WHERE v.person_id = $1 AND v.section = $2`

// section reads one section as it stands within tx; a section never
// written is version 0.
func (tx *Tx) section(personID int64, key string) (*alongside.SectionVersion, error) {
	return orUnwritten(scanSectionVersion(tx.QueryRowContext(tx.ctx, sectionQuery, personID, key), personID))
}

// section is the same outside a transaction.
func (s *Plans) section(ctx context.Context, personID int64, key string) (*alongside.SectionVersion, error) {
	return orUnwritten(scanSectionVersion(s.queryRow(ctx, sectionQuery, personID, key), personID))
}

func orUnwritten(v *alongside.SectionVersion, err error) (*alongside.SectionVersion, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return &alongside.SectionVersion{}, nil
	}
	return v, err
}

// errStale ends a save whose compare-and-swap found the section changed.
var errStale = errors.New("stale")

// normalised drops empty texts, so that a field left blank equals one never
// written.
func normalised(t alongside.SectionText) alongside.SectionText {
	out := alongside.SectionText{}
	for k, v := range t {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// SectionHistory returns every saved version of one section, newest first.
func (s *Plans) SectionHistory(ctx context.Context, personID int64, section string) ([]alongside.SectionVersion, error) {
	rows, err := s.query(ctx, "SELECT "+sectionColumns+` FROM plan_versions v
		LEFT JOIN users u ON u.id = v.changed_by WHERE v.person_id = $1 AND v.section = $2 ORDER BY v.version DESC`, personID, section)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.SectionVersion
	for rows.Next() {
		v, err := scanSectionVersion(rows, personID)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// SignOffPlan records that the person acknowledges the plan as it stands at
// version (the number of saves it had as they read it). If the plan changed
// since they read it, nothing is recorded.
func (s *Plans) SignOffPlan(ctx context.Context, personID int64, version int, serviceID int64) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(tx.ctx, `INSERT INTO plans (person_id, signed_version, signed_at)
			SELECT $1, $2, $3 WHERE $2 > 0 AND (SELECT COUNT(*) FROM plan_versions WHERE person_id = $1) = $2
			ON CONFLICT (person_id) DO UPDATE SET signed_version = excluded.signed_version, signed_at = excluded.signed_at`,
			personID, version, ms(tx.now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return alongside.Errorf(alongside.ECONFLICT, "Your plan changed while you were reading it. Have a look at it again, then sign it off.")
		}
		return tx.audit("plan.sign_off", "person", personID, 0, serviceID, "")
	})
}

// MarkPlanSeen records that a user has seen a person's plan as it stood at
// version (never going back to an older one).
func (s *Plans) MarkPlanSeen(ctx context.Context, personID, userID int64, version int) error {
	return s.write(ctx, func(tx *Tx) error {
		// The save that made the version seen: changes after it are what
		// the viewer has not seen (Store.NextSteps).
		var seenID int64
		if version > 0 {
			err := tx.QueryRowContext(tx.ctx, "SELECT id FROM plan_versions WHERE person_id = $1 ORDER BY id LIMIT 1 OFFSET $2",
				personID, version-1).Scan(&seenID)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
		}
		_, err := tx.ExecContext(tx.ctx, `INSERT INTO plan_seen (person_id, user_id, plan_version, seen_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, person_id) DO UPDATE SET plan_version = excluded.plan_version, seen_id = excluded.seen_id
			WHERE plan_seen.plan_version < excluded.plan_version OR plan_seen.seen_id < excluded.seen_id`, personID, userID, version, seenID)
		return err
	})
}

// PlansSeen returns the plan version a user last saw of each person's plan.
func (s *Plans) PlansSeen(ctx context.Context, userID int64) (map[int64]int, error) {
	rows, err := s.query(ctx, "SELECT person_id, plan_version FROM plan_seen WHERE user_id = $1", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var person int64
		var v int
		if err := rows.Scan(&person, &v); err != nil {
			return nil, err
		}
		out[person] = v
	}
	return out, rows.Err()
}
