package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/alongside-recovery/alongside"
)

// On PostgreSQL each statement is a round trip, so the usual save of a
// plan's section (one already written) is one statement. SQLite has none:
// its one writer makes SaveSection's general path a shared commit already.

// saveInOneQuery is a save of a section already written as one PostgreSQL
// statement, through data-modifying CTEs: the compare-and-swap on the
// section's row, which also refuses texts the same as now (compared as
// JSON without the blank fields, as normalised does), then the version
// kept and the audit line, both only if the row changed. All of it is one
// transaction.
const saveInOneQuery = `WITH saved AS (
		UPDATE plan_sections SET version = version + 1, body = $3, changed_by = $4, changed_at = $5
		WHERE person_id = $1 AND section = $2 AND version = $6
		AND COALESCE((SELECT jsonb_object_agg(key, value) FROM jsonb_each_text(body::jsonb) WHERE value <> ''), '{}') <> $7::jsonb
		RETURNING version
	), kept AS (
		INSERT INTO plan_versions (person_id, section, version, body, changed_by, changed_at)
		SELECT $1, $2, version, $3, $4, $5 FROM saved
	), audited AS (
		INSERT INTO audit_events (at, actor_id, actor_email, action, target_kind, target_id, org_id, service_id, ip, request_id, detail)
		SELECT $5, $8::bigint, $9::text, 'plan.save', 'person', $1, (SELECT org_id FROM services WHERE id = $10::bigint), $10::bigint, $11::text, $12::text, $2
		FROM saved
	)
	SELECT version FROM saved`

// saveInOne runs saveInOneQuery. It returns the version kept, or nil if
// nothing was written (a clash, or the same texts).
func (s *Plans) saveInOne(ctx context.Context, personID int64, key string, base int, text alongside.SectionText, body []byte, by, serviceID int64) (*alongside.SectionVersion, error) {
	same, err := json.Marshal(normalised(text))
	if err != nil {
		return nil, err
	}
	st, err := s.prepare(ctx, s.w, s.wstmts, saveInOneQuery)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	o := alongside.OriginFrom(ctx)
	var version int
	err = st.QueryRowContext(ctx, personID, key, string(body), by, ms(now), base, string(same),
		nullID(o.ActorID), o.ActorEmail, nullID(serviceID), o.IP, o.RequestID).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, s.wrap(err)
	}
	return &alongside.SectionVersion{PersonID: personID, Section: key, Version: version, Text: text, ChangedBy: by, ChangedAt: now}, nil
}
