package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"sync"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/cache"
)

// Surveys stores surveys, their waves and responses.
type Surveys struct {
	*db

	// A survey's questionnaire body → its parse. A body never changes once
	// stored, so the version is struct{}; a few hundred bodies are every
	// questionnaire version an organisation runs.
	questionnaires *cache.Cache[string, struct{}, *alongside.Questionnaire]
	// A wave id → its survey's questionnaire, and a survey id → its secret
	// key: neither changes once stored. Bounded by the waves and surveys
	// open at once (answers arrive for those), with room to spare.
	waveQuestionnaires *cache.Cache[int64, struct{}, *alongside.Questionnaire]
	surveySecrets      *cache.Cache[int64, struct{}, []byte]
	// Two waves (and a service) → their paired differences at both
	// counts. A new response changes a count, so another app server's
	// answers are never hidden. Each entry holds one number per
	// respondent, hence the small bound. The join it saves grows with the
	// responses (a wave's summary is read from summed tallies instead, and
	// not cached here).
	pairs *cache.Cache[pairKey, [2]int, map[string][]float64]

	// Folding a wave and reading its tallies take turns in this process on
	// one of a fixed set of locks, chosen by the wave id (waveMutex). Two
	// waves may share a lock; no code holds two at once, so that only
	// makes one wait, never deadlock.
	folding [64]sync.Mutex
}

type pairKey struct{ b, f, service int64 }

func newSurveys(d *db) *Surveys {
	return &Surveys{
		db:                 d,
		questionnaires:     cache.New[string, struct{}, *alongside.Questionnaire]("survey questionnaires", 256),
		waveQuestionnaires: cache.New[int64, struct{}, *alongside.Questionnaire]("wave questionnaires", 1024),
		surveySecrets:      cache.New[int64, struct{}, []byte]("survey secrets", 1024),
		pairs:              cache.New[pairKey, [2]int, map[string][]float64]("paired differences", 256),
	}
}

// Surveys: questionnaires run in waves through an anonymous link. A
// response is stored with the day it came in, keyed hashes of the
// respondent's pairing code and of the form's one-time nonce, and its
// answers; nothing else. Results read tallies that take in a wave's new
// responses when its results are read (foldWave).

// QuestionnaireFile is a questionnaire an organisation can run, with the
// file it was read from.
type QuestionnaireFile struct {
	Questionnaire *alongside.Questionnaire
	Body          string
	Shipped       bool // one of Alongside's own
}

// Questionnaires lists those an organisation can run: Alongside's own, then
// those its administrators added, newest version of each key first.
func (s *Surveys) Questionnaires(ctx context.Context, orgID int64) ([]QuestionnaireFile, error) {
	var out []QuestionnaireFile
	for _, body := range content.DefaultQuestionnaireFiles() {
		q, err := content.ParseQuestionnaire(strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		out = append(out, QuestionnaireFile{q, body, true})
	}
	rows, err := s.query(ctx, "SELECT body FROM questionnaires WHERE org_id = $1 ORDER BY key, version DESC", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		q, err := content.ParseQuestionnaire(strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		out = append(out, QuestionnaireFile{q, body, false})
	}
	return out, rows.Err()
}

// AddQuestionnaire checks a questionnaire file and keeps it for the
// organisation. A bad file is refused whole, with its line-numbered
// problems; a key and version already there is a conflict.
func (s *Surveys) AddQuestionnaire(ctx context.Context, orgID, by int64, body string) (*alongside.Questionnaire, error) {
	q, err := content.ParseQuestionnaire(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	for _, shipped := range content.DefaultQuestionnaires() {
		if shipped.Key == q.Key {
			return nil, alongside.Errorf(alongside.ECONFLICT, "%q is the key of one of Alongside's own questionnaires. Give yours a key of its own.", q.Key)
		}
	}
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO questionnaires (org_id, key, version, body, added_by, added_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, orgID, q.Key, q.Version, body, by, ms(tx.now)); err != nil {
			return err
		}
		return tx.audit("questionnaire.add", "organisation", orgID, orgID, 0, q.Key)
	})
	if alongside.ErrorCode(err) == alongside.ECONFLICT {
		return nil, alongside.Errorf(alongside.ECONFLICT, "Version %d of %q is loaded already. Raise the version in the file to load a changed one.", q.Version, q.Key)
	}
	return q, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// CreateSurvey starts a survey with its first wave, the baseline.
func (s *Surveys) CreateSurvey(ctx context.Context, sv *alongside.Survey, first *alongside.Wave) error {
	if err := sv.Validate(); err != nil {
		return err
	}
	if err := first.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		sv.CreatedAt, sv.Version = tx.now, 1
		var service any
		if sv.ServiceID != 0 {
			service = sv.ServiceID
		}
		if err := tx.QueryRowContext(tx.ctx, `INSERT INTO surveys (org_id, service_id, title, questionnaire, rate_limit, secret, created_by, created_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id`, sv.OrgID, service, sv.Title, sv.Body, sv.RateLimit, randomHex(32),
			sv.CreatedBy, ms(tx.now)).Scan(&sv.ID); err != nil {
			return err
		}
		first.Baseline = true
		if err := tx.insertWave(sv, first); err != nil {
			return err
		}
		sv.Waves = []alongside.Wave{*first}
		return tx.audit("survey.create", "survey", sv.ID, sv.OrgID, sv.ServiceID, sv.Title)
	})
}

