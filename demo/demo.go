// Package demo fills a fresh database with an invented recovery network, so
// that someone trying Alongside for the first time can sign in as each kind
// of user and see the product with people, relationships and numbers in it,
// rather than an empty site.
//
// The network mirrors the one in seed 003: an organisation running fourteen
// supported-living services, each with a manager, practitioners and people
// using the service. Every name, email address and place is invented; email
// addresses use the reserved domain example.org, so no message can reach a
// real person.
//
// The data is the same on every run (the review ratings' variation comes
// from a fixed seed), so that guides,
// screenshots and bug reports can name demo accounts and services.
package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// OrganisationName is the invented network the demo creates.
const OrganisationName = "Lochside Recovery Network"

// AuditActor is the name the audit log shows for every change the seed makes, so
// that an administrator reading the log sees where the demo data came from.
const AuditActor = "demo-setup"

// Account is one demo login, printed by `alongside demo`.
type Account struct {
	Role    string // one of: admin, manager, practitioner, supervisor, person, supporter, lead
	Email   string
	Service string // service name, or the organisation name for admin/lead (a supporter: their person's service)
}

// serviceSpec describes one demo service. The numbers are fixed rather than
// drawn at random so that the demo is the same every time.
type serviceSpec struct {
	name, slug, description string
	practitioners           int
	people                  int
	// invited is how many of the service's last people have been invited
	// but have not yet set a password, to show that state.
	invited int
}

// services are the fourteen services of the network. Most have at least five
// people, so the network view shows their figures; Kestrel Wynd and Puffin
// Close have fewer, so a newcomer also sees a figure held back (the network
// view hides counts under five, which could identify someone).
var services = []serviceSpec{
	{"Birchwood Supported Living", "birchwood", "Shared and single tenancies with support around the clock, in a quiet street by the park.", 5, 8, 0},
	{"Harbour View", "harbour-view", "Flats above the old harbour, with support during the day and on call at night.", 3, 6, 1},
	{"Thistle Court", "thistle-court", "A block of nine flats with a shared lounge and a weekly residents' meeting.", 5, 9, 0},
	{"Rowan House", "rowan-house", "A large house shared by seven tenants, each with their own tenancy.", 4, 7, 0},
	{"Heatherbank", "heatherbank", "Cottages on the edge of town, with a community garden run by the tenants.", 3, 5, 0},
	{"Bracken Lea", "bracken-lea", "Supported living for people moving on from hospital, with peer support.", 4, 8, 0},
	{"Lochan Gardens", "lochan-gardens", "Ground-floor flats around a shared garden, close to the college.", 5, 7, 1},
	{"Cairnfield Flats", "cairnfield", "Outreach support to people in their own tenancies across the town.", 3, 6, 0},
	{"Alder Brae", "alder-brae", "A hillside terrace of flats, with support for daily living and work.", 4, 9, 0},
	{"Kestrel Wynd", "kestrel-wynd", "A small service of three flats, supporting people through a first tenancy.", 3, 3, 0},
	{"Firthview Lodge", "firthview", "A lodge by the shore, with support around the clock.", 4, 6, 0},
	{"Whinbrae Supported Living", "whinbrae", "Support in people's own homes in the villages around Whinbrae.", 3, 7, 0},
	{"Puffin Close", "puffin-close", "Four flats in a quiet close, with a peer worker on the team.", 3, 4, 0},
	{"Corrie Steps", "corrie-steps", "A step-down service offering short stays after a crisis.", 5, 8, 0},
}

// supporterSpec is a supporter a person has invited. An empty last name
// means the supporter is a relative who shares the person's surname.
// Supporters with the same name are one account supporting several people.
type supporterSpec struct {
	service, person int
	first, last     string
	rel             alongside.SupporterRelationship
	accepted        bool
}

// supporters covers every kind of relationship, an advocate who supports
// two people, and one invitation not yet accepted. The first is the
// canonical supporter: the carer of the canonical person.
var supporters = []supporterSpec{
	{0, 0, "Margaret", "", alongside.SupporterCarer, true},
	{0, 0, "Kenneth", "Haldane", alongside.SupporterNamed, true},
	{0, 0, "Chloe", "Dunbar", alongside.SupporterFriend, false},
	{0, 1, "Ewan", "", alongside.SupporterFamily, true},
	{0, 2, "Ruth", "Ogilvie", alongside.SupporterAdvocate, true},
	{1, 0, "Ruth", "Ogilvie", alongside.SupporterAdvocate, true},
	{1, 2, "Agnes", "", alongside.SupporterFamily, true},
	{2, 3, "Tam", "Ballantyne", alongside.SupporterFriend, true},
}

