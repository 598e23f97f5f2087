package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/language"
)

// Language stores the language checker's suggestions and reports.
type Language struct {
	*db
}

// LanguageList is an organisation's own list of language suggestions, as
// its administrator last saved it. Version 0 means the organisation uses
// the shipped list (content.DefaultSuggestions).
type LanguageList struct {
	OrgID         int64
	Body          string
	Version       int
	UpdatedByName string
	UpdatedAt     int64 // ms; 0 for the shipped list
	List          *language.List
}

// LanguageListVersion returns the version of the organisation's own list,
// or 0 when it uses the shipped one: cheap, so that a compiled checker can
// be kept and reused until the list changes.
func (s *Language) LanguageListVersion(ctx context.Context, orgID int64) (int, error) {
	var v int
	err := s.queryRow(ctx, "SELECT version FROM language_lists WHERE org_id = $1", orgID).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, err
}

// LanguageList returns the organisation's list, parsed; the shipped one
// when it has none of its own.
func (s *Language) LanguageList(ctx context.Context, orgID int64) (*LanguageList, error) {
	l := &LanguageList{OrgID: orgID}
	err := s.queryRow(ctx, `SELECT l.body, l.version, u.name, l.updated_at FROM language_lists l
		JOIN users u ON u.id = l.updated_by WHERE l.org_id = $1`, orgID).Scan(&l.Body, &l.Version, &l.UpdatedByName, &l.UpdatedAt)
	if err == sql.ErrNoRows {
		l.Body, l.List = content.DefaultSuggestionsText(), content.DefaultSuggestions()
		return l, nil
	} else if err != nil {
		return nil, err
	}
	if l.List, err = content.ParseSuggestions(strings.NewReader(l.Body)); err != nil {
		return nil, err // only a valid list is ever saved
	}
	return l, nil
}

// SaveLanguageList replaces the organisation's list with body, refused
// whole (content.Problems, line-numbered) when any entry is wrong, and as a
// conflict when someone saved since base was read.
func (s *Language) SaveLanguageList(ctx context.Context, orgID int64, base int, body string, by int64) error {
	if _, err := content.ParseSuggestions(strings.NewReader(body)); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var res sql.Result
		var err error
		if base == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO language_lists (org_id, body, version, updated_by, updated_at)
				VALUES ($1, $2, 1, $3, $4) ON CONFLICT (org_id) DO NOTHING`, orgID, body, by, tx.now.UnixMilli())
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE language_lists SET body = $1, version = version + 1, updated_by = $2, updated_at = $3
				WHERE org_id = $4 AND version = $5`, body, by, tx.now.UnixMilli(), orgID, base)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError()
		}
		return tx.audit("language.list", "organisation", orgID, orgID, 0, "")
	})
}

// Text keys of dismissals: ForGood sets a suggestion aside everywhere.
const ForGood = ""

// DismissSuggestion sets a suggestion aside for the writer: in the text
// named by textKey, or everywhere with ForGood.
func (s *Language) DismissSuggestion(ctx context.Context, userID int64, entryKey, textKey string) error {
	if entryKey == "" || len(entryKey) > 200 || len(textKey) > 300 {
		return alongside.Errorf(alongside.EINVALID, "We could not tell which suggestion to set aside.")
	}
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO language_dismissals (user_id, entry_key, text_key, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, entry_key, text_key) DO NOTHING`, userID, entryKey, textKey, tx.now.UnixMilli())
		return err
	})
}

// Dismissed returns the entry keys the writer set aside for good or for
// the text named by textKey.
func (s *Language) Dismissed(ctx context.Context, userID int64, textKey string) (map[string]bool, error) {
	rows, err := s.query(ctx, "SELECT entry_key FROM language_dismissals WHERE user_id = $1 AND text_key IN ($2, $3)", userID, ForGood, textKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// ForgetDismissals brings back every suggestion the writer set aside for good.
func (s *Language) ForgetDismissals(ctx context.Context, userID int64) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM language_dismissals WHERE user_id = $1 AND text_key = $2", userID, ForGood)
		return err
	})
}

// DismissedForGood lists the entry keys the writer set aside everywhere.
func (s *Language) DismissedForGood(ctx context.Context, userID int64) ([]string, error) {
	rows, err := s.query(ctx, "SELECT entry_key FROM language_dismissals WHERE user_id = $1 AND text_key = $2 ORDER BY entry_key", userID, ForGood)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// SetLanguageOptIn turns suggestions in the user's own writing on or off.
func (s *Language) SetLanguageOptIn(ctx context.Context, userID int64, on bool) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET language_suggestions = $1 WHERE id = $2", on, userID); err != nil {
			return err
		}
		return tx.audit("language.optin", "user", userID, 0, 0, map[bool]string{true: "on", false: "off"}[on])
	})
}

// CountWriting adds a saved staff-written text to the service's totals for
// the month: its words and the suggestions raised in it, dismissed or not.
// Only the totals and the fact that the writer wrote that month are kept.
func (s *Language) CountWriting(ctx context.Context, serviceID, writerID int64, words, suggestions int) error {
	if words <= 0 {
		return nil
	}
	month := s.today().Format("2006-01") // the month in the deployment's zone
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO language_totals (service_id, month, words, suggestions) VALUES ($1, $2, $3, $4)
			ON CONFLICT (service_id, month) DO UPDATE SET words = language_totals.words + excluded.words,
			suggestions = language_totals.suggestions + excluded.suggestions`, serviceID, month, words, suggestions); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO language_writers (service_id, month, user_id) VALUES ($1, $2, $3)
			ON CONFLICT (service_id, month, user_id) DO NOTHING`, serviceID, month, writerID)
		return err
	})
}

// LanguageTotals returns the service's months, oldest first.
func (s *Language) LanguageTotals(ctx context.Context, serviceID int64) ([]alongside.WritingMonth, error) {
	rows, err := s.query(ctx, `SELECT t.month, t.words, t.suggestions,
		(SELECT COUNT(*) FROM language_writers w WHERE w.service_id = t.service_id AND w.month = t.month)
		FROM language_totals t WHERE t.service_id = $1 ORDER BY t.month`, serviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.WritingMonth
	for rows.Next() {
		var m alongside.WritingMonth
		if err := rows.Scan(&m.Month, &m.Words, &m.Suggestions, &m.Writers); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
