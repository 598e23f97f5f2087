package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// Survey responses: keeping one as it arrives, reading them back for
// export, and counting answers through a wave's link.

// valuesList builds the VALUES of a multi-row INSERT: each row's "?" are
// numbered after the arguments already there, which rows may share.
type valuesList struct {
	rows []string
	args []any
}

func (v *valuesList) row(pattern string, args ...any) {
	var b strings.Builder
	for _, r := range pattern {
		if r == '?' {
			v.args = append(v.args, args[0])
			args = args[1:]
			b.WriteString("$" + itoa(int64(len(v.args))))
		} else {
			b.WriteRune(r)
		}
	}
	v.rows = append(v.rows, b.String())
}

func (v *valuesList) sql() string { return strings.Join(v.rows, ", ") }

// Respond keeps one response to a wave. nonce is the one-time value of the
// form it came from: the same form sent twice counts once (duplicate is
// then true, and nothing is written). serviceID is the service a
// respondent to a network survey named, or the survey's own.
//
// A response is one row, its answers in it, and nothing else is written:
// answers arrive many at once, and tallies every answer updated were rows
// they all queued on (and, on PostgreSQL, left millions of dead versions
// after a burst). The wave's tallies take it in when results are next read
// (foldWave).
func (s *Surveys) Respond(ctx context.Context, sv *alongside.Survey, w *alongside.Wave, serviceID int64, a alongside.SurveyAnswer,
	pairCode, nonce string, paper bool) (duplicate bool, err error) {
	q := sv.Questionnaire
	if err := q.Check(a); err != nil {
		return false, err
	}
	code, ok := alongside.NormalisePairCode(pairCode)
	if !ok {
		return false, alongside.Invalid(map[string]string{"pair_code": "Make your code 4 to 40 letters or numbers, or leave it empty."})
	}
	if len(nonce) < 16 {
		return false, alongside.Errorf(alongside.EINVALID, "This form is out of date. Reload the page and answer again.")
	}
	if sv.ServiceID != 0 {
		serviceID = sv.ServiceID
	}
	if !w.OpenOn(s.today()) && !paper {
		return false, alongside.Errorf(alongside.EINVALID, "This survey is closed.")
	}
	secret, err := s.surveySecret(ctx, sv.ID)
	if err != nil {
		return false, err
	}
	keyed := func(v string) string {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(v))
		return hex.EncodeToString(m.Sum(nil))
	}
	var pair string
	if code != "" {
		pair = keyed("pair:" + code)
	}
	given := make(map[string]string, len(q.Items))
	for _, it := range q.Items {
		if v := strings.TrimSpace(a[it.Key]); v != "" {
			given[it.Key] = v
		}
	}
	body, err := json.Marshal(given)
	if err != nil {
		return false, err
	}
	args := []any{w.ID, serviceID, s.Clock.Now().UTC().Format("2006-01-02"), pair, keyed("nonce:" + nonce), paper, string(body)}
	return s.dialect.insertResponse(s, ctx, args)
}

// insertResponseQuery keeps a response ($1 to $7 as Respond gives them),
// unless its form's nonce is there already: then it returns no row.
const insertResponseQuery = `INSERT INTO survey_responses (wave_id, service_id, received_on, pair_code, nonce, paper, answers)
	VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (wave_id, nonce) DO NOTHING RETURNING id`

// insertResponseAlone is the general path: insertResponseQuery in a
// transaction of its own, one statement and so one round trip.
func (s *Surveys) insertResponseAlone(ctx context.Context, args []any) (duplicate bool, err error) {
	var id int64
	err = s.w.QueryRowContext(ctx, insertResponseQuery, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil // the same form again is counted once
	}
	if err != nil {
		return false, s.wrap(err)
	}
	return false, nil
}

// SurveyResponse is one anonymous response, for export.
type SurveyResponse struct {
	WaveID     int64
	Wave       string
	ServiceID  int64 // 0: none given
	Service    string
	ReceivedOn string
	Pair       string // a short pseudonym of the pairing code, the same in every wave; "" for none
	Paper      bool
	Answers    map[string]string
}

// SurveyResponses returns every response of a survey, wave by wave, with
// nothing that ties it to anyone.
func (s *Surveys) SurveyResponses(ctx context.Context, sv *alongside.Survey) ([]SurveyResponse, error) {
	rows, err := s.query(ctx, `SELECT w.id, w.label, COALESCE(r.service_id, 0), COALESCE(se.name, ''), r.received_on, r.pair_code, r.paper, r.answers
		FROM survey_responses r JOIN survey_waves w ON w.id = r.wave_id LEFT JOIN services se ON se.id = r.service_id
		WHERE w.survey_id = $1
		ORDER BY w.id, r.received_on, r.pair_code, r.id`, sv.ID) // not the order responses came in, within a day
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SurveyResponse
	for rows.Next() {
		var r SurveyResponse
		var pair, body string
		if err := rows.Scan(&r.WaveID, &r.Wave, &r.ServiceID, &r.Service, &r.ReceivedOn, &pair, &r.Paper, &body); err != nil {
			return nil, err
		}
		if pair != "" {
			r.Pair = pair[:10]
		}
		r.Answers = map[string]string{}
		if err := json.Unmarshal([]byte(body), &r.Answers); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountLinkAnswers adds n answers (fewer, for n below 0) to those through a wave's link in the
// given minute (Unix minutes) and returns the minute's count with them:
// one atomic increment, so every app server shares the count. The first
// count of a minute prunes the rows of minutes past.
func (s *Surveys) CountLinkAnswers(ctx context.Context, waveID, minute int64, n int) (total int, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO survey_link_counts (wave_id, minute, n) VALUES ($1, $2, $3)
			ON CONFLICT (wave_id, minute) DO UPDATE SET n = survey_link_counts.n + excluded.n RETURNING n`, waveID, minute, n).Scan(&total); err != nil {
			return err
		}
		if total != n {
			return nil
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM survey_link_counts WHERE minute < $1", minute)
		return err
	})
	return total, err
}
