// Package alongside holds the domain of Alongside: the people, services and
// relationships of recovery-focused practice, and the rules that hold
// whatever the storage or the web. It imports no database and no HTTP code.
package alongside

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web package, so a handler
// never decides a status on its own.
const (
	ECONFLICT  = "conflict"  // stale version, duplicate
	EINTERNAL  = "internal"  // a fault of ours; logged, never shown in detail
	EINVALID   = "invalid"   // the user's input does not hold
	ENOTFOUND  = "not_found" // no such thing (or the actor may not know it exists)
	EFORBIDDEN = "forbidden" // the actor may not do this
	EUNAUTH    = "unauthenticated"
	ETHROTTLED = "throttled" // too many attempts
	ENOSPACE   = "no_space"  // the database's disk is full: nothing was written
)

// NoSpace is the error of a write refused because the disk is full.
func NoSpace() *Error {
	return Errorf(ENOSPACE, "Nothing was saved because the server is out of disk space. What you wrote is below: keep a copy, and try again later.")
}

// Error is a domain error: a code for the program, a message for the user,
// and per-field messages for forms.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	return fmt.Sprintf("alongside error: code=%s message=%s", e.Code, e.Message)
}

// ErrAlreadyCounted answers a form sent again with a one-time token already
// spent: what it carried was stored the first time, and counts once.
var ErrAlreadyCounted = &Error{Code: ECONFLICT, Message: "This was already received, and it counts once. There is no need to send it again."}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error carrying per-field messages, so a form can
// show each beside its field and in the summary at the top.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "There is a problem with what was entered.", Fields: fields}
}

// ErrorCode returns the code of an application error, or EINTERNAL for any
// other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message for the user; internal errors never leak
// their text.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// FieldErrors returns the per-field messages of an EINVALID error, if any.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
