package web

import (
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// hashSlots bounds how many password hashes run at once. Each argon2id hash
// with the production settings takes 64 MiB; a burst of sign-ins must queue,
// not exhaust the server's memory.
//
// The queue of sign-ins is bounded too: each takes a place (enter) before
// its attempt is counted, and when every place is taken the answer is "try
// again in a minute" at once. A waiting sign-in is then never more than
// three hashes per slot (about a third of a second) from its turn.
type hashSlots struct {
	run     chan struct{} // hashes running
	signIns chan struct{} // sign-ins hashing or waiting to
	checks  prometheus.Counter
}

func newHashSlots(m *metrics) *hashSlots {
	n := max(2, runtime.GOMAXPROCS(0))
	return &hashSlots{run: make(chan struct{}, n), signIns: make(chan struct{}, 4*n), checks: m.passwordChecks}
}

// enter takes a place in the queue of sign-ins, if one is free.
func (h *hashSlots) enter() (leave func(), ok bool) {
	select {
	case h.signIns <- struct{}{}:
		return func() { <-h.signIns }, true
	default:
		return nil, false
	}
}

func (h *hashSlots) verify(encoded, password string) (bool, error) {
	h.run <- struct{}{}
	defer func() { <-h.run }()
	h.checks.Inc()
	return auth.VerifyPassword(encoded, password)
}

func (h *hashSlots) check(encoded, password string, current auth.Params) (ok, rehash bool, err error) {
	h.run <- struct{}{}
	defer func() { <-h.run }()
	h.checks.Inc()
	return auth.CheckPassword(encoded, password, current)
}

func (h *hashSlots) hash(p auth.Params, password string) (string, error) {
	h.run <- struct{}{}
	defer func() { <-h.run }()
	return auth.HashPassword(p, password)
}

func (h *hashSlots) equalise(p auth.Params, password string) {
	h.run <- struct{}{}
	defer func() { <-h.run }()
	h.checks.Inc()
	auth.EqualiseTiming(p, password)
}

// checkPassword verifies a password at sign-in and, when it is right but
// its hash was made with older settings (or from a form of the password
// before passwords were put into NFC), stores a fresh hash, so hashes keep
// up with the settings without anyone choosing a new password.
func (s *Server) checkPassword(r *http.Request, u *alongside.User, password string) (bool, error) {
	ok, rehash, err := s.hashing.check(u.PasswordHash, password, s.cfg.Password)
	if err != nil || !ok || !rehash {
		return ok, err
	}
	hash, err := s.hashing.hash(s.cfg.Password, password)
	if err != nil {
		return false, err
	}
	return true, s.store.Accounts.UpgradePasswordHash(r.Context(), u.ID, u.PasswordHash, hash)
}
