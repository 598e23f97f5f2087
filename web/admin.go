package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
)

// linkURL is the full address of a one-time link.
func (s *Server) linkURL(r *http.Request, token string) string {
	return s.absoluteURL(r, "/links/"+token)
}

// absoluteURL is the full address of a path, for links sent or printed.
func (s *Server) absoluteURL(r *http.Request, path string) string {
	base := s.cfg.BaseURL
	if base == "" {
		scheme := "http"
		if isSecure(r) {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return strings.TrimRight(base, "/") + path
}

// linkIssued is shown after a link is made: the link itself, for the issuer
// to pass on, only when no mailer is set; otherwise whether it was emailed.
type linkIssued struct {
	Name, Email string
	URL         string
	Notice      string // said instead of a link, when there is none to give
	Emailed     bool
	EmailFailed bool
	Expires     time.Time
	Back        string
	BackLabel   string
}

// issueLinkPage sends the link by email when a mailer is set, and shows it
// only when none is: a link on screen is the account to whoever sees it.
func (s *Server) issueLinkPage(w http.ResponseWriter, r *http.Request, c *call, title string, u *alongside.User, token, subject, back, backLabel string) error {
	d := linkIssued{Name: u.Name, Email: u.Email, Back: back, BackLabel: backLabel}
	url := s.linkURL(r, token)
	if s.cfg.Mailer == nil {
		d.URL, d.Expires = url, s.now().Add(alongside.LinkLifetime)
	} else {
		s.sendTo(r, &d, u, subject, "Open this link to continue. It works once and for 7 days:\n"+url)
	}
	return s.render(w, r, c, http.StatusOK, "link_issued", page{Title: title, Data: d})
}

// invitationPage answers an invitation alike whether the email was new
// (token is its link) or already had an account (no token: the invitation
// waits on the holder's home page, as a link would hand the account over),
// so that the form tells the one inviting nothing about accounts elsewhere.
// With a mailer both are emailed. Without one a new account's link has to
// be shown, so there the link alone tells them apart.
func (s *Server) invitationPage(w http.ResponseWriter, r *http.Request, c *call, u *alongside.User, token, subject, back, backLabel string) error {
	d := linkIssued{Name: u.Name, Email: u.Email, Back: back, BackLabel: backLabel,
		Notice: "If " + u.Name + " already uses Alongside, they will see your invitation when they next sign in, on their home page, and can accept or decline it. If a link is shown below, give it to them in a way they trust: in person, by text or by email."}
	switch {
	case s.cfg.Mailer != nil && token != "":
		s.sendTo(r, &d, u, subject, "Open this link to continue. It works once and for 7 days:\n"+s.linkURL(r, token))
	case s.cfg.Mailer != nil:
		s.sendTo(r, &d, u, subject, "Sign in to Alongside to accept or decline the invitation. You will find it on your home page.\n"+s.absoluteURL(r, "/login"))
	case token != "":
		d.URL, d.Expires = s.linkURL(r, token), s.now().Add(alongside.LinkLifetime)
	}
	return s.render(w, r, c, http.StatusOK, "link_issued", page{Title: "Invitation for " + u.Name, Data: d})
}

func (s *Server) sendTo(r *http.Request, d *linkIssued, u *alongside.User, subject, text string) {
	body := fmt.Sprintf("Hello %s,\n\n%s\n\n%s\n\nIf you were not expecting this, you can ignore this email.\n", u.Name, subject, text)
	if err := s.cfg.Mailer.Send(u.Email, subject, body); err != nil {
		s.logError(r, fmt.Errorf("sending email: %w", err))
		d.EmailFailed = true
	} else {
		d.Emailed = true
	}
}

type orgsData struct {
	Organisations []alongside.Organisation
}

func (s *Server) organisationsPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	orgs, err := s.store.Organisations.Organisations(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "organisations", page{Title: "Organisations", Form: f, Data: orgsData{orgs}})
}

func (s *Server) organisations(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.organisationsPage(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) createOrganisation(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	o := &alongside.Organisation{Name: f.Get("name")}
	if err := s.store.Organisations.CreateOrganisation(r.Context(), o); f.Absorb(err, "name") {
		return s.organisationsPage(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/orgs/%d", o.ID), "Organisation created. Add its services and administrators next.")
}

type orgData struct {
	Org      *alongside.Organisation
	Services []alongside.Service
}

func (s *Server) orgOverviewPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	svs, err := s.store.Organisations.Services(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "org", page{Title: c.org.Name, Form: f, Data: orgData{Org: c.org, Services: svs}})
}

func (s *Server) orgOverview(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.orgOverviewPage(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) createService(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	sv := &alongside.Service{OrgID: c.org.ID, Name: f.Get("name"), Description: f.Get("description")}
	if err := s.store.Organisations.CreateService(r.Context(), sv); f.Absorb(err, "name", "description") {
		return s.orgOverviewPage(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, fmt.Sprintf("/orgs/%d", c.org.ID), "Service “"+sv.Name+"” created.", texts(f, "description", "About this service")...)
}

type serviceEditData struct {
	Org     *alongside.Organisation
	Service *alongside.Service
}

func (s *Server) serviceEditForm(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	f.Set("name", c.service.Name)
	f.Set("description", c.service.Description)
	f.Set("version", strconv.Itoa(c.service.Version))
	return s.render(w, r, c, http.StatusOK, "service_edit", page{Title: "Change " + c.service.Name, Form: f, Data: serviceEditData{c.org, c.service}})
}

func (s *Server) updateService(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	sv := *c.service
	sv.Name, sv.Description = f.Get("name"), f.Get("description")
	sv.Version, _ = strconv.Atoi(f.Get("version"))
	if err := s.store.Organisations.UpdateService(r.Context(), &sv); f.Absorb(err, "name", "description") {
		f.OnConflict(err, c.service.Version)
		return s.render(w, r, c, http.StatusConflict, "service_edit", page{Title: "Change " + c.service.Name, Form: f, Data: serviceEditData{c.org, c.service}})
	} else if err != nil {
		return err
	}
	written := texts(f, "description", "About this service")
	written[0].Before = c.service.Description
	return s.afterSave(w, r, c, fmt.Sprintf("/orgs/%d", c.org.ID), "Service saved.", written...)
}

type orgSettingsData struct{ Org *alongside.Organisation }

func (s *Server) orgSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if c.org.RequireStaffMFA {
		f.Set("require_mfa", "on")
	}
	f.Set("name", c.org.Name)
	f.Set("retention", strconv.Itoa(c.org.RetentionDays))
	f.Set("version", strconv.Itoa(c.org.Version))
	return s.render(w, r, c, http.StatusOK, "org_settings", page{Title: "Settings", Form: f, Data: orgSettingsData{c.org}})
}

func (s *Server) saveOrgSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	o := *c.org
	o.Name = f.Get("name")
	o.RequireStaffMFA = f.Get("require_mfa") == "on"
	o.Version, _ = strconv.Atoi(f.Get("version"))
	var err error
	if o.RetentionDays, err = strconv.Atoi(f.Get("retention")); err != nil {
		o.RetentionDays = -1 // refused by Validate with a message, the input shown again
	}
	if err := s.store.Organisations.UpdateOrganisation(r.Context(), &o); f.Absorb(err, "name", "retention") {
		f.OnConflict(err, c.org.Version)
		status := http.StatusUnprocessableEntity
		if alongside.ErrorCode(err) == alongside.ECONFLICT {
			status = http.StatusConflict
		}
		return s.render(w, r, c, status, "org_settings", page{Title: "Settings", Form: f, Data: orgSettingsData{c.org}})
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/orgs/%d", c.org.ID), "Settings saved.")
}

type auditData struct {
	Org     *alongside.Organisation
	Events  []alongside.AuditEvent
	More    bool
	NextURL string
	PrevURL string
}

// auditLog lists the audit log of one organisation, or of the deployment
// for a system administrator, with filters.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	f := &Form{Values: q}
	filter := alongside.AuditFilter{ActorEmail: q.Get("actor"), Action: q.Get("action"), Limit: 50}
	if c.org != nil {
		filter.OrgID = c.org.ID
	}
	filter.Offset, _ = strconv.Atoi(q.Get("offset"))
	// A day runs from midnight to midnight in the deployment's zone.
	if v := q.Get("from"); v != "" {
		t, ok := alongside.ParseDay(v)
		if !ok {
			f.Add("from", "Enter the date, such as 1 March 2026.")
		}
		filter.From = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.zone.loc)
	}
	if v := q.Get("to"); v != "" {
		t, ok := alongside.ParseDay(v)
		if !ok {
			f.Add("to", "Enter the date, such as 31 March 2026.")
		}
		filter.To = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, s.zone.loc) // the whole of the last day
	}
	d := auditData{Org: c.org}
	status := http.StatusOK
	if f.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		if d.Events, d.More, err = s.store.Audit.AuditEvents(r.Context(), filter); err != nil {
			return err
		}
		page := func(offset int) string {
			v := r.URL.Query()
			v.Set("offset", strconv.Itoa(offset))
			return r.URL.Path + "?" + v.Encode()
		}
		if d.More {
			d.NextURL = page(filter.Offset + filter.Limit)
		}
		if filter.Offset > 0 {
			d.PrevURL = page(max(filter.Offset-filter.Limit, 0))
		}
	}
	return s.render(w, r, c, status, "audit", page{Title: "Audit log", Form: f, Data: d})
}
