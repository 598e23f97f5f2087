package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// PlanSharing returns what the person lets each of their supporters see.
func (s *Plans) PlanSharing(ctx context.Context, personID int64) (alongside.PlanSharing, error) {
	rows, err := s.query(ctx, `SELECT g.link_id, g.section, g.add_view FROM plan_grants g
		JOIN supporters sl ON sl.id = g.link_id WHERE sl.person_id = $1`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := alongside.PlanSharing{}
	for rows.Next() {
		var link int64
		var section string
		var add bool
		if err := rows.Scan(&link, &section, &add); err != nil {
			return nil, err
		}
		if out[link] == nil {
			out[link] = map[string]bool{}
		}
		out[link][section] = add
	}
	return out, rows.Err()
}

// SetPlanSharing replaces what the person's supporters may see with the
// person's choice, whole: a link or section left out is no longer shared.
// Only the person's own supporter links and known sections are accepted.
func (s *Plans) SetPlanSharing(ctx context.Context, personID int64, sharing alongside.PlanSharing, serviceID int64) error {
	links, err := s.links.Supporters(ctx, personID)
	if err != nil {
		return err
	}
	own := map[int64]bool{}
	for _, l := range links {
		own[l.ID] = true
	}
	for link, sections := range sharing {
		if !own[link] {
			return alongside.Errorf(alongside.EINVALID, "That supporter is not one of yours. Reload the page and try again.")
		}
		for key := range sections {
			if _, ok := alongside.PlanSectionByKey(key); !ok {
				return alongside.Errorf(alongside.EINVALID, "Your plan has no section called %q. Reload the page and try again.", key)
			}
		}
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(tx.ctx, `DELETE FROM plan_grants WHERE link_id IN (SELECT id FROM supporters WHERE person_id = $1)`, personID); err != nil {
			return err
		}
		// Every supporter's choice changed: a page open on any is stale.
		if _, err := tx.ExecContext(tx.ctx, "UPDATE supporters SET sharing_version = sharing_version + 1 WHERE person_id = $1", personID); err != nil {
			return err
		}
		var summary []string
		for link, sections := range sharing {
			for key, add := range sections {
				if _, err := tx.ExecContext(tx.ctx, "INSERT INTO plan_grants (link_id, section, add_view) VALUES ($1, $2, $3)", link, key, add); err != nil {
					return err
				}
				summary = append(summary, key)
			}
		}
		return tx.audit("plan.share", "person", personID, 0, serviceID, strings.Join(summary, " "))
	})
}

// SetSupporterSharing replaces what the person shares with one supporter
// (link), section key → whether they may also add their own view, and
// leaves every other supporter as they were. base is the SharingVersion
// the person's page showed: if the choice was saved since (another tab,
// another device), nothing is written and the answer is an ECONFLICT. The
// new version is returned.
func (s *Plans) SetSupporterSharing(ctx context.Context, personID, link int64, base int, sections map[string]bool, serviceID int64) (int, error) {
	for key := range sections {
		if sec, ok := alongside.PlanSectionByKey(key); !ok || sec.ShareKey() != key {
			return 0, alongside.Errorf(alongside.EINVALID, "Your plan has no part called %q. Reload the page and try again.", key)
		}
	}
	version := 0
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(tx.ctx, `UPDATE supporters SET sharing_version = sharing_version + 1
			WHERE id = $1 AND person_id = $2 AND sharing_version = $3`, link, personID, base)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var current int
			err := tx.QueryRowContext(tx.ctx, "SELECT sharing_version FROM supporters WHERE id = $1 AND person_id = $2", link, personID).Scan(&current)
			if errors.Is(err, sql.ErrNoRows) {
				return alongside.Errorf(alongside.ENOTFOUND, "That supporter is not one of yours.")
			} else if err != nil {
				return err
			}
			return alongside.Errorf(alongside.ECONFLICT, "You changed what this supporter can see in another window or tab while this page was open. What is saved now is shown below each tick; your own ticks are kept. Save again to keep yours.")
		}
		if err := tx.QueryRowContext(tx.ctx, "SELECT sharing_version FROM supporters WHERE id = $1", link).Scan(&version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(tx.ctx, "DELETE FROM plan_grants WHERE link_id = $1", link); err != nil {
			return err
		}
		keys := make([]string, 0, len(sections))
		for key := range sections {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		summary := make([]string, 0, len(keys))
		for _, key := range keys {
			add := sections[key]
			if _, err := tx.ExecContext(tx.ctx, "INSERT INTO plan_grants (link_id, section, add_view) VALUES ($1, $2, $3)", link, key, add); err != nil {
				return err
			}
			if add {
				key += "+view"
			}
			summary = append(summary, key)
		}
		return tx.audit("plan.share", "person", personID, 0, serviceID, fmt.Sprintf("supporter %d: %s", link, strings.Join(summary, " ")))
	})
	return version, err
}

