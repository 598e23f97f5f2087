package web

import (
	"net/http"
	"strings"

	"github.com/alongside-recovery/alongside/authz"
)

// Every download (CSV, XLSX, JSON, a copy to print) is registered with
// exportFrom, naming the page it comes from, and is built from that page's
// own view (networkView, developmentTotalsData, surveyResultsData…), where
// the small-numbers rule (alongside.EnoughPeople) has already hidden what
// the page hides. An export never reads the store on its own, so it can
// show no more than its page. The small-numbers test walks these routes:
// one missing from its table fails.

// exportFrom registers a download of the page at from.
func (s *Server) exportFrom(pattern string, action authz.Action, from string, fn handlerFunc) {
	s.handle(pattern, action, noBody, fn)
	s.routes[len(s.routes)-1].From = from
}

// tables is a spreadsheet download: the sheets a page's view gives, as CSV
// (one table after another, a blank row between) or XLSX (a sheet each),
// as the route's pattern ends.
type tables struct {
	name   string // words for the file's name
	sheets []xlsxSheet
}

// download writes the tables that build returns in the format the route's
// pattern names.
func download(build func(r *http.Request, c *call) (*tables, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *call) error {
		t, err := build(r, c)
		if err != nil {
			return err
		}
		if strings.HasSuffix(r.Pattern, ".xlsx") {
			body, err := xlsxFile(t.sheets...)
			if err != nil {
				return err
			}
			return sendFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName(t.name, "xlsx"), body)
		}
		rows := make([][][]string, len(t.sheets))
		for i, sh := range t.sheets {
			rows[i] = sh.rows
		}
		body, err := csvFile(rows...)
		if err != nil {
			return err
		}
		return sendFile(w, "text/csv; charset=utf-8", fileName(t.name, "csv"), body)
	}
}
