package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
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
	// A wave (and service) → its summary at the wave's response count; two
	// waves (and a service) → their paired differences at both counts. A
	// new response changes a count, so another app server's answers are
	// never hidden. Bounded by the results pages people look at in a day;
	// the differences hold one number per respondent, so fewer.
	summaries *cache.Cache[waveKey, int, *WaveSummary]
	pairs     *cache.Cache[pairKey, [2]int, map[string][]float64]

	// Folding a wave and reading its tallies take turns in this process on
	// one of a fixed set of locks, chosen by the wave id (waveMutex). Two
	// waves may share a lock; no code holds two at once, so that only
	// makes one wait, never deadlock.
	folding [64]sync.Mutex
}

type waveKey struct{ wave, service int64 }
type pairKey struct{ b, f, service int64 }

func newSurveys(d *db) *Surveys {
	return &Surveys{
		db:                 d,
		questionnaires:     cache.New[string, struct{}, *alongside.Questionnaire]("survey questionnaires", 256),
		waveQuestionnaires: cache.New[int64, struct{}, *alongside.Questionnaire]("wave questionnaires", 1024),
		surveySecrets:      cache.New[int64, struct{}, []byte]("survey secrets", 1024),
		summaries:          cache.New[waveKey, int, *WaveSummary]("wave summaries", 1024),
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

// waveQuestionnaire is the questionnaire of a wave's survey, read once per
// process: it never changes.
func (s *Surveys) waveQuestionnaire(ctx context.Context, waveID int64) (*alongside.Questionnaire, error) {
	if q, ok := s.waveQuestionnaires.Get(waveID, struct{}{}); ok {
		return q, nil
	}
	var body string
	if err := s.queryRow(ctx, "SELECT sv.questionnaire FROM surveys sv JOIN survey_waves w ON w.survey_id = sv.id WHERE w.id = $1", waveID).Scan(&body); err != nil {
		return nil, s.wrap(err)
	}
	q, err := s.parsedQuestionnaire(body)
	if err != nil {
		return nil, err
	}
	s.waveQuestionnaires.Put(waveID, struct{}{}, q)
	return q, nil
}

// foldBatch bounds the rows of one multi-row statement of a fold.
const foldBatch = 500

// foldWave adds the wave's responses not yet in its tallies to them: the
// count of each answer to each scored item (the respondents themselves as
// the item ""), each domain's score count, sum and sum of squares, and the
// domain scores of responses with a pairing code. Marking responses
// folded and adding them is one transaction (of up to foldChunk
// responses), so a response is counted once, in the tallies or as not yet folded, whoever folds and whenever;
// it relies on no order of ids. Folds of one wave, from any app server,
// take turns (on PostgreSQL an advisory lock; SQLite has one writer).
func (s *Surveys) foldWave(ctx context.Context, waveID int64) error {
	q, err := s.waveQuestionnaire(ctx, waveID)
	if err != nil {
		return err
	}
	for {
		n, err := s.foldSome(ctx, q, waveID)
		if err != nil || n < foldChunk {
			return err
		}
	}
}

// foldChunk bounds the responses one transaction of a fold takes in, so
// that folding a burst of answers never holds SQLite's one writer for long.
var foldChunk = 2000 // tests lower it

// foldSome folds up to foldChunk of the wave's responses in one
// transaction, and says how many it folded.
func (s *Surveys) foldSome(ctx context.Context, q *alongside.Questionnaire, waveID int64) (folded int, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		folded = 0
		if q := s.dialect.foldLock; q != "" {
			if _, err := tx.ExecContext(tx.ctx, q, waveID); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(tx.ctx, `UPDATE survey_responses SET folded = TRUE WHERE id IN
			(SELECT id FROM survey_responses WHERE wave_id = $1 AND NOT folded LIMIT $2) AND NOT folded
			RETURNING id, service_id, pair_code, answers`, waveID, foldChunk)
		if err != nil {
			return err
		}
		type itemKey struct {
			service     int64
			item, value string
		}
		type domainKey struct {
			service int64
			domain  string
		}
		type sums struct {
			n              int
			total, squares float64
		}
		type scored struct {
			response, service int64
			domain, pair      string
			score             float64
		}
		items := map[itemKey]int{}
		domains := map[domainKey]*sums{}
		var paired []scored
		for rows.Next() {
			var id, service int64
			var pair, body string
			if err := rows.Scan(&id, &service, &pair, &body); err != nil {
				rows.Close()
				return err
			}
			folded++
			a := alongside.SurveyAnswer{}
			if err := json.Unmarshal([]byte(body), &a); err != nil {
				rows.Close()
				return fmt.Errorf("survey response %d: %w", id, err)
			}
			items[itemKey{service, "", ""}]++
			for _, it := range q.Items {
				if v := a[it.Key]; v != "" && it.Type.Scored() {
					items[itemKey{service, it.Key, v}]++
				}
			}
			scores := q.DomainScores(a)
			for _, d := range q.Domains {
				score, ok := scores[d.Key]
				if !ok {
					continue
				}
				k := domainKey{service, d.Key}
				if domains[k] == nil {
					domains[k] = &sums{}
				}
				domains[k].n++
				domains[k].total += score
				domains[k].squares += score * score
				if pair != "" {
					paired = append(paired, scored{id, service, d.Key, pair, score})
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// In a fixed order, so that two folds never wait on each other's rows.
		ik := make([]itemKey, 0, len(items))
		for k := range items {
			ik = append(ik, k)
		}
		sort.Slice(ik, func(i, j int) bool {
			a, b := ik[i], ik[j]
			if a.service != b.service {
				return a.service < b.service
			}
			if a.item != b.item {
				return a.item < b.item
			}
			return a.value < b.value
		})
		for len(ik) > 0 {
			batch := ik[:min(len(ik), foldBatch)]
			ik = ik[len(batch):]
			var v valuesList
			v.args = []any{waveID}
			for _, k := range batch {
				v.row("($1, ?, ?, ?, 0, ?)", k.service, k.item, k.value, items[k])
			}
			// Statements of any length: run unprepared, not kept.
			if _, err := tx.Tx.ExecContext(tx.ctx, `INSERT INTO survey_item_tallies (wave_id, service_id, item, value, shard, n) VALUES `+v.sql()+`
				ON CONFLICT (wave_id, service_id, item, value, shard) DO UPDATE SET n = survey_item_tallies.n + excluded.n`, v.args...); err != nil {
				return err
			}
		}
		dk := make([]domainKey, 0, len(domains))
		for k := range domains {
			dk = append(dk, k)
		}
		sort.Slice(dk, func(i, j int) bool {
			if dk[i].service != dk[j].service {
				return dk[i].service < dk[j].service
			}
			return dk[i].domain < dk[j].domain
		})
		for len(dk) > 0 {
			batch := dk[:min(len(dk), foldBatch)]
			dk = dk[len(batch):]
			var v valuesList
			v.args = []any{waveID}
			for _, k := range batch {
				d := domains[k]
				v.row("($1, ?, ?, 0, ?, ?, ?)", k.service, k.domain, d.n, d.total, d.squares)
			}
			if _, err := tx.Tx.ExecContext(tx.ctx, `INSERT INTO survey_domain_stats (wave_id, service_id, domain, shard, n, total, squares) VALUES `+v.sql()+`
				ON CONFLICT (wave_id, service_id, domain, shard) DO UPDATE SET n = survey_domain_stats.n + excluded.n,
				total = survey_domain_stats.total + excluded.total, squares = survey_domain_stats.squares + excluded.squares`, v.args...); err != nil {
				return err
			}
		}
		for len(paired) > 0 {
			batch := paired[:min(len(paired), foldBatch)]
			paired = paired[len(batch):]
			var v valuesList
			v.args = []any{waveID}
			for _, p := range batch {
				v.row("(?, $1, ?, ?, ?, ?)", p.response, p.service, p.domain, p.score, p.pair)
			}
			if _, err := tx.Tx.ExecContext(tx.ctx, `INSERT INTO survey_domain_scores (response_id, wave_id, service_id, domain, score, pair_code) VALUES `+v.sql(),
				v.args...); err != nil {
				return err
			}
		}
		return nil
	})
	return folded, err
}

// WaveSummary is what results show of one wave: counts of each answer to
// each scored item, and each domain's score count, mean and SD.
type WaveSummary struct {
	Respondents int
	Items       map[string]map[string]int // item → answer → count
	Domains     map[string]DomainSummary
}

// DomainSummary is a domain's scores (0–100) in a wave.
type DomainSummary struct {
	N        int
	Mean, SD float64
}

// WaveSummary reads a wave's tallies, for one service when serviceID is
// not 0, once the responses not yet in them are folded in. The summary is cached until the wave has a new response (its count
// says so), so a results page viewed again reads nothing; callers must not
// change it.
func (s *Surveys) WaveSummary(ctx context.Context, w *alongside.Wave, serviceID int64) (*WaveSummary, error) {
	k := waveKey{w.ID, serviceID}
	if ws, ok := s.summaries.Get(k, w.Responses); ok {
		return ws, nil
	}
	// Many views at once of results gone stale fold the wave once.
	mu := s.waveMutex(w.ID)
	mu.Lock()
	defer mu.Unlock()
	if ws, ok := s.summaries.Get(k, w.Responses); ok {
		return ws, nil
	}
	if err := s.foldWave(ctx, w.ID); err != nil {
		return nil, err
	}
	waveID := w.ID
	ws := &WaveSummary{Items: map[string]map[string]int{}, Domains: map[string]DomainSummary{}}
	rows, err := s.query(ctx, `SELECT 'i', item, value, SUM(n), 0, 0 FROM survey_item_tallies WHERE wave_id = $1 AND ($2 = 0 OR service_id = $2) GROUP BY item, value
		UNION ALL SELECT 'd', domain, '', SUM(n), SUM(total), SUM(squares) FROM survey_domain_stats WHERE wave_id = $1 AND ($2 = 0 OR service_id = $2) GROUP BY domain`, waveID, serviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, key, value string
		var n int
		var total, sqs float64
		if err := rows.Scan(&kind, &key, &value, &n, &total, &sqs); err != nil {
			return nil, err
		}
		switch {
		case kind == "i" && key == "":
			ws.Respondents = n
		case kind == "i":
			if ws.Items[key] == nil {
				ws.Items[key] = map[string]int{}
			}
			ws.Items[key][value] = n
		default:
			ws.Domains[key] = summarise(n, total, sqs)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.summaries.Put(k, w.Responses, ws)
	return ws, nil
}

func summarise(n int, total, sqs float64) DomainSummary {
	d := DomainSummary{N: n}
	if n > 0 {
		d.Mean = total / float64(n)
	}
	if n > 1 {
		v := (sqs - total*total/float64(n)) / float64(n-1)
		if v > 0 {
			d.SD = math.Sqrt(v)
		}
	}
	return d
}

// PairedDifferences are, for each domain, the differences (follow-up minus
// baseline) of the respondents whose code appears once in each wave. A code
// used twice in a wave cannot say whose answers are whose, so it is left
// out. The waves' new responses are folded first (foldWave). Working
// them out reads every paired score, so the answer is cached
// until either wave has a new response (the waves' counts say so).
func (s *Surveys) PairedDifferences(ctx context.Context, baseline, followup *alongside.Wave, serviceID int64) (map[string][]float64, error) {
	k := pairKey{baseline.ID, followup.ID, serviceID}
	counts := [2]int{baseline.Responses, followup.Responses}
	if diffs, ok := s.pairs.Get(k, counts); ok {
		return diffs, nil
	}
	for _, w := range []*alongside.Wave{baseline, followup} {
		mu := s.waveMutex(w.ID)
		mu.Lock()
		err := s.foldWave(ctx, w.ID)
		mu.Unlock()
		if err != nil {
			return nil, err
		}
	}
	rows, err := s.query(ctx, `SELECT b.domain, f.score - b.score FROM survey_domain_scores b
		JOIN survey_domain_scores f ON f.pair_code = b.pair_code AND f.domain = b.domain AND f.wave_id = $2 AND f.pair_code <> ''
		WHERE b.wave_id = $1 AND b.pair_code <> '' AND ($3 = 0 OR (b.service_id = $3 AND f.service_id = $3))
		AND b.pair_code NOT IN (SELECT pair_code FROM survey_domain_scores WHERE wave_id IN ($1, $2) AND pair_code <> ''
			GROUP BY pair_code, domain, wave_id HAVING COUNT(*) > 1)`,
		baseline.ID, followup.ID, serviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]float64{}
	for rows.Next() {
		var domain string
		var d float64
		if err := rows.Scan(&domain, &d); err != nil {
			return nil, err
		}
		out[domain] = append(out[domain], d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.pairs.Put(k, counts, out)
	return out, nil
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

// waveMutex is the process's lock for folding a wave and reading its
// tallies.
func (s *Surveys) waveMutex(waveID int64) *sync.Mutex {
	return &s.folding[uint64(waveID)%uint64(len(s.folding))]
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
