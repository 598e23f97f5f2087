package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/alongside-recovery/alongside"
)

// An action plan is exported as two tables: the actions, one row each, and
// the strengths and areas for development, one row per indicator. The XLSX
// file has a sheet for each; the CSV file has the actions, a blank row, then
// the strengths and areas (one file is easier to keep with the review than
// two).

// planTables returns the actions table and the findings table, each with
// its header row first.
func (s *Server) planTables(r *http.Request, c *call) (actions, findings [][]string, err error) {
	ctx := r.Context()
	set, err := s.store.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return nil, nil, err
	}
	plan, err := s.store.ActionPlan(ctx, c.review.ID)
	if err != nil {
		return nil, nil, err
	}
	findings = [][]string{{"Indicator", "Strengths to build on", "Areas for development"}}
	for _, in := range set.Indicators {
		fd := plan.Findings[in.Key]
		findings = append(findings, []string{in.Name, fd.Strengths, fd.Areas})
	}
	actions = [][]string{{"What", "Who", "By when", "Status", "Indicators", "Themes", "Overdue", "Progress notes", "Examples of change in practice"}}
	today := s.store.Clock.Now()
	for _, a := range plan.Actions {
		var notes, examples []string
		for _, n := range a.Notes {
			notes = append(notes, fmt.Sprintf("%s, %s: %s", n.WrittenAt.Format("2 January 2006"), n.WrittenByName, n.Text))
		}
		for _, e := range a.Examples {
			examples = append(examples, fmt.Sprintf("%s, %s: %s", e.AddedAt.Format("2 January 2006"), e.AddedByName, e.Text))
		}
		overdue := "no"
		if a.Overdue(today) {
			overdue = "yes"
		}
		actions = append(actions, []string{a.What, a.Who, a.Due, a.Status.Label(), strings.Join(indicatorNames(set, a), "; "), strings.Join(themeLabels(a), "; "),
			overdue, strings.Join(notes, "\n"), strings.Join(examples, "\n")})
	}
	return actions, findings, nil
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

func (s *Server) actionPlanCSV(w http.ResponseWriter, r *http.Request, c *call) error {
	actions, findings, err := s.planTables(r, c)
	if err != nil {
		return err
	}
	body, err := csvFile(actions, findings)
	if err != nil {
		return err
	}
	return download(w, "text/csv; charset=utf-8", planFilename(c.review, "csv"), body)
}

func (s *Server) actionPlanXLSX(w http.ResponseWriter, r *http.Request, c *call) error {
	actions, findings, err := s.planTables(r, c)
	if err != nil {
		return err
	}
	body, err := xlsxFile(xlsxSheet{"Actions", actions, 30}, xlsxSheet{"Strengths and areas", findings, 50})
	if err != nil {
		return err
	}
	return download(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", planFilename(c.review, "xlsx"), body)
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

// planFilename names a download after the service and the review, in plain
// ASCII so that every browser keeps it.
func planFilename(rv *alongside.Review, ext string) string {
	return fileName("action plan "+rv.ServiceName+" "+rv.Title, ext)
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

func download(w http.ResponseWriter, contentType, filename string, body []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}
