package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
)

type activityEntry struct {
	alongside.AuditEvent
	Who  string
	What string
}

type planActivityData struct {
	Person  *alongside.User
	Entries []activityEntry
	More    bool
	Next    int
}

// planActivity lists who has looked at or changed the person's records,
// newest first, for the person themselves.
func (s *Server) planActivity(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	const perPage = 50
	events, more, err := s.store.Audit.PersonActivity(ctx, c.person.ID, offset, perPage)
	if err != nil {
		return err
	}
	d := planActivityData{Person: c.person, More: more, Next: max(offset, 0) + perPage}
	names := map[int64]string{}
	for _, e := range events {
		who, ok := names[e.ActorID]
		if !ok && e.ActorID != 0 {
			if u, err := s.store.Accounts.User(ctx, e.ActorID); err == nil {
				who = u.Name
			}
			names[e.ActorID] = who
		}
		if e.ActorID == c.person.ID {
			who = "You"
		}
		d.Entries = append(d.Entries, activityEntry{AuditEvent: e, Who: who, What: activityWhat(e)})
	}
	return s.render(w, r, c, http.StatusOK, "plan_activity", page{Title: "Who has looked at my plan", Data: d})
}

// activityWhat says in plain words what an audit event about a person was.
func activityWhat(e alongside.AuditEvent) string {
	section := func() string {
		if sec, ok := alongside.PlanSectionByKey(e.Detail); ok {
			return "“" + sec.Title + "”"
		}
		return "a section"
	}
	switch e.Action {
	case "plan.view":
		switch e.Detail {
		case "":
			return "Looked at your plan"
		case "due":
			return "Saw what in your plan is due a look together, on their list"
		}
		if key, ok := strings.CutSuffix(e.Detail, " history"); ok {
			if sec, ok := alongside.PlanSectionByKey(key); ok {
				return "Looked at the changes to “" + sec.Title + "”"
			}
		}
		return "Looked at " + section()
	case "plan.save":
		return "Changed " + section()
	case "plan.sign_off":
		return "Signed off the plan"
	case "person.view":
		return "Looked at your page"
	case "plan.share":
		return "Changed what your supporters can see"
	case "plan.share_circle":
		if e.Detail == "on" {
			return "Let your supporters see each other’s names and views"
		}
		return "Stopped your supporters seeing each other’s names and views"
	case "plan.share_service":
		return "Changed what a service you joined can see"
	case "plan.break_glass":
		return "Opened your crisis plan in an emergency, saying: " + e.Detail
	case "plan.supporter_view":
		return "Added their view to " + section()
	case "link.issue", "link.use":
		return linkWhat(e)
	}
	return e.Action
}