// Names are built from these lists in turn. Their lengths have no common
// factor, so pairs do not repeat for a long while; the names are invented
// combinations, not anyone in particular.
var (
	firstNames = []string{
		"Ailsa", "Callum", "Eilidh", "Fraser", "Iona", "Lachlan", "Kirsty", "Ruaridh", "Isla", "Euan",
		"Catriona", "Hamish", "Mhairi", "Struan", "Fiona", "Angus", "Rhona", "Duncan", "Shona", "Alasdair",
		"Priya", "Finlay", "Lorna", "Gregor", "Agnieszka", "Niall", "Ishbel", "Murdo", "Elspeth", "Tariq",
		"Morven", "Jamie", "Aileen", "Kwame", "Sorcha", "Douglas", "Mei", "Ross", "Kenna", "Yusuf",
	}
	surnames = []string{
		"MacLeod", "Campbell", "Stewart", "Robertson", "Murray", "Henderson", "Paterson", "Ferguson", "Munro", "McIntyre",
		"Drummond", "Baird", "Sinclair", "Kerr", "Buchanan", "Lennox", "Rennie", "Wallace", "Cowan", "Galbraith",
		"Guthrie", "Macaulay", "Matheson", "Nicolson", "Urquhart", "Khan", "Nowak", "Chen", "Mensah", "Ahmed",
		"Cameron", "Forsyth", "Gallacher", "Johnstone", "McAllister", "Reid", "Shaw",
	}
)

// names hands out invented people, never the same email twice.
type names struct {
	n    int
	used map[string]bool
}

// next returns the next invented person.
func (g *names) next() (first, last string) {
	for {
		first, last = firstNames[g.n%len(firstNames)], surnames[(g.n*7+3)%len(surnames)]
		g.n++
		if !g.used[emailFor(first, last)] {
			return first, last
		}
	}
}

// email reserves and returns an address for the name, adding a number if
// someone already has it, as a real mail system would.
func (g *names) email(first, last string) string {
	e := emailFor(first, last)
	for i := 2; g.used[e]; i++ {
		e = strings.TrimSuffix(emailFor(first, last), "@example.org") + fmt.Sprint(i) + "@example.org"
	}
	g.used[e] = true
	return e
}

// emailFor is first.last@example.org with only the letters kept.
func emailFor(first, last string) string {
	letters := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, strings.ToLower(s))
	}
	return letters(first) + "." + letters(last) + "@example.org"
}

// built is a service as created, with its members in order.
type built struct {
	svc           *alongside.Service
	manager       *alongside.User
	practitioners []*alongside.User
	people        []*alongside.User
}

type seeder struct {
	ctx        context.Context
	s          *sqlstore.Store
	hash       string
	names      names
	org        *alongside.Organisation
	supporters map[string]*supporterAccount // by name
}

// supporterAccount is a supporter already invited by someone, so that a
// second person invites the same account.
type supporterAccount struct {
	email string
}

