package alongside

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// PhoneNumber is a UK telephone number found in a text: Text[Start:End] as
// written, and Tel, the number to dial (for a tel: link).
type PhoneNumber struct {
	Start, End int
	Tel        string // "999", "116123", "+441411234567"
}

// maxPhoneGroups is the most space-separated groups a number is written in
// ("+44 (0) 141 123 4567" is five).
const maxPhoneGroups = 6

// FindPhoneNumbers finds the UK telephone numbers written in s, so that a
// crisis plan can offer each as a tap-to-call link: the emergency and
// helpline numbers (999, 112, 111, 101, 105, 116 123 and the other 116
// helplines), and national numbers of 10 or 11 digits starting with 0, or
// with +44, written with spaces, hyphens or the area code in brackets
// ("0800 83 85 87", "07700 900123", "+44 7700 900123", "(0141) 123 4567").
// Dates, times, sums of money and other numbers are left alone: a number
// must stand apart from letters and digits, and not follow "£", "#", "/"
// or a digit and a separator ("1,999", "12.111").
func FindPhoneNumbers(s string) []PhoneNumber {
	var out []PhoneNumber
	i := 0
	for i < len(s) {
		if !phoneStart(s[i]) {
			i++
			continue
		}
		// A run of characters numbers are written with, split into groups
		// at single spaces.
		j := i
		for j < len(s) && (phoneChar(s[j]) || s[j] == ' ') {
			j++
		}
		out = append(out, phonesInRun(s, i, j)...)
		i = j
	}
	return out
}

func phoneStart(c byte) bool { return (c >= '0' && c <= '9') || c == '+' || c == '(' }
func phoneChar(c byte) bool  { return phoneStart(c) || c == ')' || c == '-' }

// phonesInRun finds the numbers in s[start:end], a run of digits, spaces,
// "+", "(", ")" and "-": from each group, the longest span of groups that
// is a number.
func phonesInRun(s string, start, end int) []PhoneNumber {
	type group struct{ a, b int }
	var groups []group
	for k := start; k < end; {
		if s[k] == ' ' {
			k++
			continue
		}
		a := k
		for k < end && s[k] != ' ' {
			k++
		}
		groups = append(groups, group{a, k})
	}
	var out []PhoneNumber
	for g := 0; g < len(groups); {
		found := false
		for last := min(len(groups)-1, g+maxPhoneGroups-1); last >= g; last-- {
			// Groups must be one space apart: two spaces end a number.
			ok := true
			for k := g; k < last; k++ {
				if groups[k+1].a-groups[k].b != 1 {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			a, b := groups[g].a, groups[last].b
			// A number ends with a digit: "07700 900123)." leaves the ")".
			for b > a && (s[b-1] < '0' || s[b-1] > '9') {
				b--
			}
			if b <= a {
				continue
			}
			tel, ok := phoneTel(s[a:b])
			if !ok && s[a] == '(' && b > a+1 {
				// "(0131 496 0999)": the bracket is round the number.
				a++
				tel, ok = phoneTel(s[a:b])
			}
			if ok && phoneApart(s, a, b) {
				out = append(out, PhoneNumber{Start: a, End: b, Tel: tel})
				g, found = last+1, true
				break
			}
		}
		if !found {
			g++
		}
	}
	return out
}

// phoneApart reports whether s[a:b] stands apart from the text around it:
// no letter or digit touches it, nor a currency sign, "#" or "/" before,
// "%" or "/" after, nor a separator with a digit beyond (a sum, a decimal,
// a time or a date).
func phoneApart(s string, a, b int) bool {
	digit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	if a > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:a])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Sc, r) || strings.ContainsRune("#/\\_&@=*'", r) {
			return false
		}
		if strings.ContainsRune(".,:-", r) && digit(a-2) {
			return false
		}
	}
	if b < len(s) {
		r, _ := utf8.DecodeRuneInString(s[b:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("%/\\_&@=*'", r) {
			return false
		}
		if strings.ContainsRune(".,:-", r) && digit(b+1) {
			return false
		}
	}
	return true
}

// phoneTel says whether t, which starts with "+", "(" or a digit and ends
// with a digit, is written as a UK number, and gives the number to dial.
func phoneTel(t string) (string, bool) {
	var digits strings.Builder
	open, close, openAt := 0, 0, -1
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			digits.WriteByte(c)
		case c == '+':
			if i != 0 {
				return "", false
			}
		case c == '(':
			open++
			openAt = i
			if open > 2 || close != open-1 {
				return "", false
			}
		case c == ')':
			close++
			if close != open || t[i-1] < '0' || t[i-1] > '9' {
				return "", false
			}
		case c == '-':
			if i == 0 || t[i-1] == '-' || t[i-1] == '(' {
				return "", false
			}
		}
	}
	if open != close {
		return "", false
	}
	// Brackets go round the area code, first or after +44: "(0141) 123
	// 4567", "+44 (0)7700 900123".
	if open > 0 {
		if before := strings.TrimSpace(t[:openAt]); before != "" && before != "+44" {
			return "", false
		}
	}
	d := digits.String()
	if t[0] == '+' {
		// +44, then the national number without its 0; "+44 (0)" writes the 0.
		if !strings.HasPrefix(d, "44") {
			return "", false
		}
		rest := d[2:]
		if strings.HasPrefix(rest, "0") && strings.Contains(t, "(0)") {
			rest = rest[1:]
		}
		if !nationalNumber("0" + rest) {
			return "", false
		}
		return "+44" + rest, true
	}
	if open > 0 && d[0] != '0' {
		return "", false // "(2) 111": brackets go round an area code
	}
	switch {
	case d == "999" || d == "112" || d == "111" || d == "101" || d == "105" || d == "119":
		return d, !strings.ContainsAny(t, " -()")
	case len(d) == 6 && strings.HasPrefix(d, "116"):
		return d, !strings.ContainsAny(t, "()")
	case nationalNumber(d):
		return "+44" + d[1:], true
	}
	return "", false
}

// nationalNumber: a UK number as dialled at home, 0 then 9 or 10 digits,
// starting 01, 02, 03, 05, 07, 08 or 09 (10 digits only for 01 and 08).
func nationalNumber(d string) bool {
	if len(d) < 10 || len(d) > 11 || d[0] != '0' || strings.IndexByte("1235789", d[1]) < 0 {
		return false
	}
	return len(d) == 11 || d[1] == '1' || d[1] == '8'
}
