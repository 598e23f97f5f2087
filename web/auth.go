package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

func (s *Server) root(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.actor != nil {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	}
	return nil
}

type loginData struct{ Next string }

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.actor != nil {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, c, http.StatusOK, "login", page{Title: "Sign in", Form: newForm(r), Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}})
}

// wrongDetails is the one message for every failed sign-in, so that nobody
// learns from it whether an account exists.
const wrongDetails = "The email address or password is not right. Check them and try again."

func (s *Server) login(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	next := safeNext(f.Get("next"))
	email, password := alongside.NormaliseEmail(f.Get("email")), f.Get("password")
	again := func(status int) error {
		f.Values.Del("password")
		return s.render(w, r, c, status, "login", page{Title: "Sign in", Form: f, Data: loginData{Next: next}})
	}
	f.Required(map[string]string{"email": "Enter your email address.", "password": "Enter your password."}, "email", "password")
	if f.HasErrors() {
		return again(http.StatusUnprocessableEntity)
	}
	ip := clientIP(r)
	leave, free := s.hashing.enter()
	if !free {
		s.metrics.signInsBusy.Inc()
		w.Header().Set("Retry-After", "60")
		f.Add("email", "There are too many sign-ins right now. Please try again in a minute.")
		return again(http.StatusServiceUnavailable)
	}
	defer leave()
	// The attempt counts before the password is checked, so a burst of
	// guesses at once gets no more checks than the limit.
	attempt, err := s.store.Sessions.BeginSignIn(r.Context(), s.cfg.Throttle, email, ip)
	if alongside.ErrorCode(err) == alongside.ETHROTTLED {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.cfg.Throttle.Window.Seconds())))
		f.Add("email", fmt.Sprintf("There have been too many attempts to sign in. Wait %d minutes, then try again.", int(s.cfg.Throttle.Window.Minutes())))
		return again(http.StatusTooManyRequests)
	} else if err != nil {
		return err
	}
	u, err := s.store.Accounts.UserByEmail(r.Context(), email)
	ok := false
	switch {
	case err == nil && u.HasPassword():
		ok, err = s.checkPassword(r, u, password)
		if err != nil {
			return err
		}
	case err == nil || alongside.ErrorCode(err) == alongside.ENOTFOUND:
		// Spend the same time as a real check, so timing tells nothing either.
		s.hashing.equalise(s.cfg.Password, password)
	default:
		return err
	}
	if !ok || u.Disabled {
		reason := "wrong password"
		if u == nil || !u.HasPassword() {
			reason = "no such account"
		} else if u.Disabled {
			reason = "account disabled"
		}
		if err := s.store.Sessions.AttemptFailed(r.Context(), attempt, reason); err != nil {
			return err
		}
		f.Add("email", wrongDetails)
		return again(http.StatusUnauthorized)
	}
	if err := s.store.Sessions.UncountAttempt(r.Context(), attempt); err != nil {
		return err
	}
	token, err := s.store.Sessions.CreateSession(r.Context(), u.ID, !u.TOTPEnabled, ip, r.UserAgent(), s.cfg.Session)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token)
	if u.TOTPEnabled {
		http.Redirect(w, r, "/login/code?next="+urlQueryEscape(next), http.StatusSeeOther)
		return nil
	}
	if err := s.store.Sessions.SignedIn(r.Context(), u, "password"); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// pendingUser returns the user of a session waiting for its second factor.
func (s *Server) pendingUser(r *http.Request, c *call) (*alongside.User, error) {
	if c.session == nil || c.session.MFADone {
		return nil, alongside.Errorf(alongside.EUNAUTH, "Please sign in.")
	}
	return s.store.Accounts.User(r.Context(), c.session.UserID)
}

