package alongside

import (
	"strings"
	"unicode/utf8"
)

// TextProblem says why a text cannot be stored, or "" if it can. PostgreSQL
// refuses a zero byte and bytes that are not UTF-8 in any text, and SQLite
// would store them to trouble every later reader, so no text with either is
// accepted on any engine.
func TextProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "This contains bytes that are not text (it is not valid UTF-8). Type it again rather than pasting it."
	case strings.IndexByte(s, 0) >= 0:
		return "This contains a zero byte, a character that cannot be kept. Type it again rather than pasting it."
	}
	return ""
}

// keepable records in f, under field, the first problem of the texts, if
// the field has no message yet.
func keepable(f map[string]string, field string, texts ...string) {
	if _, ok := f[field]; ok {
		return
	}
	for _, t := range texts {
		if p := TextProblem(t); p != "" {
			f[field] = p
			return
		}
	}
}

// CheckText returns an EINVALID error for the first text that cannot be
// stored, under field, or nil: for values that reach the database without a
// Validate of their own (an email typed to sign in, say).
func CheckText(field string, texts ...string) error {
	f := map[string]string{}
	keepable(f, field, texts...)
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// Colon ends a label that comes before its value with a colon, unless it
// already ends with a full stop, question mark or other stop: "Where I
// live:", but "I can support people to write an advance statement." and
// "What helps?" as they are, never "statement.:".
func Colon(label string) string {
	label = strings.TrimRight(label, " ")
	if label == "" {
		return ""
	}
	switch r, _ := utf8.DecodeLastRuneInString(label); r {
	case '.', '?', '!', ':', '…', ';':
		return label
	}
	return label + ":"
}