func (tx *Tx) insertWave(sv *alongside.Survey, w *alongside.Wave) error {
	w.SurveyID, w.Token, w.Version = sv.ID, randomHex(16), 1
	return tx.QueryRowContext(tx.ctx, `INSERT INTO survey_waves (survey_id, label, baseline, opens_on, closes_on, token)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, sv.ID, w.Label, w.Baseline, w.OpensOn, w.ClosesOn, w.Token).Scan(&w.ID)
}

// AddWave adds a follow-up wave to a survey.
func (s *Surveys) AddWave(ctx context.Context, sv *alongside.Survey, w *alongside.Wave) error {
	if err := w.Validate(); err != nil {
		return err
	}
	w.Baseline = false
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.insertWave(sv, w); err != nil {
			return err
		}
		return tx.audit("survey.wave", "survey", sv.ID, sv.OrgID, sv.ServiceID, w.Label)
	})
}

// SetWaveDates changes a wave's name and when it is open, such as closing
// it early, from the version the manager saw (w.Version): a stale save is an
// ECONFLICT and changes nothing.
func (s *Surveys) SetWaveDates(ctx context.Context, sv *alongside.Survey, w *alongside.Wave) error {
	if err := w.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(tx.ctx, `UPDATE survey_waves SET label = $1, opens_on = $2, closes_on = $3, version = version + 1
			WHERE id = $4 AND survey_id = $5 AND version = $6`,
			w.Label, w.OpensOn, w.ClosesOn, w.ID, sv.ID, w.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return alongside.Errorf(alongside.ECONFLICT, "Someone changed this wave while you were looking at it. What is saved now is shown above the form; your version is in the form. Save again to keep yours.")
		}
		w.Version++
		return tx.audit("survey.wave_dates", "survey", sv.ID, sv.OrgID, sv.ServiceID, w.Label)
	})
}

// SetSurveyRateLimit changes how many answers a minute each link takes,
// from the version the manager saw.
func (s *Surveys) SetSurveyRateLimit(ctx context.Context, sv *alongside.Survey, limit int) error {
	old := sv.RateLimit
	sv.RateLimit = limit
	if err := sv.Validate(); err != nil {
		sv.RateLimit = old
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(tx.ctx, "UPDATE surveys SET rate_limit = $1, version = version + 1 WHERE id = $2 AND version = $3", limit, sv.ID, sv.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return alongside.Errorf(alongside.ECONFLICT, "Someone changed this survey while you were looking at it. The page now shows what is saved.")
		}
		sv.Version++
		return tx.audit("survey.rate_limit", "survey", sv.ID, sv.OrgID, sv.ServiceID, "")
	})
}

const surveyColumns = `sv.id, sv.org_id, COALESCE(sv.service_id, 0), COALESCE(se.name, ''), sv.title, sv.questionnaire, sv.rate_limit,
	sv.created_by, sv.created_at, sv.version`

// scanSurvey reads surveyColumns, then any columns after them into more.
func (s *Surveys) scanSurvey(row scanner, more ...any) (*alongside.Survey, error) {
	var sv alongside.Survey
	var at int64
	if err := row.Scan(append([]any{&sv.ID, &sv.OrgID, &sv.ServiceID, &sv.ServiceName, &sv.Title, &sv.Body, &sv.RateLimit, &sv.CreatedBy, &at, &sv.Version}, more...)...); err != nil {
		return nil, err
	}
	sv.CreatedAt = fromMS(at)
	q, err := s.parsedQuestionnaire(sv.Body)
	if err != nil {
		return nil, err
	}
	sv.Questionnaire = q
	return &sv, nil
}

// parsedQuestionnaire parses a survey's frozen questionnaire once per
// process: answers and results read it on every request.
func (s *Surveys) parsedQuestionnaire(body string) (*alongside.Questionnaire, error) {
	if q, ok := s.questionnaires.Get(body, struct{}{}); ok {
		return q, nil
	}
	q, err := content.ParseQuestionnaire(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	s.questionnaires.Put(body, struct{}{}, q)
	return q, nil
}

// Survey returns a survey with its waves.
func (s *Surveys) Survey(ctx context.Context, id int64) (*alongside.Survey, error) {
	sv, err := s.scanSurvey(s.queryRow(ctx, "SELECT "+surveyColumns+" FROM surveys sv LEFT JOIN services se ON se.id = sv.service_id WHERE sv.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("survey")
	} else if err != nil {
		return nil, err
	}
	sv.Waves, err = s.waves(ctx, "WHERE survey_id = $1 ORDER BY id", id)
	return sv, err
}

// unfoldedResponses is the general SQL for how many of the wave
// survey_waves.id's responses are not yet folded.
const unfoldedResponses = "(SELECT COUNT(*) FROM survey_responses r WHERE r.wave_id = survey_waves.id AND NOT r.folded)"

func (s *Surveys) waves(ctx context.Context, where string, args ...any) ([]alongside.Wave, error) {
	// A wave's responses are counted from its tallies and its responses
	// not yet folded into them (foldWave), in one statement, so the count
	// is exact whoever folds meanwhile; not from a counter every answer
	// would queue on.
	rows, err := s.query(ctx, `SELECT id, survey_id, label, baseline, opens_on, closes_on, token, version,
		(SELECT COALESCE(SUM(n), 0) FROM survey_item_tallies t WHERE t.wave_id = survey_waves.id AND t.item = '') + `+s.dialect.unfoldedResponses+`
		FROM survey_waves `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Wave
	for rows.Next() {
		var w alongside.Wave
		if err := rows.Scan(&w.ID, &w.SurveyID, &w.Label, &w.Baseline, &w.OpensOn, &w.ClosesOn, &w.Token, &w.Version, &w.Responses); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Surveys lists an organisation's surveys, newest first: those of one
// service and the network's own when serviceID is given, all otherwise.
func (s *Surveys) Surveys(ctx context.Context, orgID, serviceID int64) ([]alongside.Survey, error) {
	rows, err := s.query(ctx, "SELECT "+surveyColumns+` FROM surveys sv LEFT JOIN services se ON se.id = sv.service_id
		WHERE sv.org_id = $1 AND ($2 = 0 OR sv.service_id = $2 OR sv.service_id IS NULL) ORDER BY sv.id DESC`, orgID, serviceID)
	if err != nil {
		return nil, err
	}
	var out []alongside.Survey
	for rows.Next() {
		sv, err := s.scanSurvey(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *sv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Every survey's waves in one query.
	ws, err := s.waves(ctx, `WHERE survey_id IN (SELECT id FROM surveys sv WHERE sv.org_id = $1
		AND ($2 = 0 OR sv.service_id = $2 OR sv.service_id IS NULL)) ORDER BY id`, orgID, serviceID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*alongside.Survey{}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, w := range ws {
		byID[w.SurveyID].Waves = append(byID[w.SurveyID].Waves, w)
	}
	return out, nil
}

// WaveByToken finds the survey and wave an anonymous link leads to, in one
// query: answers arrive many at once. Its waves' Responses are not counted.
func (s *Surveys) WaveByToken(ctx context.Context, token string) (*alongside.Survey, *alongside.Wave, error) {
	rows, err := s.query(ctx, "SELECT "+surveyColumns+`, w.id, w.label, w.baseline, w.opens_on, w.closes_on, w.token
		FROM surveys sv JOIN survey_waves w ON w.survey_id = sv.id LEFT JOIN services se ON se.id = sv.service_id
		WHERE sv.id = (SELECT survey_id FROM survey_waves WHERE token = $1) ORDER BY w.id`, token)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var sv *alongside.Survey
	for rows.Next() {
		var wv alongside.Wave
		one, err := s.scanSurvey(rows, &wv.ID, &wv.Label, &wv.Baseline, &wv.OpensOn, &wv.ClosesOn, &wv.Token)
		if err != nil {
			return nil, nil, err
		}
		if sv == nil {
			sv = one
		}
		wv.SurveyID = sv.ID
		sv.Waves = append(sv.Waves, wv)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if sv != nil {
		for i := range sv.Waves {
			if sv.Waves[i].Token == token {
				return sv, &sv.Waves[i], nil
			}
		}
	}
	return nil, nil, notFound("survey")
}

// surveySecret is the survey's own key for hashing pairing codes and form
// nonces, which never leaves the store. It never changes, so each process
// reads it once.
func (s *Surveys) surveySecret(ctx context.Context, surveyID int64) ([]byte, error) {
	if k, ok := s.surveySecrets.Get(surveyID, struct{}{}); ok {
		return k, nil
	}
	var secret string
	if err := s.queryRow(ctx, "SELECT secret FROM surveys WHERE id = $1", surveyID).Scan(&secret); err != nil {
		return nil, err
	}
	k := []byte(secret)
	s.surveySecrets.Put(surveyID, struct{}{}, k)
	return k, nil
}
