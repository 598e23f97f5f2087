package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

type accountData struct {
	Sessions     int
	RecoveryLeft int
	MFARequired  string // why they need two-step sign-in; "" if they do not
	TOTPEnabled  bool
	Language     languageChoice
	Links        []activityEntry // sign-in links made for and used on this account
	EmailChange  *emailChange    // the answer to a change of email just asked for
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, c *call, status int, pf *Form, ch ...*emailChange) error {
	n, err := s.store.Sessions.SessionCount(r.Context(), c.actor.User.ID, s.cfg.Session)
	if err != nil {
		return err
	}
	left, err := s.store.Sessions.RecoveryCodesLeft(r.Context(), c.actor.User.ID)
	if err != nil {
		return err
	}
	lc, err := s.languageChoiceFor(r.Context(), c)
	if err != nil {
		return err
	}
	links, err := s.accountLinks(r, c)
	if err != nil {
		return err
	}
	d := accountData{
		Sessions: n, RecoveryLeft: left, MFARequired: mfaReason(c.actor), TOTPEnabled: c.actor.User.TOTPEnabled, Language: lc, Links: links,
	}
	if len(ch) > 0 {
		d.EmailChange = ch[0]
	}
	return s.render(w, r, c, status, "account", page{Title: "Your account", Form: pf, Data: d})
}

func (s *Server) account(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.accountPage(w, r, c, http.StatusOK, newForm(r))
}

// reauthenticate checks that whoever is making a change to the account's
// sign-in holds it: its current password, and a current code (or a
// recovery code) if two-step sign-in is on. So a session left open, or
// stolen, cannot lock the holder out. Failures count towards sign-in
// throttling like a wrong password at the sign-in page, since this is one.
// Fields are named with prefix, as the account page has several forms.
func (s *Server) reauthenticate(r *http.Request, c *call, f *Form, prefix string) error {
	u := &c.actor.User
	ip := clientIP(r)
	if throttled, err := s.store.Sessions.Throttled(r.Context(), s.cfg.Throttle, u.Email, ip); err != nil {
		return err
	} else if throttled {
		f.Add(prefix+"current", fmt.Sprintf("There have been too many attempts. Wait %d minutes, then try again.", int(s.cfg.Throttle.Window.Minutes())))
		return nil
	}
	ok, err := s.hashing.verify(u.PasswordHash, f.Get("current"))
	if err != nil || !ok {
		f.Add(prefix+"current", "Your current password is not right.")
	}
	code := strings.TrimSpace(f.Get("code"))
	switch {
	case !u.TOTPEnabled:
	case code == "":
		f.Add(prefix+"code", "Enter the 6-digit code from your authenticator app, or one of your recovery codes.")
	case ok:
		// The code is tried (and spent) only with the right password, so
		// the page tells nobody without it whether a code was right.
		good, _, err := s.secondFactor(r, u, code)
		if err != nil {
			return err
		}
		if !good {
			f.Add(prefix+"code", "That code is not right. Codes change every 30 seconds: try the newest one.")
		}
	}
	if f.HasErrors() {
		return s.store.Sessions.SignInFailed(r.Context(), u.Email, ip, "wrong password or code to change the account")
	}
	return nil
}

// refuseAccountChange shows the account page again with the form's
// errors, keeping what was typed except passwords and codes.
func (s *Server) refuseAccountChange(w http.ResponseWriter, r *http.Request, c *call, f *Form) error {
	for _, k := range []string{"current", "password", "confirm", "code"} {
		f.Values.Del(k)
	}
	return s.accountPage(w, r, c, http.StatusUnprocessableEntity, f)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if err := s.reauthenticate(r, c, f, ""); err != nil {
		return err
	}
	if err := auth.CheckPasswordPolicy(f.Get("password")); err != nil {
		f.Add("password", err.Error())
	} else if f.Get("password") != f.Get("confirm") {
		f.Add("confirm", "The two new passwords are not the same.")
	}
	if f.HasErrors() {
		return s.refuseAccountChange(w, r, c, f)
	}
	hash, err := s.hashing.hash(s.cfg.Password, f.Get("password"))
	if err != nil {
		return err
	}
	// Changing the password ends every session, this one too.
	if err := s.store.Accounts.SetPassword(r.Context(), c.actor.User.ID, hash); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	return redirect(w, r, "/login", "Your password has been changed. Sign in with your new password.")
}