func (s *Server) codeForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := s.pendingUser(r, c); err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, c, http.StatusOK, "login_code", page{Title: "Enter your code", Form: newForm(r), Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) code(w http.ResponseWriter, r *http.Request, c *call) error {
	u, err := s.pendingUser(r, c)
	if err != nil || u.Disabled {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	f := newForm(r)
	next := safeNext(f.Get("next"))
	ip := clientIP(r)
	code := strings.TrimSpace(f.Get("code"))
	again := func(msg string, status int) error {
		f.Add("code", msg)
		f.Values.Del("code")
		return s.render(w, r, c, status, "login_code", page{Title: "Enter your code", Form: f, Data: loginData{Next: next}})
	}
	if code == "" {
		return again("Enter the 6-digit code from your authenticator app, or one of your recovery codes.", http.StatusUnprocessableEntity)
	}
	// Counted before the check, as a password is.
	attempt, err := s.store.Sessions.BeginSignIn(r.Context(), s.cfg.Throttle, u.Email, ip)
	if alongside.ErrorCode(err) == alongside.ETHROTTLED {
		return again("There have been too many attempts. Wait a few minutes, then try again.", http.StatusTooManyRequests)
	} else if err != nil {
		return err
	}
	ok, how, err := s.secondFactor(r, u, code)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.store.Sessions.AttemptFailed(r.Context(), attempt, "wrong second factor"); err != nil {
			return err
		}
		return again("That code is not right. Codes change every 30 seconds: try the newest one.", http.StatusUnauthorized)
	}
	if err := s.store.Sessions.CompleteMFA(r.Context(), c.session); err != nil {
		return err
	}
	if err := s.store.Sessions.SignedIn(r.Context(), u, "password and "+how); err != nil {
		return err
	}
	if how == "recovery code" {
		setFlash(w, "warning", "You signed in with a recovery code. Each code works once: set up your authenticator again from your account page if you have lost it.")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// secondFactor checks a code from the user's authenticator app (spending
// its time step, so it cannot be used again) or one of their recovery
// codes (spending it), and says which it was.
func (s *Server) secondFactor(r *http.Request, u *alongside.User, code string) (ok bool, how string, err error) {
	secret, err := s.store.Accounts.TOTPSecret(u)
	if err != nil {
		return false, "", err
	}
	if step, valid := auth.VerifyTOTP(secret, code, s.now()); valid {
		ok, err = s.store.Sessions.UseTOTPStep(r.Context(), u.ID, step)
		return ok, "code", err
	}
	if len(auth.NormaliseRecoveryCode(code)) > 6 {
		ok, err = s.store.Sessions.UseRecoveryCode(r.Context(), u.ID, code)
		return ok, "recovery code", err
	}
	return false, "code", nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.session != nil {
		if err := s.store.Sessions.EndSession(r.Context(), c.session); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	return redirect(w, r, "/login", "You have signed out.")
}

type linkData struct {
	Purpose  alongside.LinkPurpose
	User     *alongside.User
	NewEmail string // for an email link
}

// linkForm shows the page behind an invitation or reset link. Opening it
// does not spend it (mail scanners open links too); setting the password
// does. A link only ever sets a password: an account that has one answers
// invitations signed in as itself.
func (s *Server) linkForm(w http.ResponseWriter, r *http.Request, c *call) error {
	l, u, err := s.store.Links.Link(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, r, c, http.StatusOK, "link", page{Title: linkTitle(l.Purpose), Form: newForm(r), Data: linkData{l.Purpose, u, l.NewEmail}})
}

func linkTitle(p alongside.LinkPurpose) string {
	switch p {
	case alongside.LinkReset:
		return "Choose a new password"
	case alongside.LinkEmail:
		return "Confirm your new email address"
	}
	return "Set up your account"
}

func (s *Server) useLink(w http.ResponseWriter, r *http.Request, c *call) error {
	token := r.PathValue("token")
	l, u, err := s.store.Links.Link(r.Context(), token)
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	if l.Purpose == alongside.LinkEmail {
		return s.confirmEmail(w, r, token)
	}
	f := newForm(r)
	pw := f.Get("password")
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		f.Add("password", err.Error())
	} else if pw != f.Get("confirm") {
		f.Add("confirm", "The two passwords are not the same. Type the same password in both boxes.")
	}
	if f.HasErrors() {
		f.Values.Del("password")
		f.Values.Del("confirm")
		return s.render(w, r, c, http.StatusUnprocessableEntity, "link", page{Title: linkTitle(l.Purpose), Form: f, Data: linkData{l.Purpose, u, l.NewEmail}})
	}
	hash, err := s.hashing.hash(s.cfg.Password, pw)
	if err != nil {
		return err
	}
	if _, err := s.store.Links.UseLink(r.Context(), token, hash); err != nil {
		return err
	}
	setFlash(w, "success", "Your password is set. Sign in with your email address and your new password.")
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// confirmEmail changes an account's email by the link sent to the new
// address, unless another account has taken the address meanwhile.
func (s *Server) confirmEmail(w http.ResponseWriter, r *http.Request, token string) error {
	email, changed, err := s.store.Links.ConfirmEmailChange(r.Context(), token)
	if err != nil {
		return err
	}
	if !changed {
		setFlash(w, "warning", "Another account already uses "+email+", so nothing has changed. The email address stays as it was.")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	return redirect(w, r, "/login", "The email address is now "+email+". Use it to sign in from now on.")
}
