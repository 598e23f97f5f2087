package web

import (
	"net/http"
	"runtime"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// hashSlots bounds how many password hashes run at once. Each argon2id hash
// with the production settings takes 64 MiB; a burst of sign-ins must queue,
// not exhaust the server's memory.
type hashSlots chan struct{}

func newHashSlots() hashSlots { return make(hashSlots, max(2, runtime.GOMAXPROCS(0))) }

func (h hashSlots) verify(encoded, password string) (bool, error) {
	h <- struct{}{}
	defer func() { <-h }()
	return auth.VerifyPassword(encoded, password)
}

func (h hashSlots) check(encoded, password string, current auth.Params) (ok, rehash bool, err error) {
	h <- struct{}{}
	defer func() { <-h }()
	return auth.CheckPassword(encoded, password, current)
}

func (h hashSlots) hash(p auth.Params, password string) (string, error) {
	h <- struct{}{}
	defer func() { <-h }()
	return auth.HashPassword(p, password)
}

func (h hashSlots) equalise(p auth.Params, password string) {
	h <- struct{}{}
	defer func() { <-h }()
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
	return true, s.store.UpgradePasswordHash(r.Context(), u.ID, u.PasswordHash, hash)
}
