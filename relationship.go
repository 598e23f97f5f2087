package alongside

import "time"

// Allocation says a practitioner works with a person. The service manager
// makes it; the person can see it. Access to a person's records follows
// allocations, not membership of the service alone.
type Allocation struct {
	ID             int64
	ServiceID      int64
	PractitionerID int64
	PersonID       int64
	CreatedAt      time.Time

	PractitionerName string
	PersonName       string
	ServiceName      string
}

// Supervision says a supervisor supports a practitioner's development.
type Supervision struct {
	ID             int64
	OrgID          int64
	SupervisorID   int64
	PractitionerID int64
	CreatedAt      time.Time

	SupervisorName   string
	PractitionerName string
}

// SupporterRelationship names who a supporter is to the person.
type SupporterRelationship string

const (
	SupporterCarer    SupporterRelationship = "carer"
	SupporterFamily   SupporterRelationship = "family"
	SupporterFriend   SupporterRelationship = "friend"
	SupporterNamed    SupporterRelationship = "named_person"
	SupporterAdvocate SupporterRelationship = "advocate"
)

// SupporterRelationships lists the choices in the order they are offered.
var SupporterRelationships = []SupporterRelationship{SupporterCarer, SupporterFamily, SupporterFriend, SupporterNamed, SupporterAdvocate}

// Label is the relationship in plain English.
func (r SupporterRelationship) Label() string {
	switch r {
	case SupporterCarer:
		return "Carer"
	case SupporterFamily:
		return "Family"
	case SupporterFriend:
		return "Friend"
	case SupporterNamed:
		return "Named person"
	case SupporterAdvocate:
		return "Independent advocate"
	}
	return string(r)
}

// Valid reports whether r is one of the offered relationships.
func (r SupporterRelationship) Valid() bool {
	for _, x := range SupporterRelationships {
		if r == x {
			return true
		}
	}
	return false
}

// SupporterLink joins a supporter to the one person who invited them.
type SupporterLink struct {
	ID           int64
	PersonID     int64
	SupporterID  int64
	Relationship SupporterRelationship
	CreatedAt    time.Time
	AcceptedAt   time.Time // zero until the supporter accepts the invitation
	// SharingVersion counts the saves of what the person shares with this
	// supporter: a save from an older version is a conflict.
	SharingVersion int

	PersonName     string
	SupporterName  string
	SupporterEmail string
}
