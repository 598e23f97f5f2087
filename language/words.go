package language

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range of a text.
type span struct{ start, end int }

// scanner walks a text word by word, by the rules in the package comment.
type scanner struct {
	text   string
	i      int
	brk    bool    // a break since the last word
	nl     bool    // a line break, with only spaces since it
	open   int     // where an open quotation mark is, or -1
	quotes *[]span // where quotations are recorded, if anywhere
	lower  bool    // whether to keep the word, lower-cased, in buf
	buf    []byte
}

func newScanner(text string) scanner { return scanner{text: text, open: -1} }

// asciiBreak marks the ASCII characters that part the words of a match
// (the double quotation mark is handled apart).
var asciiBreak = [utf8.RuneSelf]bool{'.': true, ',': true, ';': true, ':': true, '!': true, '?': true,
	'(': true, ')': true, '[': true, ']': true, '{': true, '}': true, '|': true}

// next finds the next word. It gives the word's start and end in the text
// (the end before a dropped possessive "'s"), whether a break came before
// it, and whether there was a word at all. With s.lower set, s.buf then
// holds the word lower-cased, with its apostrophes written '.
func (s *scanner) next() (start, end int, brk, ok bool) {
	text := s.text
	for s.i < len(text) {
		b := text[s.i]
		if b < utf8.RuneSelf {
			switch {
			case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
				return s.word()
			case b == '\n':
				if s.nl {
					s.paragraph()
				}
				s.nl = true
			case b == ' ', b == '\t', b == '\r', b == '\v', b == '\f':
			case b == '"':
				s.nl, s.brk = false, true
				if s.open >= 0 {
					s.closeQuote(s.i + 1)
				} else {
					s.open = s.i
				}
			default:
				s.nl = false
				if asciiBreak[b] {
					s.brk = true
				}
			}
			s.i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[s.i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return s.word()
		case r == '“':
			s.nl, s.brk = false, true
			s.open = s.i
		case r == '”':
			s.nl, s.brk = false, true
			if s.open >= 0 {
				s.closeQuote(s.i + size)
			}
		case r == '…', r == '—', r == '•':
			s.nl, s.brk = false, true
		case r == '\u2028' || r == '\u0085':
			if s.nl {
				s.paragraph()
			}
			s.nl = true
		case r == '\u2029':
			s.paragraph()
		case unicode.IsSpace(r):
		default:
			s.nl = false
		}
		s.i += size
	}
	return 0, 0, false, false
}

// paragraph ends a paragraph: the words either side of it are parted, and a
// quotation left open quotes nothing.
func (s *scanner) paragraph() {
	s.brk = true
	s.open = -1
}

// closeQuote records the open quotation as ending at end.
func (s *scanner) closeQuote(end int) {
	if s.quotes != nil {
		*s.quotes = append(*s.quotes, span{s.open, end})
	}
	s.open = -1
}

// word reads the word starting at s.i.
func (s *scanner) word() (start, end int, brk, ok bool) {
	text := s.text
	start = s.i
	apos := -1 // where the last apostrophe kept in the word is
	letter := false
	if s.lower {
		s.buf = s.buf[:0]
	}
	for s.i < len(text) {
		b := text[s.i]
		if b < utf8.RuneSelf {
			switch {
			case 'a' <= b && b <= 'z', '0' <= b && b <= '9':
				letter = b >= 'a'
			case 'A' <= b && b <= 'Z':
				letter = true
				b += 'a' - 'A'
			case b == '\'' && letter && s.letterAt(s.i+1):
				apos, letter = s.i, false
			default:
				goto done
			}
			if s.lower {
				s.buf = append(s.buf, b)
			}
			s.i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[s.i:])
		switch {
		case unicode.IsLetter(r):
			letter = true
			if s.lower {
				s.buf = utf8.AppendRune(s.buf, unicode.ToLower(r))
			}
		case unicode.IsDigit(r):
			letter = false
			if s.lower {
				s.buf = utf8.AppendRune(s.buf, r)
			}
		case unicode.IsMark(r): // stays with the letter before it
			if s.lower {
				s.buf = utf8.AppendRune(s.buf, r)
			}
		case r == '’' && letter && s.letterAt(s.i+size):
			apos, letter = s.i, false
			if s.lower {
				s.buf = append(s.buf, '\'')
			}
		default:
			goto done
		}
		s.i += size
	}
done:
	end = s.i
	if apos >= 0 {
		n := 1 // the apostrophe's length
		if text[apos] != '\'' {
			n = len("’")
		}
		if end == apos+n+1 && (text[end-1] == 's' || text[end-1] == 'S') {
			end = apos
			if s.lower {
				s.buf = s.buf[:len(s.buf)-2]
			}
		}
	}
	brk = s.brk
	s.brk, s.nl = false, false
	return start, end, brk, true
}

// letterAt reports whether a letter starts at byte i of the text.
func (s *scanner) letterAt(i int) bool {
	if i >= len(s.text) {
		return false
	}
	if b := s.text[i]; b < utf8.RuneSelf {
		return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s.text[i:])
	return unicode.IsLetter(r)
}

// Words is the number of words in text, by the same rule as the checker
// ("non-compliant" is two words, "doesn’t" one).
func Words(text string) int {
	s := newScanner(text)
	n := 0
	for {
		if _, _, _, ok := s.next(); !ok {
			return n
		}
		n++
	}
}

// Key is the words of a phrase lower-cased and joined by single spaces, as
// an entry's Key: "Non-Compliant" gives "non compliant".
func Key(phrase string) string { return join(phrase, false) }

// StemKey is the stems of a phrase's words joined by single spaces. Two
// phrases with the same StemKey match the same words; a phrase contains
// another, word by word, when " "+StemKey(outer)+" " contains
// " "+StemKey(inner)+" ".
func StemKey(phrase string) string { return join(phrase, true) }

func join(phrase string, stems bool) string {
	s := newScanner(phrase)
	s.lower = true
	var b strings.Builder
	for {
		if _, _, _, ok := s.next(); !ok {
			return b.String()
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		w := s.buf
		if stems {
			w = stem(w)
		}
		b.Write(w)
	}
}

// stem reduces a lower-cased word to its stem in place, by the rules in the
// package comment, and returns it.
func stem(w []byte) []byte {
	n := len(w)
	if n < 4 {
		return w
	}
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return w
		}
	}
	// 1. Plural and third person.
	switch {
	case hasSuffix(w, "ies"):
		if n > 4 {
			return append(w[:n-3], 'y')
		}
		return w[:n-1]
	case hasSuffix(w, "sses"), hasSuffix(w, "xes"), hasSuffix(w, "ches"), hasSuffix(w, "shes"), hasSuffix(w, "zzes"):
		return w[:n-2]
	case w[n-1] == 's':
		if c := w[n-2]; c == 's' || c == 'u' || c == 'i' {
			return w
		}
		w = w[:n-1]
		if n := len(w); n >= 5 && hasSuffix(w, "ing") && hasVowel(w[:n-3]) {
			return settle(w[:n-3])
		}
		return dropE(w)
	}
	// 2. Past and -ing.
	switch {
	case hasSuffix(w, "ied"):
		if n > 4 {
			return append(w[:n-3], 'y')
		}
		return w[:n-1]
	case hasSuffix(w, "eed"):
		return w
	case hasSuffix(w, "ed") && hasVowel(w[:n-2]):
		return settle(w[:n-2])
	case n >= 5 && hasSuffix(w, "ing") && hasVowel(w[:n-3]):
		return settle(w[:n-3])
	}
	// 3. A silent e.
	return dropE(w)
}

