package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

const sessionCookie = "alongside_session"

// authenticate finds the signed-in actor, if any. A session still waiting
// for its second factor is held on the call but gives no actor.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, c *call) error {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return s.withOrigin(r, c)
	}
	// The session, its user and their roles and relationships come in one
	// query, read even when the session turns out not to give an actor
	// (rare): one query fewer on every signed-in request.
	ss, actor, err := s.store.Sessions.SessionActor(r.Context(), ck.Value, s.cfg.Session)
	if alongside.ErrorCode(err) == alongside.ENOTFOUND {
		s.clearSessionCookie(w, r)
		return s.withOrigin(r, c)
	} else if err != nil {
		return err
	}
	c.session = ss
	if !ss.MFADone {
		return s.withOrigin(r, c)
	}
	if actor.User.Disabled {
		c.session = nil
		s.clearSessionCookie(w, r)
		return s.withOrigin(r, c)
	}
	c.actor = actor
	if err := s.store.Sessions.TouchSession(r.Context(), ss); err != nil {
		return err
	}
	if err := s.withOrigin(r, c); err != nil {
		return err
	}
	return s.requireMFASetup(r, c)
}

// withOrigin puts who and where into the request's context for the audit log.
func (s *Server) withOrigin(r *http.Request, c *call) error {
	o := alongside.Origin{IP: clientIP(r), RequestID: requestID(r.Context())}
	if anonymousRoute(r.Pattern) {
		// An anonymous answer is tied to no address and no account, even
		// when a signed-in member of staff answers their own invitation.
		o.IP = ""
	} else if c.actor != nil {
		o.ActorID, o.ActorEmail = c.actor.User.ID, c.actor.User.Email
	}
	*r = *r.WithContext(alongside.WithOrigin(r.Context(), o))
	return nil
}

// mfaSetupRoutes are the pages staff may use before turning on a required
// second factor.
var mfaSetupRoutes = map[string]bool{
	"GET /account/two-factor": true, "POST /account/two-factor": true, "POST /logout": true,
}

// requireMFASetup holds staff of an organisation that requires a second
// factor at the set-up page until they have one.
func (s *Server) requireMFASetup(r *http.Request, c *call) error {
	if c.actor.User.TOTPEnabled || mfaSetupRoutes[r.Pattern] {
		return nil
	}
	if mfaRequired(c.actor) {
		return errMFASetup
	}
	return nil
}

// mfaRequired reports whether the actor must use a second factor: an
// administrator always (their account can reach everyone's), and staff of
// an organisation that requires it.
func mfaRequired(a *alongside.Actor) bool {
	return adminNeedsMFA(a) || orgRequiresMFA(a)
}

// mfaReason says, in the person's terms, why they need a second factor
// ("" if they do not).
func mfaReason(a *alongside.Actor) string {
	switch {
	case adminNeedsMFA(a):
		return "Administrators always use two-step sign-in, as their accounts can change other people's."
	case orgRequiresMFA(a):
		return "Your organisation asks everyone on its staff to use two-step sign-in."
	}
	return ""
}

func adminNeedsMFA(a *alongside.Actor) bool {
	for _, m := range a.Memberships {
		if m.Role == alongside.RoleSystemAdmin || m.Role == alongside.RoleOrgAdmin {
			return true
		}
	}
	return false
}

func orgRequiresMFA(a *alongside.Actor) bool {
	for _, m := range a.Memberships {
		if m.Role.Staff() && m.OrgRequiresMFA {
			return true
		}
	}
	return false
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: isSecure(r), MaxAge: int(s.cfg.Session.Absolute.Seconds()),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isSecure(r), MaxAge: -1})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns a local path to go to after sign-in or a save, refusing
// anything that could send the user to another site. Browsers drop tabs and
// line breaks from an address and read a backslash as a slash, so
// "/\t/evil.example/" is "//evil.example/" to them: the path is judged
// with control and invisible characters removed, and again once
// percent-decoded, in case something decodes it on the way.
func safeNext(next string) string {
	clean := withoutControls(next)
	dec, err := url.PathUnescape(clean)
	if err != nil || !isLocalPath(clean) || !isLocalPath(withoutControls(dec)) {
		return "/home"
	}
	return clean
}

// isLocalPath reports whether p is a path on this site: one slash, then
// neither a second slash nor a backslash anywhere, and no scheme or host.
func isLocalPath(p string) bool {
	if len(p) == 0 || p[0] != '/' || (len(p) > 1 && p[1] == '/') || strings.ContainsRune(p, '\\') {
		return false
	}
	u, err := url.Parse(p)
	return err == nil && !u.IsAbs() && u.Host == ""
}

// withoutControls removes control and invisible (format) characters.
func withoutControls(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}
