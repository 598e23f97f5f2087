package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	clientIPKey
	secureKey
)

// middleware wraps the mux: request id, client address (believing proxies
// only when trusted), security headers, cross-origin POST refusal, panic
// recovery, and one access-log line and metric per request.
func (s *Server) middleware(next http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This form was sent from another website, so we did not act on it. Go back, reload the page and try again.")
	}))
	protected := csrf.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		ip, secure := s.clientAddress(r)
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		ctx = context.WithValue(ctx, clientIPKey, ip)
		ctx = context.WithValue(ctx, secureKey, secure)
		r = r.WithContext(ctx)

		h := w.Header()
		h.Set("X-Request-Id", id)
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				s.log.ErrorContext(ctx, "panic", "request_id", id, "panic", p, "stack", string(debug.Stack()))
				if !rec.wrote {
					s.renderError(rec, r, http.StatusInternalServerError, "")
				}
			}
			d := time.Since(start)
			s.metrics.observe(r.Pattern, r.Method, rec.status, d)
			attrs := []any{"request_id", id, "method", r.Method, "route", r.Pattern, "status", rec.status, "duration_ms", float64(d.Microseconds()) / 1000}
			// Routes that take anonymous answers name no client address.
			if !anonymousRoute(r.Pattern) {
				attrs = append(attrs, "ip", ip)
			}
			s.log.InfoContext(ctx, "request", attrs...)
		}()
		protected.ServeHTTP(rec, r)
	})
}

// anonymousRoutes are patterns whose requests must not be tied to an address
// or an account: answers through a personal invitation link or a survey's
// link.
var anonymousRoutes = map[string]bool{"GET /answer/{token}": true, "POST /answer/{token}": true, "GET /s/{token}": true, "POST /s/{token}": true}

func anonymousRoute(pattern string) bool { return anonymousRoutes[pattern] }

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// clientAddress returns the client's address and whether the connection is
// secure. X-Forwarded-For and X-Forwarded-Proto are believed only from a
// trusted proxy; the address taken is the nearest untrusted hop, so a client
// cannot forge its own.
func (s *Server) clientAddress(r *http.Request) (ip string, secure bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	secure = r.TLS != nil
	peer, err := netip.ParseAddr(host)
	if err != nil || !containsAddr(s.cfg.TrustedProxies, peer) {
		return host, secure
	}
	if proto := r.Header.Get("X-Forwarded-Proto"); proto != "" {
		secure = strings.EqualFold(strings.TrimSpace(strings.Split(proto, ",")[0]), "https")
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		host = a.Unmap().String()
		if !containsAddr(s.cfg.TrustedProxies, a) {
			break
		}
	}
	return host, secure
}

func requestID(ctx context.Context) string { v, _ := ctx.Value(requestIDKey).(string); return v }
func clientIP(r *http.Request) string      { v, _ := r.Context().Value(clientIPKey).(string); return v }
func isSecure(r *http.Request) bool        { v, _ := r.Context().Value(secureKey).(bool); return v }

// logError logs an internal error with the request id, so the id on the
// error page leads to the log line.
func (s *Server) logError(r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "internal error", slog.String("request_id", requestID(r.Context())), slog.String("route", r.Pattern), slog.Any("error", err))
}
