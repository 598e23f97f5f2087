package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/alongside-recovery/alongside"
)

// A wave's tallies: folding its new responses into them and reading
// results from them. The arithmetic is in surveys_fold.go.

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
		f := newWaveFold()
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
			f.add(q, id, service, pair, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// In a fixed order, so that two folds never wait on each other's rows.
		ik := f.itemKeys()
		for len(ik) > 0 {
			batch := ik[:min(len(ik), foldBatch)]
			ik = ik[len(batch):]
			var v valuesList
			v.args = []any{waveID}
			for _, k := range batch {
				v.row("($1, ?, ?, ?, 0, ?)", k.service, k.item, k.value, f.items[k])
			}
			// Statements of any length: run unprepared, not kept.
			if _, err := tx.Tx.ExecContext(tx.ctx, `INSERT INTO survey_item_tallies (wave_id, service_id, item, value, shard, n) VALUES `+v.sql()+`
				ON CONFLICT (wave_id, service_id, item, value, shard) DO UPDATE SET n = survey_item_tallies.n + excluded.n`, v.args...); err != nil {
				return err
			}
		}
		dk := f.domainKeys()
		for len(dk) > 0 {
			batch := dk[:min(len(dk), foldBatch)]
			dk = dk[len(batch):]
			var v valuesList
			v.args = []any{waveID}
			for _, k := range batch {
				d := f.domains[k]
				v.row("($1, ?, ?, 0, ?, ?, ?)", k.service, k.domain, d.n, d.total, d.squares)
			}
			if _, err := tx.Tx.ExecContext(tx.ctx, `INSERT INTO survey_domain_stats (wave_id, service_id, domain, shard, n, total, squares) VALUES `+v.sql()+`
				ON CONFLICT (wave_id, service_id, domain, shard) DO UPDATE SET n = survey_domain_stats.n + excluded.n,
				total = survey_domain_stats.total + excluded.total, squares = survey_domain_stats.squares + excluded.squares`, v.args...); err != nil {
				return err
			}
		}
		for paired := f.paired; len(paired) > 0; {
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

// WaveSummary reads a wave's tallies, for one service when serviceID is
// not 0, once the responses not yet in them are folded in. It is not
// cached here: the tallies are already summed in the database (a few
// grouped rows whatever the number of responses), and the results page
// caches what it draws from them (web's rendered results), so caching
// the summary too would hold the same figures twice.
func (s *Surveys) WaveSummary(ctx context.Context, w *alongside.Wave, serviceID int64) (*WaveSummary, error) {
	// Many views at once of results gone stale take turns on the fold;
	// after the first, the others find nothing left to fold.
	mu := s.waveMutex(w.ID)
	mu.Lock()
	defer mu.Unlock()
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
	return ws, nil
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

// waveMutex is the process's lock for folding a wave and reading its
// tallies.
func (s *Surveys) waveMutex(waveID int64) *sync.Mutex {
	return &s.folding[uint64(waveID)%uint64(len(s.folding))]
}
