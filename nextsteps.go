package alongside

import "time"

// NextSteps is what a home page says to do next, read in one query
// (sqlstore.Store.NextSteps): for plans the viewer writes in (their own, or
// the people a practitioner is allocated to) what changed since they last
// looked and what is due a look; for a manager the reviews under way in
// their services, actions due and surveys open; for a network lead the
// reviews under way and completed this year, and the network's surveys
// open. What the viewer may see of it is decided in authz by the page.
type NextSteps struct {
	Plans   map[int64]*PlanNews // by person
	Reviews []ReviewUnderWay    // a manager's services, and a lead's networks
	Actions []ActionDue         // a manager's services: due within two weeks or overdue
	Waves   []OpenWave          // surveys with a wave open today
	// Reflections is how many after-session reflections a practitioner
	// has written, LastReflection the latest.
	Reflections    int
	LastReflection time.Time
}

// PlanNews is what is new in one person's plan for one viewer.
type PlanNews struct {
	PersonID      int64
	Version       int // saves the plan has had
	SignedVersion int // the version the person last signed off; 0 for never
	SignedAt      time.Time
	Looked        bool         // the viewer has opened the plan before
	Changes       []PlanChange // saves by others since the viewer last looked
	Due           []GoalDue    // goals, reviews and the advance statement due a look
}

// PlanChange is one section saved by one writer since the viewer last
// looked: how many saves, and when the latest was.
type PlanChange struct {
	Section   string
	By        int64
	ByName    string
	Saves     int
	ChangedAt time.Time
}

// ReviewUnderWay is a review not yet complete, or one completed (for a
// network lead's count of this year's).
type ReviewUnderWay struct {
	ID          int64
	OrgID       int64
	ServiceID   int64
	ServiceName string
	Title       string
	Stage       Stage
	StartedAt   time.Time
	CompletedAt time.Time
	// Lead marks a row read for a network lead's view of their network
	// rather than a manager's view of their services.
	Lead bool
}

// ActionDue is an action of a review's plan with a due date, not done
// and going ahead.
type ActionDue struct {
	ID          int64
	ReviewID    int64
	ServiceID   int64
	ServiceName string
	What        string
	Due         string // as stored, DateLayout
	Status      ActionStatus
}

// Overdue reports whether the action's date is before today.
func (a ActionDue) Overdue(today time.Time) bool { return a.Due < today.Format(DateLayout) }

// OpenWave is a survey with a wave open today.
type OpenWave struct {
	SurveyID  int64
	OrgID     int64
	ServiceID int64 // 0 for a survey of the whole network
	Title     string
	Label     string
	ClosesOn  string // DateLayout
}