// Seed fills the store. passwordHash is an argon2id PHC string set on every
// demo account (hashed once by the caller so that seeding takes well under a
// second per hundred accounts). It returns the accounts to print: exactly one
// per role word, the canonical logins a newcomer should try, in the order
// admin, lead, manager, supervisor, practitioner, person, supporter.
//
// Seed refuses a database that already holds an organisation: every demo
// account shares one known password, so demo data must never be mixed with
// real people's accounts. It is not atomic (it uses the store's ordinary
// methods, one transaction each, so the audit log reads as real use); if it
// fails part-way the caller should discard the database.
func Seed(ctx context.Context, s *sqlstore.Store, passwordHash string) ([]Account, error) {
	if passwordHash == "" {
		return nil, fmt.Errorf("demo: a password hash is needed, or no demo account could sign in")
	}
	ctx = alongside.WithOrigin(ctx, alongside.Origin{ActorEmail: AuditActor})
	orgs, err := s.Organisations.Organisations(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if len(orgs) > 0 {
		return nil, alongside.Errorf(alongside.ECONFLICT,
			"The database already holds %d organisation(s). Demo data goes only into a fresh, empty database.", len(orgs))
	}
	sd := &seeder{ctx: ctx, s: s, hash: passwordHash, names: names{used: map[string]bool{}}, supporters: map[string]*supporterAccount{}}
	accounts, err := sd.run()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return accounts, nil
}

func (sd *seeder) run() ([]Account, error) {
	sd.org = &alongside.Organisation{Name: OrganisationName}
	if err := sd.s.Organisations.CreateOrganisation(sd.ctx, sd.org); err != nil {
		return nil, fmt.Errorf("organisation: %w", err)
	}
	org := alongside.Membership{OrgID: sd.org.ID}

	// The organisation role comes first so that the account's creation is
	// logged within the organisation, where its administrators look.
	admin, err := sd.user("Alex Moncrieff", "admin@example.org",
		with(org, alongside.RoleOrgAdmin), alongside.Membership{Role: alongside.RoleSystemAdmin})
	if err != nil {
		return nil, err
	}
	lead, err := sd.user("Duncan Tennant", "lead@example.org", with(org, alongside.RoleNetworkLead))
	if err != nil {
		return nil, err
	}

	all := make([]*built, len(services))
	for i, spec := range services {
		if all[i], err = sd.service(i, spec); err != nil {
			return nil, fmt.Errorf("%s: %w", spec.name, err)
		}
	}

	var carer *alongside.User
	for i, sp := range supporters {
		u, err := sd.supporter(all[sp.service], sp)
		if err != nil {
			return nil, fmt.Errorf("supporter %s %s: %w", sp.first, sp.last, err)
		}
		if i == 0 {
			carer = u
		}
	}

	// The canonical accounts all meet in the first service: the supervisor
	// supervises the practitioner, who works with the person, whose carer is
	// the supporter. Signing in as each in turn shows one story from every
	// side.
	if err := sd.reviews(all); err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	if err := sd.plans(all); err != nil {
		return nil, fmt.Errorf("recovery plans: %w", err)
	}
	if err := sd.development(all[0]); err != nil {
		return nil, fmt.Errorf("practitioner development: %w", err)
	}
	if err := sd.writing(all[0]); err != nil {
		return nil, fmt.Errorf("staff writing: %w", err)
	}
	if err := sd.surveys(all, lead); err != nil {
		return nil, fmt.Errorf("surveys: %w", err)
	}

	first := all[0]
	svc := first.svc.Name
	return []Account{
		{"admin", admin.Email, sd.org.Name},
		{"lead", lead.Email, sd.org.Name},
		{"manager", first.manager.Email, svc},
		{"supervisor", first.practitioners[0].Email, svc},
		{"practitioner", first.practitioners[1].Email, svc},
		{"person", first.people[0].Email, svc},
		{"supporter", carer.Email, svc},
	}, nil
}

// with returns the membership m with the role set.
func with(m alongside.Membership, r alongside.Role) alongside.Membership {
	m.Role = r
	return m
}

// user creates an account with its roles and the demo password in one
// transaction. CreateUser stores a PasswordHash set beforehand, which saves
// a SetPassword transaction per account.
func (sd *seeder) user(name, email string, roles ...alongside.Membership) (*alongside.User, error) {
	u := &alongside.User{Name: name, Email: email, PasswordHash: sd.hash}
	if err := sd.s.Accounts.CreateUser(sd.ctx, u, roles...); err != nil {
		return nil, fmt.Errorf("account %s: %w", email, err)
	}
	return u, nil
}

// service creates one service with its manager, practitioners and people,
// their allocations and supervision.
func (sd *seeder) service(i int, spec serviceSpec) (*built, error) {
	b := &built{svc: &alongside.Service{OrgID: sd.org.ID, Name: spec.name, Description: spec.description}}
	if err := sd.s.Organisations.CreateService(sd.ctx, b.svc); err != nil {
		return nil, err
	}
	in := alongside.Membership{ServiceID: b.svc.ID}
	first, last := sd.names.next()
	var err error
	// A manager's address names the service, as a team mailbox would, so
	// that a newcomer can guess any service's manager.
	email := "manager." + spec.slug + "@example.org"
	sd.names.used[email] = true
	if b.manager, err = sd.user(first+" "+last, email, with(in, alongside.RoleServiceManager)); err != nil {
		return nil, err
	}
	for range spec.practitioners {
		first, last := sd.names.next()
		u, err := sd.user(first+" "+last, sd.names.email(first, last), with(in, alongside.RolePractitioner))
		if err != nil {
			return nil, err
		}
		b.practitioners = append(b.practitioners, u)
	}

	// Each person works with one practitioner, and every third person with
	// a second as well. Person 0 is allocated to practitioner 1, which in
	// the first service makes the canonical practitioner work with the
	// canonical person.
	k := len(b.practitioners)
	for j := range spec.people {
		first, last := sd.names.next()
		name, email := first+" "+last, sd.names.email(first, last)
		workers := []*alongside.User{b.practitioners[(j+1)%k]}
		if j%3 == 0 {
			workers = append(workers, b.practitioners[(j+2)%k])
		}
		var u *alongside.User
		if j >= spec.people-spec.invited {
			// Invited by their practitioner and allocated in the same
			// transaction, as the web does; the link is not used, so the
			// person shows as invited, without a password.
			u = &alongside.User{Name: name, Email: email}
			if _, err := sd.s.Links.InviteUser(sd.ctx, u, with(in, alongside.RolePerson), workers[0].ID); err != nil {
				return nil, fmt.Errorf("invite %s: %w", email, err)
			}
		} else {
			if u, err = sd.user(name, email, with(in, alongside.RolePerson)); err != nil {
				return nil, err
			}
			if err := sd.allocate(b, workers[0], u); err != nil {
				return nil, err
			}
		}
		for _, w := range workers[1:] {
			if err := sd.allocate(b, w, u); err != nil {
				return nil, err
			}
		}
		b.people = append(b.people, u)
	}

	// Two ways of arranging supervision, so the organisation's list shows
	// both: in even-numbered services (the first included) a senior
	// practitioner supervises the rest of the team and is supervised by the
	// manager; in the others the manager supervises everyone.
	for p, u := range b.practitioners {
		sup := b.manager
		if i%2 == 0 && p > 0 {
			sup = b.practitioners[0]
		}
		if err := sd.s.Relationships.AssignSupervisor(sd.ctx, &alongside.Supervision{OrgID: sd.org.ID, SupervisorID: sup.ID, PractitionerID: u.ID}); err != nil {
			return nil, fmt.Errorf("supervision of %s: %w", u.Email, err)
		}
	}
	return b, nil
}

func (sd *seeder) allocate(b *built, practitioner, person *alongside.User) error {
	err := sd.s.Relationships.Allocate(sd.ctx, &alongside.Allocation{ServiceID: b.svc.ID, PractitionerID: practitioner.ID, PersonID: person.ID})
	if err != nil {
		return fmt.Errorf("allocate %s to %s: %w", practitioner.Email, person.Email, err)
	}
	return nil
}

// supporter has a person invite a supporter, the way the person would on
// the site, and, if sp.accepted, the supporter accept by following the
// link. Someone who already has an account (the advocate's second person)
// accepts without setting a password again.
func (sd *seeder) supporter(b *built, sp supporterSpec) (*alongside.User, error) {
	person := b.people[sp.person]
	last := sp.last
	if last == "" {
		last = person.Name[strings.LastIndex(person.Name, " ")+1:]
	}
	name := sp.first + " " + last
	known, again := sd.supporters[name]
	if !again {
		known = &supporterAccount{email: sd.names.email(sp.first, last)}
		sd.supporters[name] = known
	}
	token, err := sd.s.Links.InviteSupporter(sd.ctx, person.ID, name, known.email, sp.rel)
	if err != nil {
		return nil, err
	}
	u, err := sd.s.Accounts.UserByEmail(sd.ctx, known.email)
	if err != nil || !sp.accepted {
		return u, err
	}
	if token != "" {
		_, err = sd.s.Links.UseLink(sd.ctx, token, sd.hash)
		return u, err
	}
	// Someone who already has an account answers once signed in (and
	// sets a password of their own first, if they had none).
	if !u.HasPassword() {
		if err := sd.s.Accounts.SetPassword(sd.ctx, u.ID, sd.hash); err != nil {
			return nil, err
		}
	}
	reqs, err := sd.s.Links.SupporterRequests(sd.ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for i := range reqs {
		if reqs[i].PersonID == person.ID {
			err = sd.s.Links.AnswerSupporterRequest(sd.ctx, &reqs[i], true)
		}
	}
	return u, err
}
