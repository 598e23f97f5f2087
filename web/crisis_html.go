package web

import (
	"html/template"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// linkPhones is text with each UK telephone number in it a tap-to-call
// link (alongside.FindPhoneNumbers). Every piece of the text is escaped;
// the links are built only from the escaped number and its digits.
func linkPhones(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, p := range alongside.FindPhoneNumbers(text) {
		b.WriteString(template.HTMLEscapeString(text[last:p.Start]))
		b.WriteString(`<a class="tel" href="tel:` + template.HTMLEscapeString(p.Tel) + `">` + template.HTMLEscapeString(text[p.Start:p.End]) + "</a>")
		last = p.End
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}
