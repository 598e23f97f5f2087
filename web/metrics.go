package web

import (
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics counts requests and their durations by route pattern (never by raw
// path, which would carry ids and tokens).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// Passwords checked, against an account's hash or a stand-in for an
	// unknown email; and sign-ins turned away because every place in the
	// queue for a check was taken.
	passwordChecks, signInsBusy prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "alongside_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "alongside_http_request_duration_seconds", Help: "HTTP request durations by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "method"})
	m.passwordChecks = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "alongside_password_checks_total", Help: "Passwords checked against a stored hash, or a stand-in for an unknown email.",
	})
	m.signInsBusy = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "alongside_signins_busy_total", Help: "Sign-ins turned away because the queue for password checks was full.",
	})
	m.reg.MustRegister(m.requests, m.duration, m.passwordChecks, m.signInsBusy, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
}

// metricsHandler serves /metrics to the allowed addresses; with none set,
// only to the machine itself (loopback), and not to a request that came
// through a proxy, which may be passing on someone from anywhere.
func (s *Server) metricsHandler() http.Handler {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, err := netip.ParseAddr(clientIP(r))
		allowed := err == nil && containsAddr(s.cfg.MetricsAllow, ip)
		if len(s.cfg.MetricsAllow) == 0 {
			forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != ""
			allowed = err == nil && ip.Unmap().IsLoopback() && !forwarded
		}
		if !allowed {
			http.Error(w, "metrics are restricted on this server", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func containsAddr(ps []netip.Prefix, ip netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}
