package textdiff

import (
	"strings"
	"testing"
)

func render(ls []Line) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString([]string{" ", "-", "+"}[l.Kind] + l.Text + "\n")
	}
	return b.String()
}

func TestLines(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"", "", ""},
		{"walk", "walk", " walk\n"},
		{"", "walk the dog", "+walk the dog\n"},
		{"walk\nswim\nread", "walk\nread\npaint", " walk\n-swim\n read\n+paint\n"},
		{"a\r\nb", "a\nb", " a\n b\n"},
	}
	for _, c := range cases {
		if got := render(Lines(c.a, c.b)); got != c.want {
			t.Errorf("Lines(%q, %q) =\n%s\nwant\n%s", c.a, c.b, got, c.want)
		}
	}
}

// Whatever the texts, the old lines read in order are a, and the new lines
// read in order are b.
func FuzzLinesKeepBothTexts(f *testing.F) {
	f.Add("walk\nswim", "swim\nwalk")
	f.Fuzz(func(t *testing.T, a, b string) {
		ls := Lines(a, b)
		var old, new []string
		for _, l := range ls {
			if l.Kind != Added {
				old = append(old, l.Text)
			}
			if l.Kind != Removed {
				new = append(new, l.Text)
			}
		}
		norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
		if strings.Join(old, "\n") != norm(a) || strings.Join(new, "\n") != norm(b) {
			t.Fatalf("Lines(%q, %q) = %v", a, b, ls)
		}
		if Changed(ls) != (norm(a) != norm(b)) {
			t.Fatalf("Changed = %v for %q, %q", Changed(ls), a, b)
		}
	})
}
