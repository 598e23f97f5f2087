package main

import (
	"context"
	"fmt"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Invented names, so that every row of the page has a plausible length.
var (
	firstNames = []string{"Aileen", "Bashir", "Catriona", "Dev", "Eilidh", "Fergus", "Gráinne", "Hamish", "Ines", "Jamie",
		"Kirsty", "Lachlan", "Mairi", "Niall", "Olamide", "Pádraig", "Rhona", "Struan", "Tamsin", "Uzma"}
	lastNames = []string{"Anderson", "Baird", "Cameron", "Dunbar", "Ewing", "Fraser", "Gillespie", "Henderson", "Innes",
		"Johnstone", "Kerr", "Lindsay", "MacLeod", "Nicolson", "Ogilvie", "Paterson", "Robertson", "Sutherland"}
)

// seed fills the store, through its public methods as the site itself
// would, with one organisation of three services. The practitioner it
// returns works in two of them, is allocated to twelve people, supervises
// two practitioners and is supervised by their manager, so their home page
// has every part a busy practitioner sees: the table of people, the invite
// buttons, their supervisor and their supervisees. Other staff and people
// fill the tables around them, so the queries do not run on near-empty
// tables.
func seed(ctx context.Context, s *sqlstore.Store) (*alongside.User, error) {
	org := &alongside.Organisation{Name: "Lochside Recovery Network"}
	if err := s.Organisations.CreateOrganisation(ctx, org); err != nil {
		return nil, err
	}
	var svcs []*alongside.Service
	for _, n := range []string{"Birchwood Supported Living", "Harbour View", "Thistle Court"} {
		sv := &alongside.Service{OrgID: org.ID, Name: n, Description: "Supported living in " + n + "."}
		if err := s.Organisations.CreateService(ctx, sv); err != nil {
			return nil, err
		}
		svcs = append(svcs, sv)
	}
	hash, err := auth.HashPassword(auth.TestParams, "correct horse battery staple")
	if err != nil {
		return nil, err
	}
	role := func(r alongside.Role, sv *alongside.Service) alongside.Membership {
		return alongside.Membership{Role: r, ServiceID: sv.ID}
	}
	user := func(name, email string, roles ...alongside.Membership) (*alongside.User, error) {
		u := &alongside.User{Name: name, Email: email, PasswordHash: hash}
		return u, s.Accounts.CreateUser(ctx, u, roles...)
	}

	manager, err := user("Morag Mackenzie", "morag@example.org",
		role(alongside.RoleServiceManager, svcs[0]), role(alongside.RoleServiceManager, svcs[1]))
	if err != nil {
		return nil, err
	}
	priya, err := user("Priya Sharma", "priya@example.org",
		role(alongside.RolePractitioner, svcs[0]), role(alongside.RolePractitioner, svcs[1]))
	if err != nil {
		return nil, err
	}
	var staff []*alongside.User // other practitioners: 0, 1 supervised by Priya
	for i, sp := range []struct {
		name, email string
		svc         int
	}{{"Sam Fraser", "sam@example.org", 0}, {"Oona Reid", "oona@example.org", 0},
		{"Isla Grant", "isla@example.org", 1}, {"Callum Ross", "callum@example.org", 2}} {
		u, err := user(sp.name, sp.email, role(alongside.RolePractitioner, svcs[sp.svc]))
		if err != nil {
			return nil, fmt.Errorf("staff %d: %w", i, err)
		}
		staff = append(staff, u)
	}

	// Twelve people in each service. Priya works with the first eight of
	// Birchwood and the first four of Harbour View; the others are
	// allocated to colleagues.
	for si, sv := range svcs {
		for i := range 12 {
			n := si*12 + i
			name := firstNames[n%len(firstNames)] + " " + lastNames[(n*7)%len(lastNames)]
			p, err := user(name, fmt.Sprintf("person%02d@example.org", n), role(alongside.RolePerson, sv))
			if err != nil {
				return nil, fmt.Errorf("person %d: %w", n, err)
			}
			var by *alongside.User
			switch {
			case si == 0 && i < 8, si == 1 && i < 4:
				by = priya
			case si == 0:
				by = staff[0]
			case si == 1:
				by = staff[2]
			default:
				by = staff[3]
			}
			if err := s.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: sv.ID, PractitionerID: by.ID, PersonID: p.ID}); err != nil {
				return nil, fmt.Errorf("allocating person %d: %w", n, err)
			}
		}
	}

	for _, sp := range []*alongside.Supervision{
		{OrgID: org.ID, SupervisorID: priya.ID, PractitionerID: staff[0].ID},
		{OrgID: org.ID, SupervisorID: priya.ID, PractitionerID: staff[1].ID},
		{OrgID: org.ID, SupervisorID: manager.ID, PractitionerID: priya.ID},
	} {
		if err := s.Relationships.AssignSupervisor(ctx, sp); err != nil {
			return nil, err
		}
	}
	return priya, nil
}
