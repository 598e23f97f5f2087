package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"
)

// An action plan is exported as two tables: the actions, one row each, and
// the strengths and areas for development, one row per indicator. The XLSX
// file has a sheet for each; the CSV file has the actions, a blank row, then
// the strengths and areas (one file is easier to keep with the review than
// two).

// planTables is the actions table and the findings table, each with its
// header row first. The plan holds the team's own words and no figures
// about people.
func (s *Server) planTables(r *http.Request, c *call) (*tables, error) {
	ctx := r.Context()
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return nil, err
	}
	plan, err := s.store.ActionPlans.ActionPlan(ctx, c.review.ID)
	if err != nil {
		return nil, err
	}
	findings := [][]string{{"Indicator", "Strengths to build on", "Areas for development"}}
	for _, in := range set.Indicators {
		fd := plan.Findings[in.Key]
		findings = append(findings, []string{in.Name, fd.Strengths, fd.Areas})
	}
	actions := [][]string{{"What", "Who", "By when", "Status", "Indicators", "Themes", "Overdue", "Progress notes", "Examples of change in practice"}}
	today := s.zone.day(s.now())
	for _, a := range plan.Actions {
		var notes, examples []string
		for _, n := range a.Notes {
			notes = append(notes, fmt.Sprintf("%s, %s: %s", s.zone.date(n.WrittenAt), n.WrittenByName, n.Text))
		}
		for _, e := range a.Examples {
			examples = append(examples, fmt.Sprintf("%s, %s: %s", s.zone.date(e.AddedAt), e.AddedByName, e.Text))
		}
		overdue := "no"
		if a.Overdue(today) {
			overdue = "yes"
		}
		actions = append(actions, []string{a.What, a.Who, a.Due, a.Status.Label(), strings.Join(indicatorNames(set, a), "; "), strings.Join(themeLabels(a), "; "),
			overdue, strings.Join(notes, "\n"), strings.Join(examples, "\n")})
	}
	return &tables{name: "action plan " + c.review.ServiceName + " " + c.review.Title,
		sheets: []xlsxSheet{{"Actions", actions, 30}, {"Strengths and areas", findings, 50}}}, nil
}

// csvSafe stops a spreadsheet reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// csvFile writes tables one after another, a blank row between them, every
// cell made safe from formulas.
func csvFile(tables ...[][]string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF") // so that spreadsheets read the file as UTF-8
	cw := csv.NewWriter(&buf)
	for i, rows := range tables {
		if i > 0 {
			cw.Write([]string{""})
		}
		for _, row := range rows {
			safe := make([]string, len(row))
			for j, v := range row {
				safe[j] = csvSafe(v)
			}
			cw.Write(safe)
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// xlsxSheet is one sheet of a spreadsheet: rows of text, the first a header.
type xlsxSheet struct {
	name  string
	rows  [][]string
	width float64 // of each column
}

// xlsxFile builds a spreadsheet. Cells are written as strings, so nothing in
// them is run as a formula.
func xlsxFile(sheets ...xlsxSheet) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	header, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	body, err := x.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", sh.name); err != nil {
				return nil, err
			}
		} else if _, err := x.NewSheet(sh.name); err != nil {
			return nil, err
		}
		for ri, row := range sh.rows {
			for ci, v := range row {
				cell, err := excelize.CoordinatesToCellName(ci+1, ri+1)
				if err != nil {
					return nil, err
				}
				if err := x.SetCellStr(sh.name, cell, v); err != nil {
					return nil, err
				}
			}
		}
		last, _ := excelize.ColumnNumberToName(len(sh.rows[0]))
		x.SetColWidth(sh.name, "A", last, sh.width)
		x.SetCellStyle(sh.name, "A1", last+"1", header)
		if len(sh.rows) > 1 {
			x.SetCellStyle(sh.name, "A2", fmt.Sprintf("%s%d", last, len(sh.rows)), body)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fileName turns words into a download's file name in plain ASCII.
func fileName(words, ext string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(words) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-") + "." + ext
}

func sendFile(w http.ResponseWriter, contentType, filename string, body []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}
