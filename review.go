package alongside

import (
	"strings"
	"time"
)

// Stage is where a review is in its cycle. A review moves forward only.
type Stage string

const (
	StagePlanning       Stage = "planning"
	StageGathering      Stage = "gathering"       // evidence sheets are filled in
	StageActionPlanning Stage = "action_planning" // the team turns results into a plan
	StageComplete       Stage = "complete"
)

// Stages lists the stages in order.
var Stages = []Stage{StagePlanning, StageGathering, StageActionPlanning, StageComplete}

// Label is the stage in plain English.
func (s Stage) Label() string {
	switch s {
	case StagePlanning:
		return "Planning"
	case StageGathering:
		return "Gathering evidence"
	case StageActionPlanning:
		return "Action planning"
	case StageComplete:
		return "Complete"
	}
	return string(s)
}

// Next returns the stage after s, and false if s is the last.
func (s Stage) Next() (Stage, bool) {
	for i, x := range Stages {
		if x == s && i+1 < len(Stages) {
			return Stages[i+1], true
		}
	}
	return "", false
}

// Review is one cycle of a service's SRI 2 self-assessment. It keeps the
// statement set it started with, and links to the service's previous review
// so that the next can be compared with the last.
type Review struct {
	ID             int64
	OrgID          int64
	ServiceID      int64
	StatementSetID int64
	CoordinatorID  int64
	PreviousID     int64 // 0 for a service's first review
	Title          string
	Stage          Stage
	StartedAt      time.Time
	CompletedAt    time.Time
	Version        int
	Team           []int64 // practitioners taking part, besides the coordinator

	CoordinatorName string
	ServiceName     string
	TeamNames       []string
}

// Validate checks the review's title.
func (r *Review) Validate() error {
	r.Title = strings.TrimSpace(r.Title)
	switch {
	case r.Title == "":
		return Invalid(map[string]string{"title": "Give the review a name, like “Spring 2027 review”."})
	case len(r.Title) > 200:
		return Invalid(map[string]string{"title": "The name must be 200 characters or fewer."})
	case TextProblem(r.Title) != "":
		return Invalid(map[string]string{"title": TextProblem(r.Title)})
	}
	return nil
}

// InTeam reports whether the user coordinates the review or is in its team.
func (r *Review) InTeam(userID int64) bool {
	if r.CoordinatorID == userID {
		return true
	}
	for _, id := range r.Team {
		if id == userID {
			return true
		}
	}
	return false
}
