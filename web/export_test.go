package web

// FillSignInQueue takes every place in the queue of sign-ins waiting for a
// password check, as a burst of sign-ins would, until release is called.
func (s *Server) FillSignInQueue() (release func()) {
	var leaves []func()
	for {
		leave, ok := s.hashing.enter()
		if !ok {
			break
		}
		leaves = append(leaves, leave)
	}
	return func() {
		for _, leave := range leaves {
			leave()
		}
	}
}