// settle tidies what is left once -ed or -ing is taken off: a doubled final
// consonant other than l, s or z is undoubled; a short word ending
// consonant-vowel-consonant gets its e back.
func settle(w []byte) []byte {
	n := len(w)
	if n >= 2 && w[n-1] == w[n-2] && !isVowel(w, n-1) && w[n-1] != 'l' && w[n-1] != 's' && w[n-1] != 'z' {
		return w[:n-1]
	}
	if measure(w) == 1 && cvc(w) {
		return append(w, 'e')
	}
	return dropE(w)
}

// dropE drops a final silent e, except after a short word ending
// consonant-vowel-consonant ("hope", "made").
func dropE(w []byte) []byte {
	n := len(w)
	if n < 2 || w[n-1] != 'e' {
		return w
	}
	r := w[:n-1]
	if m := measure(r); m > 1 || m == 1 && !cvc(r) {
		return r
	}
	return w
}

func hasSuffix(w []byte, suffix string) bool {
	return len(w) >= len(suffix) && string(w[len(w)-len(suffix):]) == suffix
}

// isVowel reports whether w[i] is a vowel: a, e, i, o, u, or a y after a
// consonant.
func isVowel(w []byte, i int) bool {
	switch w[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	case 'y':
		return i > 0 && !isVowel(w, i-1)
	}
	return false
}

func hasVowel(w []byte) bool {
	for i := range w {
		if isVowel(w, i) {
			return true
		}
	}
	return false
}

// measure is the number of times a run of vowels is followed by a run of
// consonants in w (Porter's m): 0 for "tr", 1 for "hop", 2 for "refus".
func measure(w []byte) int {
	m := 0
	prevVowel := false
	for i := range w {
		v := isVowel(w, i)
		if !v && prevVowel {
			m++
		}
		prevVowel = v
	}
	return m
}

// cvc reports whether w ends consonant, vowel, consonant, the last not w,
// x or y ("hop", not "eat" or "show").
func cvc(w []byte) bool {
	n := len(w)
	if n < 3 {
		return false
	}
	switch w[n-1] {
	case 'w', 'x', 'y':
		return false
	}
	return !isVowel(w, n-3) && isVowel(w, n-2) && !isVowel(w, n-1)
}
