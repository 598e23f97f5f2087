package web

import (
	"errors"

	"github.com/alongside-recovery/alongside/formtoken"
)

// Forms whose second sending would count twice (an anonymous survey answer,
// a paper survey answer or a sheet typed in) carry a one-time token in the
// field "form_token", signed with Config.FormKey as the form is shown; the
// database stores its nonce once, with what the form adds.

func (s *Server) issueFormToken(f *Form, purpose, subject string) {
	f.Set("form_token", formtoken.Issue(s.cfg.FormKey, purpose, subject, s.now()))
}

// checkFormToken returns the nonce of the form's token. When the token is
// refused it says why beside field and gives the form a fresh token, so the
// answers it keeps can be sent again.
func (s *Server) checkFormToken(f *Form, purpose, subject, field string) (nonce string, ok bool) {
	nonce, err := formtoken.Check(s.cfg.FormKey, purpose, subject, f.Get("form_token"), s.now())
	if err == nil {
		return nonce, true
	}
	if errors.Is(err, formtoken.ErrExpired) {
		f.Add(field, "This form was open for more than a day, so nothing was saved. Your answers are kept below: please check them and send them again.")
	} else {
		f.Add(field, "We could not tell that this form came from us, so nothing was saved. Your answers are kept below: please send them again.")
	}
	s.issueFormToken(f, purpose, subject)
	return "", false
}
