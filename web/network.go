package web

import (
	"net/http"

	"github.com/alongside-recovery/alongside"
)

type networkRow struct {
	Service       alongside.Service
	People        int
	PeopleShown   bool
	Practitioners int
	PracShown     bool
}

type networkData struct {
	Org      *alongside.Organisation
	Rows     []networkRow
	MinGroup int
}

// network shows the organisation's services side by side, as numbers only.
func (s *Server) network(w http.ResponseWriter, r *http.Request, c *call) error {
	counts, err := s.store.ServiceCounts(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	d := networkData{Org: c.org, MinGroup: alongside.MinGroup}
	for _, sc := range counts {
		d.Rows = append(d.Rows, networkRow{Service: sc.Service, People: sc.People, PeopleShown: sc.People >= alongside.MinGroup,
			Practitioners: sc.Practitioners, PracShown: sc.Practitioners >= alongside.MinGroup})
	}
	return s.render(w, r, c, http.StatusOK, "network", page{Title: "Network: " + c.org.Name, Data: d})
}
