package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// renderError shows a page that says what happened and what to do next.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.renderErrorFor(w, r, nil, status, msg)
}

type errorData struct {
	Status  int
	Heading string
	Message string
	// A write that could not be stored: the form again, to send once more.
	Retry  string      // the path it was sent to
	Kept   []keptValue // what was written, shown to copy or send again
	Hidden []keptValue // the form's other values, sent again unseen
	// A one-time link that has been used or has expired: what to do next.
	Spent linkKind
}

type keptValue struct{ Name, Value string }

// renderKept shows a page saying why nothing was saved, with the writer's
// own text in a form that sends it again: a refused write never loses
// what someone wrote. Passwords are never shown back.
func (s *Server) renderKept(w http.ResponseWriter, r *http.Request, c *call, msg string) {
	d := errorData{Status: http.StatusServiceUnavailable, Heading: "Nothing was saved", Message: msg}
	if r.Method != http.MethodPost {
		// A page read writes its audit line, and could not.
		d.Heading, d.Message = "This page cannot be shown just now", "The server is out of disk space, so this page could not be shown. Please try again later."
	} else if r.PostForm != nil {
		d.Retry = r.URL.Path
		names := make([]string, 0, len(r.PostForm))
		for name := range r.PostForm {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if strings.Contains(name, "password") {
				continue
			}
			for _, v := range r.PostForm[name] {
				// Words are what someone wrote; keys, numbers and
				// choices travel unseen.
				if strings.ContainsAny(strings.TrimSpace(v), " \n") || len(v) > 40 {
					d.Kept = append(d.Kept, keptValue{name, v})
				} else {
					d.Hidden = append(d.Hidden, keptValue{name, v})
				}
			}
		}
	}
	if err := s.render(w, r, c, d.Status, "error", page{Title: d.Heading, Data: d}); err != nil {
		s.logError(r, err)
		http.Error(w, msg, d.Status)
	}
}

func (s *Server) renderErrorFor(w http.ResponseWriter, r *http.Request, c *call, status int, msg string) {
	d := errorData{Status: status, Message: msg}
	switch status {
	case http.StatusForbidden:
		d.Heading = "You do not have access to this page"
	case http.StatusNotFound:
		d.Heading = "Page not found"
	case http.StatusConflict:
		d.Heading = "This could not be saved"
	case http.StatusTooManyRequests:
		d.Heading = "Please wait a little"
	case http.StatusUnauthorized:
		d.Heading = "Please sign in"
	case http.StatusRequestEntityTooLarge:
		d.Heading = "This was too much to send"
	case http.StatusBadRequest, http.StatusUnsupportedMediaType:
		d.Heading = "This could not be read"
	default:
		d.Heading = "Sorry, something went wrong on our side"
	}
	if repeats(d.Heading, d.Message) {
		d.Message = ""
	}
	if err := s.render(w, r, c, status, "error", page{Title: d.Heading, Data: d}); err != nil {
		s.logError(r, err)
		http.Error(w, d.Heading, status)
	}
}

// linkKind is the kind of one-time link a spent-link page is about.
type linkKind string

const (
	signInLink linkKind = "sign-in" // /links/: setting up an account, a password reset, joining as a supporter, a new email address
	answerLink linkKind = "answer"  // /answer/: an SRI 2 answer sheet
)

// spent shows a one-time link that has been used or has expired as just
// that, with what to do next, instead of "Page not found".
func (s *Server) spent(kind linkKind, h func(http.ResponseWriter, *http.Request, *call) error) func(http.ResponseWriter, *http.Request, *call) error {
	return func(w http.ResponseWriter, r *http.Request, c *call) error {
		err := h(w, r, c)
		if alongside.ErrorCode(err) != alongside.ENOTFOUND {
			return err
		}
		d := errorData{Status: http.StatusGone, Heading: "This link has been used or has expired", Spent: kind}
		w.Header().Set("Referrer-Policy", "no-referrer")
		return s.render(w, r, c, http.StatusGone, "error", page{Title: d.Heading, Data: d})
	}
}

// genericMessages are errors' messages that say no more than their page's
// heading: the page shows the heading alone.
var genericMessages = map[string]bool{
	"you do not have access to this page": true,
	"we could not find that page":         true,
	"we could not find that":              true,
}

// repeats reports whether an error page's message says only what its
// heading says, so that the page does not say it twice.
func repeats(heading, msg string) bool {
	norm := func(s string) string { return strings.ToLower(strings.TrimRight(strings.TrimSpace(s), ".!")) }
	m := norm(msg)
	return m == norm(heading) || genericMessages[m]
}