func (s *Server) changeEmail(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if err := s.reauthenticate(r, c, f, "email-"); err != nil {
		return err
	}
	u := c.actor.User
	if alongside.NormaliseEmail(f.Get("email")) == u.Email {
		f.Add("new-email", "This is already your email address.")
	}
	if f.HasErrors() {
		return s.refuseAccountChange(w, r, c, f)
	}
	ch, err := s.requestEmailChange(r, &u, f.Get("email"))
	if alongside.ErrorCode(err) == alongside.EINVALID {
		for _, msg := range alongside.FieldErrors(err) {
			f.Add("new-email", msg)
		}
		return s.refuseAccountChange(w, r, c, f)
	} else if err != nil {
		return err
	}
	return s.accountPage(w, r, c, http.StatusOK, &Form{Values: url.Values{}}, ch)
}

// emailChange is the answer to a request to change an account's email,
// the same whether or not another account has the new address.
type emailChange struct {
	To          string
	Emailed     bool
	EmailFailed bool
	URL         string // only with no mailer, and only for the holder
	Expires     time.Time
}

// requestEmailChange makes the link that changes u's email to email, and
// emails it to that address when a mailer is set; otherwise the link is
// returned, for the holder's eyes only.
func (s *Server) requestEmailChange(r *http.Request, u *alongside.User, email string) (*emailChange, error) {
	token, err := s.store.Links.RequestEmailChange(r.Context(), u.ID, email)
	if err != nil {
		return nil, err
	}
	ch := &emailChange{To: alongside.NormaliseEmail(email)}
	link := s.linkURL(r, token)
	if s.cfg.Mailer == nil {
		ch.URL, ch.Expires = link, s.now().Add(alongside.LinkLifetime)
		return ch, nil
	}
	subject := "Confirm your new email address for Alongside"
	body := fmt.Sprintf("Hello %s,\n\nSomeone asked for this to become the email address of your Alongside account. Open this link to confirm it. It works once and for 7 days:\n%s\n\nIf you were not expecting this, you can ignore this email: nothing changes.\n", u.Name, link)
	if err := s.cfg.Mailer.Send(ch.To, subject, body); err != nil {
		s.logError(r, fmt.Errorf("sending email: %w", err))
		ch.EmailFailed = true
	} else {
		ch.Emailed = true
	}
	return ch, nil
}
func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.store.Sessions.EndAllSessions(r.Context(), c.actor.User.ID); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	return redirect(w, r, "/login", "You have been signed out on every device.")
}

type twoFactorData struct {
	Enabled  bool
	Required string // why they need it; "" if they do not
	Secret   string
	QR       template.HTML
	Codes    []string // shown once, right after set-up
}

func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, secret string) error {
	d := twoFactorData{Enabled: c.actor.User.TOTPEnabled, Required: mfaReason(c.actor)}
	if !d.Enabled {
		d.Secret = secret
		svg, err := auth.QRCodeSVGWithTitle(auth.TOTPURI("Alongside", c.actor.User.Email, secret), "QR code for your authenticator app")
		if err != nil {
			return err
		}
		d.QR = template.HTML(svg) // generated by our own encoder, not user input
	}
	return s.render(w, r, c, status, "two_factor", page{Title: "Two-step sign-in", Form: f, Data: d})
}

func (s *Server) twoFactorForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.twoFactorPage(w, r, c, http.StatusOK, newForm(r), auth.NewTOTPSecret())
}

func (s *Server) enableTwoFactor(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	secret := f.Get("secret")
	if c.actor.User.TOTPEnabled {
		return redirect(w, r, "/account", "")
	}
	step, ok := auth.VerifyTOTP(secret, f.Get("code"), s.now())
	if !ok {
		f.Add("code", "That code is not right. Check the time on your phone is correct, and enter the newest 6-digit code.")
		f.Values.Del("code")
		return s.twoFactorPage(w, r, c, http.StatusUnprocessableEntity, f, secret)
	}
	codes := auth.NewRecoveryCodes(10)
	if err := s.store.Sessions.EnableTOTP(r.Context(), c.actor.User.ID, secret, step, codes); err != nil {
		return err
	}
	c.actor.User.TOTPEnabled = true
	return s.render(w, r, c, http.StatusOK, "two_factor", page{Title: "Two-step sign-in is on", Form: newForm(r),
		Data: twoFactorData{Enabled: true, Codes: codes}})
}

func (s *Server) disableTwoFactor(w http.ResponseWriter, r *http.Request, c *call) error {
	if reason := mfaReason(c.actor); reason != "" {
		setFlash(w, "warning", reason+" It cannot be turned off.")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return nil
	}
	f := newForm(r)
	if err := s.reauthenticate(r, c, f, "off-"); err != nil {
		return err
	}
	if f.HasErrors() {
		return s.refuseAccountChange(w, r, c, f)
	}
	if err := s.store.Sessions.DisableTOTP(r.Context(), c.actor.User.ID); err != nil {
		return err
	}
	return redirect(w, r, "/account", "Two-step sign-in is off.")
}
