package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/content"
)

// The crisis plan, read first: a page to read, large and calm,
// for the person, their supporters and the practitioners who work with
// them, with the numbers to call as tap-to-call links and the "If you need
// help now" numbers always on it; one A4 page to print, and a pocket card
// to fold.

// crisisPart is one part of the crisis plan as the page shows it.
type crisisPart struct {
	Key, Label string
	Text       template.HTML // escaped, its phone numbers as tel: links
	Plain      string        // as written
}

type crisisData struct {
	Person   *alongside.User
	IsSelf   bool
	Name     string // how the page speaks of the person
	Title    string // "My crisis plan", "Kirsty’s crisis plan"
	Shared   bool   // the actor may read the crisis part
	Parts    []crisisPart
	Unwrit   []crisisPart // parts not written yet, for those who may write them
	CanEdit  bool
	PlanLink bool // the actor may open the whole plan
	Section  planSectionView
	HelpNow  []alongside.HelpLine
}

// Part returns the part with the key, for the pocket card.
func (d crisisData) Part(key string) *crisisPart {
	for i := range d.Parts {
		if d.Parts[i].Key == key {
			return &d.Parts[i]
		}
	}
	return nil
}

// firstName is the first word of a name: how a supporter speaks of the
// person they support, and how a practitioner's table names them.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}

// helpNowFor is the organisation's "If you need help now" numbers, or the
// shipped ones; never nothing, since the block is always shown.
func (s *Server) helpNowFor(ctx context.Context, orgID int64) []alongside.HelpLine {
	l, err := s.store.Organisations.HelpNow(ctx, orgID)
	if err != nil || len(l.Lines) == 0 {
		return content.DefaultHelpNow()
	}
	return l.Lines
}

// crisisView reads the crisis plan as the actor may see it.
func (s *Server) crisisView(ctx context.Context, c *call) (crisisData, error) {
	d := crisisData{Person: c.person, IsSelf: c.actor.User.ID == c.person.ID, Name: c.person.Name,
		PlanLink: authz.Can(c.actor, authz.ViewPlan, c.res)}
	d.Title = alongside.Whose(planOwner(c)) + " crisis plan"
	org, err := s.store.Organisations.ServiceOrg(ctx, c.personService)
	if err != nil {
		return d, err
	}
	d.HelpNow = s.helpNowFor(ctx, org)
	sec, _ := alongside.PlanSectionByKey(alongside.SectionCrisis)
	res := c.res
	res.Section = &sec
	if d.Shared = authz.Can(c.actor, authz.ViewPlanSection, res); !d.Shared {
		return d, nil
	}
	plan, views, err := s.planAndViews(ctx, c)
	if err != nil {
		return d, err
	}
	d.Section = s.sectionView(c, plan, views, sec)
	d.CanEdit = d.Section.CanEdit
	for _, f := range d.Section.Fields {
		p := crisisPart{Key: f.Key, Label: f.Label, Text: linkPhones(f.Text), Plain: f.Text}
		if strings.TrimSpace(f.Text) != "" {
			d.Parts = append(d.Parts, p)
		} else if d.CanEdit {
			d.Unwrit = append(d.Unwrit, p)
		}
	}
	return d, s.auditPlan(ctx, c, "plan.view", alongside.SectionCrisis)
}

// crisisPlan is the crisis plan to read.
func (s *Server) crisisPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.crisisView(r.Context(), c)
	if err != nil {
		return err
	}
	return s.render(w, r, c, http.StatusOK, "crisis", page{Title: d.Title, Data: d})
}

// printCrisisPlan is the crisis plan on one A4 page.
func (s *Server) printCrisisPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.crisisView(r.Context(), c)
	if err != nil {
		return err
	}
	if !d.Shared {
		return alongside.Errorf(alongside.EFORBIDDEN, "%s has not shared their crisis plan with you.", d.Name)
	}
	return s.render(w, r, c, http.StatusOK, "crisis_print", page{Title: "Crisis plan: " + c.person.Name, Data: d})
}

// crisisCard is the crisis plan as a pocket card: printed on A4 and folded
// twice to the size of a bank card.
func (s *Server) crisisCard(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.crisisView(r.Context(), c)
	if err != nil {
		return err
	}
	if !d.Shared {
		return alongside.Errorf(alongside.EFORBIDDEN, "%s has not shared their crisis plan with you.", d.Name)
	}
	return s.render(w, r, c, http.StatusOK, "crisis_card", page{Title: "Pocket crisis card: " + c.person.Name, Data: d})
}

type helpNowData struct {
	Org     *alongside.Organisation
	Lines   []alongside.HelpLine
	Own     bool
	Updated string
}

// helpNowPage shows an organisation's "If you need help now" numbers, for
// its administrator to change for their area.
func (s *Server) helpNowPage(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderHelpNow(w, r, c, http.StatusOK, newForm(r), true)
}

func (s *Server) renderHelpNow(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, fill bool) error {
	l, err := s.store.Organisations.HelpNow(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	if fill {
		f.Set("body", l.Body)
		f.Set("version", strconv.Itoa(l.Version))
	}
	d := helpNowData{Org: c.org, Lines: l.Lines, Own: l.Version > 0}
	if d.Own {
		d.Updated = fmt.Sprintf("Version %d, saved by %s on %s.", l.Version, l.UpdatedByName, s.zone.date(fromMillis(l.UpdatedAt)))
	}
	return s.render(w, r, c, status, "help_now", page{Title: "Help now numbers", Form: f, Data: d})
}

// saveHelpNow stores the administrator's numbers, or the shipped ones again:
// a list with any mistake is refused whole, each mistake with its line,
// the text shown again as typed; a stale save is a conflict.
func (s *Server) saveHelpNow(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	base, _ := strconv.Atoi(f.Get("version"))
	body := strings.ReplaceAll(f.Get("body"), "\r\n", "\n")
	if f.Get("shipped") != "" {
		body = content.DefaultHelpNowText()
	}
	err := s.store.Organisations.SaveHelpNow(r.Context(), c.org.ID, base, body, c.actor.User.ID)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/orgs/%d/help-now", c.org.ID), "Saved. Every crisis plan in "+c.org.Name+" shows these numbers now.")
	}
	if problems, ok := err.(content.Problems); ok {
		for _, p := range problems {
			if p.Line > 0 {
				f.Add("body", fmt.Sprintf("Line %d: %s.", p.Line, p.Message))
			} else {
				f.Add("body", upperFirst(p.Message)+".")
			}
		}
		return s.renderHelpNow(w, r, c, http.StatusUnprocessableEntity, f, false)
	}
	if !f.Absorb(err, "body") {
		return err
	}
	if alongside.ErrorCode(err) == alongside.ECONFLICT {
		// Their text stays in the box; saving again writes over the newer list knowingly.
		v, verr := s.store.Organisations.HelpNowVersion(r.Context(), c.org.ID)
		if verr != nil {
			return verr
		}
		f.Set("version", strconv.Itoa(v))
		return s.renderHelpNow(w, r, c, http.StatusConflict, f, false)
	}
	return s.renderHelpNow(w, r, c, http.StatusUnprocessableEntity, f, false)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
