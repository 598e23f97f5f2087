package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/alongside-recovery/alongside"
)

// Take-away copies of a person's records: everything Alongside holds about
// them, as JSON a machine can read and as a page a person can.

type myDataSection struct {
	Key      string              `json:"key"`
	Title    string              `json:"title"`
	Current  map[string]string   `json:"current"`
	Versions []myDataVersion     `json:"versions"`
	Views    []myDataSupportView `json:"supporter_views,omitempty"`
}

type myDataVersion struct {
	Version int               `json:"version"`
	SavedBy string            `json:"saved_by"`
	SavedAt time.Time         `json:"saved_at"`
	Text    map[string]string `json:"text"`
}

type myDataSupportView struct {
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

type myDataEvent struct {
	At   time.Time `json:"at"`
	Who  string    `json:"who"`
	What string    `json:"what"`
}

// myData is the whole take-away copy.
type myData struct {
	Exported      time.Time        `json:"exported"`
	Name          string           `json:"name"`
	Email         string           `json:"email"`
	Services      []string         `json:"services"`
	PlanVersion   int              `json:"plan_version"`
	SignedVersion int              `json:"signed_off_version"`
	SignedAt      *time.Time       `json:"signed_off_at,omitempty"`
	Sections      []myDataSection  `json:"sections"`
	Supporters    []map[string]any `json:"supporters"`
	Activity      []myDataEvent    `json:"who_looked_or_changed"`
}

func (s *Server) gatherMyData(r *http.Request, c *call) (*myData, error) {
	ctx := r.Context()
	d := &myData{Exported: s.store.Clock.Now().UTC(), Name: c.person.Name, Email: c.person.Email}
	ms, err := s.store.Accounts.MembershipsOf(ctx, c.person.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Role == alongside.RolePerson {
			d.Services = append(d.Services, m.ServiceName)
		}
	}
	plan, views, err := s.planAndViews(ctx, c)
	if err != nil {
		return nil, err
	}
	d.PlanVersion, d.SignedVersion = plan.Version, plan.SignedVersion
	if plan.SignedVersion > 0 {
		d.SignedAt = &plan.SignedAt
	}
	keys := make([]string, 0, len(plan.Sections))
	for k := range plan.Sections {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sec, _ := alongside.PlanSectionByKey(k)
		out := myDataSection{Key: k, Title: sec.Title, Current: plan.Sections[k].Text}
		hist, err := s.store.Plans.SectionHistory(ctx, c.person.ID, k)
		if err != nil {
			return nil, err
		}
		for _, v := range hist {
			out.Versions = append(out.Versions, myDataVersion{v.Version, v.ChangedName, v.ChangedAt.UTC(), v.Text})
		}
		for _, v := range views[k] {
			out.Views = append(out.Views, myDataSupportView{v.SupporterName, v.WrittenAt.UTC(), v.Text})
		}
		d.Sections = append(d.Sections, out)
	}
	links, err := s.store.Links.Supporters(ctx, c.person.ID)
	if err != nil {
		return nil, err
	}
	sharing, err := s.store.Plans.PlanSharing(ctx, c.person.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		shared := []string{}
		for key := range sharing[l.ID] {
			shared = append(shared, key)
		}
		sort.Strings(shared)
		d.Supporters = append(d.Supporters, map[string]any{"name": l.SupporterName, "relationship": l.Relationship.Label(),
			"accepted": !l.AcceptedAt.IsZero(), "sees": shared})
	}
	for offset := 0; ; offset += 500 {
		events, more, err := s.store.Audit.PersonActivity(ctx, c.person.ID, offset, 500)
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			who := e.ActorEmail
			if e.ActorID == c.person.ID {
				who = "You"
			}
			d.Activity = append(d.Activity, myDataEvent{e.At.UTC(), who, activityWhat(e)})
		}
		if !more {
			break
		}
	}
	return d, nil
}

// myDataJSON downloads everything held about the person as JSON.
func (s *Server) myDataJSON(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.gatherMyData(r, c)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	if err := s.auditPlan(r.Context(), c, "person.export", "json"); err != nil {
		return err
	}
	return sendFile(w, "application/json; charset=utf-8", fileName("my alongside data", "json"), body)
}

// myDataHTML downloads the same as a page to keep and read.
func (s *Server) myDataHTML(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.gatherMyData(r, c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.pages.pages["mydata"].ExecuteTemplate(&buf, "mydata", d); err != nil {
		return err
	}
	renderedPages.Store("mydata", true)
	if err := s.auditPlan(r.Context(), c, "person.export", "html"); err != nil {
		return err
	}
	return sendFile(w, "text/html; charset=utf-8", fileName("my alongside data", "html"), buf.Bytes())
}

type closeData struct{ Person *alongside.User }

func (s *Server) closeAccountForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.render(w, r, c, http.StatusOK, "close_account", page{Title: "Close my account", Form: newForm(r), Data: closeData{c.person}})
}

// closeAccount closes the person's account once they confirm. They are
// signed out; their records are erased after the retention period.
func (s *Server) closeAccount(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if f.Get("confirm") != "yes" {
		f.Add("confirm", "Tick the box to say you understand, or go back to keep your account.")
		return s.render(w, r, c, http.StatusUnprocessableEntity, "close_account", page{Title: "Close my account", Form: f, Data: closeData{c.person}})
	}
	erase, err := s.store.Accounts.CloseAccount(r.Context(), c.person.ID)
	if err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	return redirect(w, r, "/login", fmt.Sprintf("Your account is closed. Your records will be erased on %s.", s.zone.date(erase)))
}
