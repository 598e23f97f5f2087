package web

import (
	"context"
	"net/http"
	"time"
)

// healthz says the process is up, without touching the database.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz says whether this server can serve: the database answers, and
// writes succeed (after one failed for want of disk space).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ready(ctx); err != nil {
		s.logError(r, err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable or full\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
