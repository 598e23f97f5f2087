package alongside

import (
	"fmt"
	"strings"
	"time"
)

// Organisation is a provider or network that runs services. Content it may
// adapt (statement sets, questionnaires, word lists) is stored per organisation.
type Organisation struct {
	ID              int64
	Name            string
	RequireStaffMFA bool // staff must turn on a second factor before using the site
	// RetentionDays is how long a closed account's records are stored before
	// they are erased (MinRetentionDays to MaxRetentionDays).
	RetentionDays int
	CreatedAt     time.Time
	Version       int
}

// Validate checks the organisation's name.
func (o *Organisation) Validate() error {
	o.Name = strings.TrimSpace(o.Name)
	if o.RetentionDays == 0 {
		o.RetentionDays = DefaultRetentionDays
	}
	switch {
	case o.Name == "":
		return Invalid(map[string]string{"name": "Enter the organisation's name."})
	case len(o.Name) > 200:
		return Invalid(map[string]string{"name": "Name must be 200 characters or fewer."})
	case TextProblem(o.Name) != "":
		return Invalid(map[string]string{"name": TextProblem(o.Name)})
	case o.RetentionDays < MinRetentionDays || o.RetentionDays > MaxRetentionDays:
		return Invalid(map[string]string{"retention": fmt.Sprintf("Keep closed accounts between %d and %d days.", MinRetentionDays, MaxRetentionDays)})
	}
	return nil
}

// A closed account's records are stored at least a week, so a mistaken closing can be
// undone, and at most about eight years, a common health-record period.
const (
	MinRetentionDays     = 7
	MaxRetentionDays     = 3000
	DefaultRetentionDays = 30
)

// Service is a team within an organisation.
type Service struct {
	ID          int64
	OrgID       int64
	Name        string
	Description string
	CreatedAt   time.Time
	Version     int

	OrgName string // filled in by queries that join
}

// Validate checks the service's name and description.
func (s *Service) Validate() error {
	f := map[string]string{}
	s.Name = strings.TrimSpace(s.Name)
	s.Description = strings.TrimSpace(s.Description)
	if s.Name == "" {
		f["name"] = "Enter the service's name."
	} else if len(s.Name) > 200 {
		f["name"] = "Name must be 200 characters or fewer."
	}
	if len(s.Description) > 2000 {
		f["description"] = "Description must be 2,000 characters or fewer."
	}
	keepable(f, "name", s.Name)
	keepable(f, "description", s.Description)
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}
