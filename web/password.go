package web

import (
	"runtime"

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
