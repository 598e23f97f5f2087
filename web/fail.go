package web

import (
	"errors"
	"net/http"

	"github.com/alongside-recovery/alongside"
)

// errMFASetup sends staff of an organisation that requires a second factor
// to set one up before anything else.
var errMFASetup = errors.New("second factor required")

// fail turns a handler's error into the right page: the sign-in page for an
// anonymous visitor, a helpful 403/404/409/500 otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, c *call, err error) {
	if errors.Is(err, errMFASetup) {
		http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther)
		return
	}
	var ns *notShared
	if errors.As(err, &ns) {
		s.renderNotShared(w, r, c, ns)
		return
	}
	var fe *formError
	if errors.As(err, &fe) {
		s.renderErrorFor(w, r, c, fe.status, fe.msg)
		return
	}
	switch alongside.ErrorCode(err) {
	case alongside.EUNAUTH:
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		s.renderError(w, r, http.StatusUnauthorized, "Your session has ended. Please sign in again.")
	case alongside.EFORBIDDEN:
		s.renderErrorFor(w, r, c, http.StatusForbidden, alongside.ErrorMessage(err))
	case alongside.ENOTFOUND:
		s.renderErrorFor(w, r, c, http.StatusNotFound, alongside.ErrorMessage(err))
	case alongside.ECONFLICT, alongside.EINVALID:
		s.renderErrorFor(w, r, c, http.StatusConflict, alongside.ErrorMessage(err))
	case alongside.ETHROTTLED:
		s.renderErrorFor(w, r, c, http.StatusTooManyRequests, alongside.ErrorMessage(err))
	case alongside.ENOSPACE:
		// The operator must hear of it; the writer gets their text back.
		s.logError(r, err)
		w.Header().Set("Retry-After", "300")
		s.renderKept(w, r, c, alongside.ErrorMessage(err))
	default:
		s.logError(r, err)
		s.renderErrorFor(w, r, c, http.StatusInternalServerError, "")
	}
}

func notFound() error { return alongside.Errorf(alongside.ENOTFOUND, "We could not find that page.") }
