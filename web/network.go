package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// networkRow is one service's row, its cells worked out here rather than
// in the template: the page has a row per service, a thousand in a large
// network, and template calls per cell were most of its cost.
type networkRow struct {
	sqlstore.NetworkService
	Completed string   // "3 March 2026; 2 reviews completed"; "" with no completed review
	Points    []string // the profile per indicator, "3.4" or noFigure
	// PointCells are Points as table cells, built here as one piece of
	// HTML: they are figures we format, so there is nothing to escape, and
	// ten template actions per row were a large part of a big network's page.
	PointCells    template.HTML
	ThemeLabels   []string
	Themes        string // the labels joined, or why there are none
	People, Pracs string // the totals, or "fewer than 5"
}

// themeCount is one theme across the network's latest action plans,
// counted as seed 003 reports it: "11 of 14 action plans include …".
type themeCount struct {
	Theme alongside.Theme
	Plans int
}

// indicatorName is an indicator as a table names it: a short name heading
// the column, the full SRI 2 name on hover and in the key below.
type indicatorName struct {
	Key, Short, Name string
}

type networkData struct {
	Org        *alongside.Organisation
	MinGroup   int
	Indicators []alongside.Indicator
	Names      []indicatorName
	Rows       []networkRow
	Services   int // before filtering
	Plans      int // latest completed reviews with an action plan
	Themes     []themeCount
	AllThemes  []alongside.Theme
	Query      string
	Theme      string
	ExportLink string
}

// networkView gathers the network page's data, filtered by name and theme.
// Services stay in name order: SRI 2 is for development, not a league table.
func (s *Server) networkView(r *http.Request, c *call) (*networkData, error) {
	ctx := r.Context()
	services, err := s.store.ActionPlans.NetworkReviews(ctx, c.org.ID)
	if err != nil {
		return nil, err
	}
	set, err := s.store.Organisations.CurrentStatementSet(ctx, c.org.ID)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	d := &networkData{Org: c.org, MinGroup: alongside.MinGroup, Indicators: set.Set.Indicators, Services: len(services),
		AllThemes: content.DefaultThemes(), Query: strings.TrimSpace(q.Get("q")), Theme: q.Get("theme")}
	for _, in := range d.Indicators {
		d.Names = append(d.Names, indicatorName{in.Key, content.ShortName(in), in.Name})
	}
	labels := map[string]string{}
	counts := map[string]int{}
	for _, t := range d.AllThemes {
		labels[t.Key] = t.Label
	}
	for _, ns := range services {
		if ns.HasPlan {
			d.Plans++
			for key := range ns.Themes {
				counts[key]++
			}
		}
		if d.Query != "" && !strings.Contains(strings.ToLower(ns.Service.Name), strings.ToLower(d.Query)) {
			continue
		}
		if d.Theme != "" && !ns.Themes[d.Theme] {
			continue
		}
		row := networkRow{NetworkService: ns, People: shownCount(ns.People), Pracs: shownCount(ns.Practitioners)}
		if ns.Review != nil {
			row.Completed = s.zone.date(ns.Review.CompletedAt) + "; " + plural(ns.Cycles, "review", "reviews") + " completed"
		}
		var cells strings.Builder
		for i, in := range d.Indicators {
			point := noFigure
			if p := ns.Profile[in.Key]; p.Rated > 0 {
				point = strconv.FormatFloat(p.Mean, 'f', 1, 64)
			}
			row.Points = append(row.Points, point)
			// data-label names the figure where the row is a card (a phone).
			cells.WriteString(`<td class="num" data-label="` + template.HTMLEscapeString(d.Names[i].Short) + `">` + point + `</td>`)
		}
		row.PointCells = template.HTML(cells.String())
		for _, t := range d.AllThemes {
			if ns.Themes[t.Key] {
				row.ThemeLabels = append(row.ThemeLabels, t.Label)
			}
		}
		switch {
		case len(row.ThemeLabels) > 0:
			row.Themes = strings.Join(row.ThemeLabels, "; ")
		case ns.HasPlan:
			row.Themes = "No themes"
		default:
			row.Themes = "No action plan"
		}
		d.Rows = append(d.Rows, row)
	}
	for _, t := range d.AllThemes {
		if counts[t.Key] > 0 {
			d.Themes = append(d.Themes, themeCount{t, counts[t.Key]})
		}
	}
	sort.SliceStable(d.Themes, func(i, j int) bool { return d.Themes[i].Plans > d.Themes[j].Plans })
	d.ExportLink = fmt.Sprintf("/orgs/%d/network.csv?%s", c.org.ID, url.Values{"q": {d.Query}, "theme": {d.Theme}}.Encode())
	return d, nil
}

// noFigure stands in a table cell where there is no figure.
const noFigure = "–"

// shownCount is a total as the page shows it: not under MinGroup, so that
// nobody can be picked out.
func shownCount(n int) string {
	if !alongside.EnoughPeople(n) {
		return fmt.Sprintf("fewer than %d", alongside.MinGroup)
	}
	return fmt.Sprint(n)
}

// network shows the organisation's services side by side: their latest
// completed review and the themes their action plans share, and totals of
// people and staff. Only aggregates, never a person's records.
func (s *Server) network(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.networkView(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, c, http.StatusOK, "network", page{Title: "Network: " + c.org.Name, Data: d, Wide: true})
}

// networkTables are what the network page shows, with the same filter.
func (s *Server) networkTables(r *http.Request, c *call) (*tables, error) {
	d, err := s.networkView(r, c)
	if err != nil {
		return nil, err
	}
	head := []string{"Service", "Latest completed review", "Completed", "Completed reviews"}
	for _, in := range d.Indicators {
		head = append(head, in.Name)
	}
	head = append(head, "Action plan themes", "People using the service", "Practitioners")
	services := [][]string{head}
	for _, row := range d.Rows {
		line := []string{row.Service.Name, "", "", fmt.Sprint(row.Cycles)}
		if row.Review != nil {
			line[1], line[2] = row.Review.Title, row.Review.CompletedAt.Format("2006-01-02")
		}
		for _, p := range row.Points {
			if p == noFigure {
				p = "" // a blank cell, for spreadsheets
			}
			line = append(line, p)
		}
		services = append(services, append(line, strings.Join(row.ThemeLabels, "; "), row.People, row.Pracs))
	}
	themes := [][]string{{"Theme", "Action plans including it", "Action plans"}}
	for _, t := range d.Themes {
		themes = append(themes, []string{t.Theme.Label, fmt.Sprint(t.Plans), fmt.Sprint(d.Plans)})
	}
	return &tables{name: "network " + c.org.Name, sheets: []xlsxSheet{{"Services", services, 20}, {"Themes", themes, 30}}}, nil
}
