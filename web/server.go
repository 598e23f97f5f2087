// Package web is Alongside's HTTP interface: server-rendered pages that work
// without JavaScript. Handlers parse and validate requests into domain
// types, call the store, and render templates; they never write SQL and
// never decide access themselves (see handle.go and package authz).
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/formtoken"
	"github.com/alongside-recovery/alongside/internal/cache"
	"github.com/alongside-recovery/alongside/language"
	"github.com/alongside-recovery/alongside/mailer"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Config is what an operator can set.
type Config struct {
	BaseURL        string         // e.g. https://alongside.example.org; empty: taken from each request
	TrustedProxies []netip.Prefix // whose X-Forwarded-For / -Proto to believe
	MetricsAllow   []netip.Prefix // who may read /metrics; empty: loopback only
	Session        alongside.SessionPolicy
	Throttle       sqlstore.Throttle
	Password       auth.Params
	Mailer         mailer.Mailer // nil: links are shown on screen instead of sent
	Logger         *slog.Logger
	// FormKey signs the one-time tokens the server issues in forms; derived
	// from the server key, so every app server sharing that key accepts them.
	FormKey []byte
	// Zone is the time zone pages show times in; nil: DefaultZone.
	Zone *time.Location
}

// Server holds what every handler needs.
type Server struct {
	store    *sqlstore.Store
	cfg      Config
	log      *slog.Logger
	pages    *renderer
	mux      *http.ServeMux
	handler  http.Handler
	metrics  *metrics
	routes   []Route
	hashing  *hashSlots
	links    linkLimiter                                     // permits held for answers through each survey link
	results  *cache.Cache[resultsKey, string, template.HTML] // newResultsCache
	checkers *cache.Cache[int64, int, *language.Checker]     // newCheckerCache
	zone     zone                                            // the time zone pages show times in
}

// New builds the server and parses every template once.
func New(store *sqlstore.Store, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Session.Idle == 0 {
		cfg.Session = alongside.DefaultSessionPolicy
	}
	if cfg.Throttle.Window == 0 {
		cfg.Throttle = sqlstore.DefaultThrottle
	}
	if cfg.Password.Time == 0 {
		cfg.Password = auth.DefaultParams
	}
	if len(cfg.FormKey) == 0 {
		// Enough for one server; several must be given one key to share.
		cfg.FormKey = formtoken.NewKey()
	}
	if cfg.Zone == nil {
		loc, err := LoadZone(DefaultZone)
		if err != nil {
			return nil, err
		}
		cfg.Zone = loc
	}
	z := zone{cfg.Zone}
	if store != nil && store.Zone == nil {
		store.Zone = cfg.Zone
	}
	pages, err := newRenderer(z)
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, cfg: cfg, log: cfg.Logger, pages: pages, zone: z, mux: http.NewServeMux(), metrics: newMetrics(), results: newResultsCache(), checkers: newCheckerCache()}
	s.hashing = newHashSlots(s.metrics)
	s.registerRoutes()
	s.handler = s.middleware(s.mux)
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Registry exposes the metrics registry (for tests).
func (s *Server) Registry() *prometheus.Registry { return s.metrics.reg }

// Routes lists every route the server serves, for the authorization test.
func (s *Server) Routes() []Route { return s.routes }

// now is the store's clock, the one source of time.
func (s *Server) now() time.Time { return s.store.Clock.Now() }
