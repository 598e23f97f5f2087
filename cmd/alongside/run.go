package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/mailer"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/web"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

// Env is the outside world of one run, so tests can run the real command.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, when set, is called with the listening address once the
	// server accepts connections (tests listen on port 0).
	Ready func(addr string)
}

// errUsage marks an error already explained by the flag package.
var errUsage = errors.New("usage")

const usage = `Alongside: software for recovery-focused mental health services.

Usage: alongside COMMAND [flags]

Commands:
  serve      run the web server
  demo       run the web server on a fresh database filled with demo data
  migrate    bring the database schema up to date
  user       create a user, make a password reset link, or disable a user
  key        make a server key, or move two-step sign-in secrets to a new one
  backup     copy a SQLite database to a file while the server runs
  restore    put a backup in place of a SQLite database that is not in use
  version    print the version

Run "alongside COMMAND --help" for a command's flags.
`

// Run runs one command and returns the exit status. Errors are one clear
// line on stderr.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], env, false)
	case "demo":
		err = cmdServe(ctx, args[1:], env, true)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], env)
	case "user":
		err = cmdUser(ctx, args[1:], env)
	case "key":
		err = cmdKey(ctx, args[1:], env)
	case "backup":
		err = cmdBackup(ctx, args[1:], env)
	case "restore":
		err = cmdRestore(ctx, args[1:], env)
	case "version":
		fmt.Fprintf(env.Stdout, "alongside %s\n", Version)
		return 0
	default:
		fmt.Fprintf(env.Stderr, "alongside: unknown command %q (run \"alongside --help\")\n", args[0])
		return 2
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(env.Stderr, "alongside: %v\n", err)
	return 1
}

