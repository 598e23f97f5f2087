package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/sqlstore"
)

type statementSetsData struct {
	OrgID    int64
	OrgName  string
	Sets     []sqlstore.LoadedStatementSet
	Problems content.Problems
}

func (s *Server) statementSetsPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, probs content.Problems) error {
	sets, err := s.store.Organisations.StatementSets(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "statement_sets", page{Title: "Indicators and statements", Form: f,
		Data: statementSetsData{OrgID: c.org.ID, OrgName: c.org.Name, Sets: sets, Problems: probs}})
}

func (s *Server) statementSets(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.statementSetsPage(w, r, c, http.StatusOK, newForm(r), nil)
}

// loadStatementSet takes an uploaded statement set file. A file with any
// problem is refused whole, with each problem and its line number.
func (s *Server) loadStatementSet(w http.ResponseWriter, r *http.Request, c *call) error {
	f := &Form{}
	refuse := func(status int, msg string, probs content.Problems) error {
		f.Add("file", msg)
		return s.statementSetsPage(w, r, c, status, f, probs)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return refuse(http.StatusUnprocessableEntity, "Choose a statement set file to load (plain text, at most 1 MB).", nil)
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, content.MaxFileBytes+1))
	if err != nil || len(body) > content.MaxFileBytes {
		return refuse(http.StatusUnprocessableEntity, "The file is larger than 1 MB.", nil)
	}
	loaded, err := s.store.Organisations.LoadStatementSet(r.Context(), c.org.ID, string(body))
	var probs content.Problems
	switch {
	case errors.As(err, &probs):
		return refuse(http.StatusUnprocessableEntity, fmt.Sprintf("The file has %s, so nothing was loaded. Correct them and load it again.", plural(len(probs), "problem", "problems")), probs)
	case err != nil && !f.Absorb(err, "file"):
		return err
	case err != nil:
		return s.statementSetsPage(w, r, c, http.StatusConflict, f, nil)
	}
	return redirect(w, r, fmt.Sprintf("/orgs/%d/statements", c.org.ID),
		fmt.Sprintf("“%s” version %d is loaded. New reviews will use it; reviews already started keep their own.", loaded.Set.Name, loaded.Set.Version))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