// AddSupporterView keeps a supporter's own view on a section.
func (s *Plans) AddSupporterView(ctx context.Context, v *alongside.SupporterView, serviceID int64) error {
	v.Text = strings.TrimSpace(v.Text)
	switch {
	case v.Text == "":
		return alongside.Invalid(map[string]string{"view": "Write your view before adding it."})
	case utf8.RuneCountInString(v.Text) > alongside.MaxSupporterView:
		return alongside.Invalid(map[string]string{"view": "Please keep your view to 4,000 characters or fewer."})
	}
	if err := alongside.CheckText("view", v.Text); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		v.WrittenAt = tx.now
		if err := tx.QueryRowContext(tx.ctx, `INSERT INTO plan_supporter_views (person_id, section, supporter_id, text, written_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, v.PersonID, v.Section, v.SupporterID, v.Text, ms(tx.now)).Scan(&v.ID); err != nil {
			return err
		}
		return tx.audit("plan.supporter_view", "person", v.PersonID, 0, serviceID, v.Section)
	})
}

// SupporterViews returns the views supporters have added to the person's
// plan, by section, oldest first.
func (s *Plans) SupporterViews(ctx context.Context, personID int64) (map[string][]alongside.SupporterView, error) {
	rows, err := s.query(ctx, `SELECT v.id, v.section, v.supporter_id, u.name, v.text, v.written_at
		FROM plan_supporter_views v JOIN users u ON u.id = v.supporter_id WHERE v.person_id = $1 ORDER BY v.id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]alongside.SupporterView{}
	for rows.Next() {
		v := alongside.SupporterView{PersonID: personID}
		var at int64
		if err := rows.Scan(&v.ID, &v.Section, &v.SupporterID, &v.SupporterName, &v.Text, &at); err != nil {
			return nil, err
		}
		v.WrittenAt = fromMS(at)
		out[v.Section] = append(out[v.Section], v)
	}
	return out, rows.Err()
}

// LimitedService is a service the person joined bringing their plan, with
// the sections it may see.
type LimitedService struct {
	ServiceID   int64
	ServiceName string
	Sections    map[string]bool
}

// LimitedServices returns the services whose view of the person's plan the
// person chooses, with what each sees.
func (s *Plans) LimitedServices(ctx context.Context, personID int64) ([]LimitedService, error) {
	rows, err := s.query(ctx, `SELECT l.service_id, sv.name, COALESCE(sh.section, '') FROM plan_service_limits l
		JOIN services sv ON sv.id = l.service_id
		LEFT JOIN plan_service_sharing sh ON sh.person_id = l.person_id AND sh.service_id = l.service_id
		WHERE l.person_id = $1 ORDER BY sv.name, l.service_id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LimitedService
	for rows.Next() {
		var id int64
		var name, section string
		if err := rows.Scan(&id, &name, &section); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ServiceID != id {
			out = append(out, LimitedService{ServiceID: id, ServiceName: name, Sections: map[string]bool{}})
		}
		if section != "" {
			out[len(out)-1].Sections[section] = true
		}
	}
	return out, rows.Err()
}

// SetServiceSharing replaces what each limited service sees with the
// person's choice: service id → section keys. Other services are refused.
func (s *Plans) SetServiceSharing(ctx context.Context, personID int64, sharing map[int64]map[string]bool, serviceID int64) error {
	limited, err := s.LimitedServices(ctx, personID)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, l := range limited {
		known[l.ServiceID] = true
	}
	for svc, sections := range sharing {
		if !known[svc] {
			return alongside.Errorf(alongside.EINVALID, "That service is not one whose view you choose. Reload the page and try again.")
		}
		for key := range sections {
			if _, ok := alongside.PlanSectionByKey(key); !ok {
				return alongside.Errorf(alongside.EINVALID, "Your plan has no section called %q. Reload the page and try again.", key)
			}
		}
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(tx.ctx, "DELETE FROM plan_service_sharing WHERE person_id = $1", personID); err != nil {
			return err
		}
		for svc, sections := range sharing {
			for key := range sections {
				if _, err := tx.ExecContext(tx.ctx, "INSERT INTO plan_service_sharing (person_id, service_id, section) VALUES ($1, $2, $3)",
					personID, svc, key); err != nil {
					return err
				}
			}
		}
		return tx.audit("plan.share_service", "person", personID, 0, serviceID, "")
	})
}

// SupportersSeeEachOther reports whether the person lets their supporters
// see each other's names and views on the sections they share.
func (s *Plans) SupportersSeeEachOther(ctx context.Context, personID int64) (bool, error) {
	var open bool
	err := s.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM plan_open_circles WHERE person_id = $1)", personID).Scan(&open)
	return open, err
}

// SetSupportersSeeEachOther keeps the person's choice, audited when it
// changes.
func (s *Plans) SetSupportersSeeEachOther(ctx context.Context, personID int64, open bool, serviceID int64) error {
	return s.write(ctx, func(tx *Tx) error {
		q, detail := "DELETE FROM plan_open_circles WHERE person_id = $1", "off"
		if open {
			q, detail = "INSERT INTO plan_open_circles (person_id) VALUES ($1) ON CONFLICT (person_id) DO NOTHING", "on"
		}
		res, err := tx.ExecContext(ctx, q, personID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return tx.audit("plan.share_circle", "person", personID, 0, serviceID, detail)
	})
}
