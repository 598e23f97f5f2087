package sqlstore

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// decodeSectionText reads a section's texts as stored: one flat JSON object
// of strings, as json.Marshal wrote it. A plan page decodes a hundred and
// more of them, and encoding/json's reflection was an eighth of the page's
// cost, so the common shape is read directly; anything else (a surrogate
// pair, invalid UTF-8, another shape) goes to encoding/json, which is the
// rule.
func decodeSectionText(body string) (alongside.SectionText, error) {
	if t, ok := decodeFlatObject(body); ok {
		return t, nil
	}
	var t alongside.SectionText
	err := json.Unmarshal([]byte(body), &t)
	return t, err
}

func decodeFlatObject(s string) (alongside.SectionText, bool) {
	if !utf8.ValidString(s) {
		return nil, false
	}
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
	}
	str := func() (string, bool) {
		if i >= len(s) || s[i] != '"' {
			return "", false
		}
		i++
		start := i
		var b *strings.Builder
		for i < len(s) {
			c := s[i]
			switch {
			case c == '"':
				out := s[start:i]
				if b != nil {
					b.WriteString(out)
					out = b.String()
				}
				i++
				return out, true
			case c < 0x20:
				return "", false
			case c == '\\':
				if i+1 >= len(s) {
					return "", false
				}
				var r byte
				switch s[i+1] {
				case '"', '\\', '/':
					r = s[i+1]
				case 'n':
					r = '\n'
				case 't':
					r = '\t'
				case 'r':
					r = '\r'
				case 'b':
					r = '\b'
				case 'f':
					r = '\f'
				case 'u': // json.Marshal writes <, >, & and controls so
					if i+6 > len(s) {
						return "", false
					}
					n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
					if err != nil || utf16.IsSurrogate(rune(n)) {
						return "", false // pairs and oddities: left to encoding/json
					}
					if b == nil {
						b = &strings.Builder{}
					}
					b.WriteString(s[start:i])
					b.WriteRune(rune(n))
					i += 6
					start = i
					continue
				default:
					return "", false
				}
				if b == nil {
					b = &strings.Builder{}
				}
				b.WriteString(s[start:i])
				b.WriteByte(r)
				i += 2
				start = i
			default:
				i++
			}
		}
		return "", false
	}
	skip()
	if i >= len(s) || s[i] != '{' {
		return nil, false
	}
	i++
	t := alongside.SectionText{}
	skip()
	if i < len(s) && s[i] == '}' {
		i++
	} else {
		for {
			skip()
			k, ok := str()
			if !ok {
				return nil, false
			}
			skip()
			if i >= len(s) || s[i] != ':' {
				return nil, false
			}
			i++
			skip()
			v, ok := str()
			if !ok {
				return nil, false
			}
			t[k] = v
			skip()
			if i < len(s) && s[i] == ',' {
				i++
				continue
			}
			if i < len(s) && s[i] == '}' {
				i++
				break
			}
			return nil, false
		}
	}
	skip()
	return t, i == len(s)
}
