package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// Form carries what the user typed and what was wrong with it, so a form
// comes back with their input shown again and each message beside its field and
// in the summary at the top.
type Form struct {
	Values url.Values
	Errors []FieldError
}

// FieldError is one problem, tied to the id of its field.
type FieldError struct {
	Field   string
	Message string
}

// newForm returns the request's form, read by readForm before the handler
// ran, or an empty one for a page that is only read.
func newForm(r *http.Request) *Form {
	if r.Method == http.MethodPost && r.PostForm != nil {
		return &Form{Values: r.PostForm}
	}
	return &Form{Values: url.Values{}}
}

// maxFields bounds the fields of one form, as Go's own parser does; no form
// here has a tenth of it.
const maxFields = 10000

// formError is a request that cannot be read as it was meant: its status
// (413, 415 or 400) and a message that says what was wrong. Nothing was
// stored, as no handler saw the request.
type formError struct {
	status int
	msg    string
}

func (e *formError) Error() string {
	return fmt.Sprintf("unreadable request (%d): %s", e.status, e.msg)
}

// readForm reads a request's whole form within the route's limit, before
// its handler runs, and refuses one that is too large, has too many fields,
// is not a form, or holds texts no engine can store. On success the form is
// in r.PostForm (and r.Form, with the query), so ParseForm adds nothing.
func readForm(r *http.Request, limit int64) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var values url.Values
	switch ct {
	case "multipart/form-data":
		// Files beyond 32 KB wait in temporary files, removed after the
		// request; Go's reader refuses more than 1,000 parts.
		if err := r.ParseMultipartForm(32 << 10); err != nil {
			return unreadable(err, limit)
		}
		values = r.MultipartForm.Value
	case "application/x-www-form-urlencoded", "":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return unreadable(err, limit)
		}
		if ct == "" && len(body) > 0 {
			return &formError{http.StatusUnsupportedMediaType, "What you sent is not a form, so nothing was saved. Go back, reload the page and try again."}
		}
		if bytes.Count(body, []byte("&")) >= maxFields {
			return unreadable(multipart.ErrMessageTooLarge, limit)
		}
		if values, err = url.ParseQuery(string(body)); err != nil {
			return unreadable(err, limit)
		}
		r.PostForm, r.Form = values, url.Values{}
		for _, vs := range []url.Values{values, r.URL.Query()} {
			for k, v := range vs {
				r.Form[k] = append(r.Form[k], v...)
			}
		}
	default:
		return &formError{http.StatusUnsupportedMediaType, "What you sent is not a form, so nothing was saved. Go back, reload the page and try again."}
	}
	return keepableValues(values, "What you sent")
}

// unreadable says what was wrong with a form that could not be read.
func unreadable(err error, limit int64) error {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &formError{http.StatusRequestEntityTooLarge, fmt.Sprintf("What you sent is larger than this form takes (%s at most), so nothing was saved. Go back, make it shorter, and try again.", sizeText(limit))}
	case errors.Is(err, multipart.ErrMessageTooLarge):
		return &formError{http.StatusRequestEntityTooLarge, "What you sent has more parts than any form here has, so nothing was saved. Go back, reload the page and try again."}
	}
	return &formError{http.StatusBadRequest, "What you sent could not be read as a form, so nothing was saved. Go back, reload the page and try again."}
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// keepableValues refuses names and values no engine can store (a zero byte,
// bytes that are not UTF-8), before anything could be stored or looked up.
func keepableValues(values url.Values, what string) error {
	for k, vs := range values {
		for _, v := range append([]string{k}, vs...) {
			if alongside.TextProblem(v) == "" {
				continue
			}
			if !utf8.ValidString(v) {
				return &formError{http.StatusBadRequest, what + " contains bytes that are not text (it is not valid UTF-8), so nothing was saved. Go back and type it again rather than pasting it."}
			}
			return &formError{http.StatusBadRequest, what + " contains a zero byte, a character that cannot be kept, so nothing was saved. Go back and type it again rather than pasting it."}
		}
	}
	return nil
}

// checkAddress refuses a path or query with bytes that are not text, as
// the database could not look them up.
func checkAddress(r *http.Request) error {
	q, _ := url.ParseQuery(r.URL.RawQuery)
	q.Add("", r.URL.Path)
	return keepableValues(q, "The page’s address")
}

// Get returns a submitted value.
func (f *Form) Get(name string) string { return f.Values.Get(name) }

// Set sets a value, for forms that start filled in.
func (f *Form) Set(name, v string) { f.Values.Set(name, v) }

// Error returns the message for a field, if any.
func (f *Form) Error(name string) string {
	for _, e := range f.Errors {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// Add records a problem with a field.
func (f *Form) Add(field, msg string) { f.Errors = append(f.Errors, FieldError{field, msg}) }

// HasErrors reports whether any problem was recorded.
func (f *Form) HasErrors() bool { return len(f.Errors) > 0 }

// Absorb takes a domain error's field messages in the order the form shows
// its fields; a message for no listed field goes to the first. It reports
// whether err was a user error (anything else the caller returns).
func (f *Form) Absorb(err error, order ...string) bool {
	code := alongside.ErrorCode(err)
	if code != alongside.EINVALID && code != alongside.ECONFLICT {
		return false
	}
	fields := alongside.FieldErrors(err)
	for _, name := range order {
		if msg, ok := fields[name]; ok {
			f.Add(name, msg)
			delete(fields, name)
		}
	}
	for _, msg := range fields {
		f.Add(order[0], msg)
	}
	if len(f.Errors) == 0 {
		f.Add(order[0], alongside.ErrorMessage(err))
	}
	return true
}

// Required records a message for each named field left empty.
func (f *Form) Required(fields map[string]string, order ...string) {
	for _, name := range order {
		if strings.TrimSpace(f.Get(name)) == "" {
			f.Add(name, fields[name])
		}
	}
}

// OnConflict takes the current version after a stale save, so that saving
// the form again is a knowing "mine wins" over the change now shown.
func (f *Form) OnConflict(err error, current int) {
	if alongside.ErrorCode(err) == alongside.ECONFLICT {
		f.Set("version", strconv.Itoa(current))
	}
}

// Checked reports whether a checkbox of the field has the value, so that
// checkbox groups keep what the user ticked.
func (f *Form) Checked(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}