// newFlags makes a flag set that prints its own help and usage errors.
func newFlags(name, summary string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: alongside %s\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// setting returns the environment variable, or def.
func setting(env Env, name, def string) string {
	if v := env.Getenv(name); v != "" {
		return v
	}
	return def
}

// dbFlag adds --db, defaulting from ALONGSIDE_DB.
func dbFlag(fs *flag.FlagSet, env Env, def string) *string {
	return fs.String("db", setting(env, "ALONGSIDE_DB", def), "database: sqlite:PATH or a postgres:// URL (env ALONGSIDE_DB)")
}

func parsePrefixes(list, what string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("%s: %q is not an address range like 10.0.0.0/8", what, f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func cmdServe(ctx context.Context, args []string, env Env, demo bool) error {
	name, summary := "serve", "Runs the web server on the given database, migrating it first."
	defDB := "sqlite:alongside.db"
	if demo {
		name, summary = "demo", "Runs the web server on a fresh database filled with invented demo data, and prints\nthe demo accounts. Without --db, the database is a temporary file removed on exit."
		defDB = ""
	}
	fs := newFlags(name, summary, env)
	addr := fs.String("addr", setting(env, "ALONGSIDE_ADDR", "127.0.0.1:8080"), "address to listen on (env ALONGSIDE_ADDR)")
	var db *string
	if demo {
		db = fs.String("db", "", "database to fill with demo data (must be empty): sqlite:PATH or a postgres:// URL")
	} else {
		db = dbFlag(fs, env, defDB)
	}
	proxies := fs.String("trusted-proxies", setting(env, "ALONGSIDE_TRUSTED_PROXIES", ""), "comma-separated address ranges of load balancers whose X-Forwarded-For/-Proto to believe (env ALONGSIDE_TRUSTED_PROXIES)")
	baseURL := fs.String("base-url", setting(env, "ALONGSIDE_BASE_URL", ""), "public address used in emailed links, e.g. https://alongside.example.org (env ALONGSIDE_BASE_URL)")
	metricsAllow := fs.String("metrics-allow", setting(env, "ALONGSIDE_METRICS_ALLOW", ""), "address ranges allowed to read /metrics, e.g. 10.0.0.0/8; empty allows only this machine (loopback) (env ALONGSIDE_METRICS_ALLOW)")
	idle := fs.Duration("session-idle", durationSetting(env, "ALONGSIDE_SESSION_IDLE", alongside.DefaultSessionPolicy.Idle), "sign out after this long without activity (env ALONGSIDE_SESSION_IDLE)")
	absolute := fs.Duration("session-max", durationSetting(env, "ALONGSIDE_SESSION_MAX", alongside.DefaultSessionPolicy.Absolute), "sign out this long after signing in, however active (env ALONGSIDE_SESSION_MAX)")
	keyFile := keyFlag(fs, env)
	tz := fs.String("timezone", setting(env, "ALONGSIDE_TIMEZONE", web.DefaultZone), "time zone pages show dates and times in, by its name in the zone database, with summer time (env ALONGSIDE_TIMEZONE)")
	var demoPassword *string
	if demo {
		demoPassword = fs.String("demo-password", "", "one password for every demo account (default: a new random one, printed)")
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	trusted, err := parsePrefixes(*proxies, "--trusted-proxies")
	if err != nil {
		return err
	}
	allow, err := parsePrefixes(*metricsAllow, "--metrics-allow")
	if err != nil {
		return err
	}
	zone, err := web.LoadZone(*tz)
	if err != nil {
		return fmt.Errorf("--timezone: %v", err)
	}
	if *idle <= 0 || *absolute <= 0 {
		return fmt.Errorf("session times must be positive")
	}
	var mail mailer.Mailer
	if raw := env.Getenv("ALONGSIDE_SMTP_URL"); raw != "" {
		m, err := mailer.ParseURL(raw, env.Getenv("ALONGSIDE_MAIL_FROM"))
		if err != nil {
			return err
		}
		mail = m
	}
	dsn := *db
	if demo && dsn == "" {
		dir, err := os.MkdirTemp("", "alongside-demo-")
		if err != nil {
			return fmt.Errorf("cannot make a folder for the demo database: %v", err)
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + dir + "/demo.db"
	}
	if _, _, err := sqlstore.ParseDSN(dsn); err != nil {
		return err
	}
	// Listen before opening the database, so a port in use is reported at once.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", *addr, listenReason(err))
	}
	defer ln.Close()
	unlock, err := lockDatabase(dsn, false)
	if err != nil {
		return err
	}
	defer unlock()
	store, err := sqlstore.OpenMigrated(ctx, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	say := func(msg string) { fmt.Fprintln(env.Stdout, msg) }
	if demo && *db == "" {
		say = func(string) {} // the key goes with the temporary database
	}
	key, err := serverKey(env, *keyFile, dsn, say)
	if err != nil {
		return err
	}
	store.Key = &key

	logger := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// Secrets stored in plain text by an older Alongside are sealed once, here.
	if n, err := store.Accounts.SealTOTPSecrets(ctx); err != nil {
		return fmt.Errorf("sealing two-step sign-in secrets with the server key: %v", err)
	} else if n > 0 {
		logger.Info("sealed two-step sign-in secrets with the server key", "count", n)
	}
	cfg := web.Config{BaseURL: *baseURL, TrustedProxies: trusted, MetricsAllow: allow, Mailer: mail, Logger: logger,
		Session: alongside.SessionPolicy{Idle: *idle, Absolute: *absolute}, Password: auth.DefaultParams,
		FormKey: key.Derive("form tokens"), Zone: zone}
	if demo {
		if err := seedDemo(ctx, store, *demoPassword, env); err != nil {
			return err
		}
	}
	srv, err := web.New(store, cfg)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	go eraseClosedAccounts(ctx, store, logger)
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "Alongside %s is running at %s (database: %s)\n", Version, url, store.Engine())
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return httpSrv.Shutdown(shutdown)
}

// eraseClosedAccounts erases closed accounts whose retention has passed,
// and the drafts of sheet links that have expired, at start and then every hour, while the server runs. Several servers on
// one database may each do it: erasing is idempotent.
func eraseClosedAccounts(ctx context.Context, store *sqlstore.Store, logger *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := store.Accounts.EraseDue(ctx); err != nil && ctx.Err() == nil {
			logger.Error("erasing closed accounts", "err", err)
		} else if n > 0 {
			logger.Info("erased closed accounts", "count", n)
		}
		// Half-answered sheets of links that have expired go too.
		if _, err := store.Reviews.PruneSheetDrafts(ctx); err != nil && ctx.Err() == nil {
			logger.Error("deleting drafts of expired sheet links", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func durationSetting(env Env, name string, def time.Duration) time.Duration {
	if v := env.Getenv(name); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

func listenReason(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		msg := op.Err.Error()
		if strings.Contains(msg, "address already in use") {
			return "the port is already in use (is another Alongside running?)"
		}
		return msg
	}
	return err.Error()
}

func cmdMigrate(ctx context.Context, args []string, env Env) error {
	fs := newFlags("migrate", "Brings the database schema up to date. Safe to run twice, and while servers run.", env)
	db := dbFlag(fs, env, "sqlite:alongside.db")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Applied %d migration(s); the schema is at version %d.\n", n, s.SchemaVersion())
	return nil
}
