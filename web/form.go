package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// Form carries what the user typed and what was wrong with it, so a form
// comes back with their input kept and each message beside its field and
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

func newForm(r *http.Request) *Form {
	if r.Method == http.MethodPost {
		r.ParseForm()
		return &Form{Values: r.PostForm}
	}
	return &Form{Values: url.Values{}}
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
