package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop the bench database

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// database is a fresh, migrated store and how to get rid of it.
type database struct {
	store    *sqlstore.Store
	engine   string // "sqlite" or "postgres"
	describe string // engine and version, for the report
	close    func()

	// serverCPU, for a PostgreSQL server on this machine, is the CPU time
	// the server has used; nil for SQLite, which runs inside this process,
	// and for a server elsewhere.
	serverCPU func() time.Duration

	// sessions, for PostgreSQL, counts the connections ever opened to the
	// bench database (pg_stat_database.sessions), to show pool churn.
	sessions func() int64
}

// openDatabase makes a fresh database: a temporary SQLite file, or a new
// database in the PostgreSQL server at dsn (internal/testdb does the same,
// but it needs a testing.TB, and this is a program).
func openDatabase(ctx context.Context, dsn string) (*database, error) {
	if dsn == "sqlite" {
		dir, err := os.MkdirTemp("", "alongside-bench-")
		if err != nil {
			return nil, err
		}
		s, err := sqlstore.OpenMigrated(ctx, "sqlite:"+dir+"/bench.db")
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		var v string
		s.DB().QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v)
		return &database{store: s, engine: "sqlite", describe: "SQLite " + v + " (modernc.org/sqlite), fresh temporary file, WAL",
			close: func() { s.Close(); os.RemoveAll(dir) }}, nil
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("-db %q: use sqlite or a postgres:// URL", dsn)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("alongside_bench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("creating the bench database: %w", err)
	}
	drop := func() {
		// Not ctx: after Ctrl-C the database must still be dropped.
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return nil, err
	}
	u.Path = "/" + name
	s, err := sqlstore.OpenMigrated(ctx, u.String())
	if err != nil {
		drop()
		return nil, err
	}
	var v string
	s.DB().QueryRowContext(ctx, "SHOW server_version").Scan(&v)
	db := &database{store: s, engine: "postgres", describe: "PostgreSQL " + v + " at " + u.Host + " (pgx), fresh database " + name,
		close: func() { s.Close(); drop() }}
	db.sessions = func() int64 {
		var n int64
		admin.QueryRow("SELECT sessions FROM pg_stat_database WHERE datname = $1", name).Scan(&n)
		return n
	}
	if h := u.Hostname(); (h == "127.0.0.1" || h == "localhost" || h == "::1") && postgresCPU() > 0 {
		db.serverCPU = postgresCPU
	}
	return db, nil
}

// postgresCPU reads, from Linux's /proc, the CPU time used so far by the
// PostgreSQL server on this machine: every live process named postgres,
// plus the time of its exited children (counted in the postmaster's
// cutime and cstime), so that backends which come and go during a run are
// not lost. It counts the whole server, including any other database's
// work, and is zero when no server runs here.
func postgresCPU() time.Duration {
	dirs, _ := os.ReadDir("/proc")
	var ticks int64
	for _, d := range dirs {
		if d.Name()[0] < '0' || d.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: utime, stime, cutime, cstime are
		// fields 14–17, in clock ticks of 1/100 s.
		lp, rp := strings.IndexByte(string(b), '('), strings.LastIndexByte(string(b), ')')
		if lp < 0 || rp < lp || string(b[lp+1:rp]) != "postgres" {
			continue
		}
		f := strings.Fields(string(b[rp+1:]))
		if len(f) < 15 {
			continue
		}
		for _, v := range f[11:15] {
			n, _ := strconv.ParseInt(v, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * time.Second / 100
}

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
	if err := s.CreateOrganisation(ctx, org); err != nil {
		return nil, err
	}
	var svcs []*alongside.Service
	for _, n := range []string{"Birchwood Supported Living", "Harbour View", "Thistle Court"} {
		sv := &alongside.Service{OrgID: org.ID, Name: n, Description: "Supported living in " + n + "."}
		if err := s.CreateService(ctx, sv); err != nil {
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
		return u, s.CreateUser(ctx, u, roles...)
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
			if err := s.Allocate(ctx, &alongside.Allocation{ServiceID: sv.ID, PractitionerID: by.ID, PersonID: p.ID}); err != nil {
				return nil, fmt.Errorf("allocating person %d: %w", n, err)
			}
		}
	}

	for _, sp := range []*alongside.Supervision{
		{OrgID: org.ID, SupervisorID: priya.ID, PractitionerID: staff[0].ID},
		{OrgID: org.ID, SupervisorID: priya.ID, PractitionerID: staff[1].ID},
		{OrgID: org.ID, SupervisorID: manager.ID, PractitionerID: priya.ID},
	} {
		if err := s.AssignSupervisor(ctx, sp); err != nil {
			return nil, err
		}
	}
	return priya, nil
}
