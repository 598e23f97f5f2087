package alongside

import "testing"

func TestColon(t *testing.T) {
	for in, want := range map[string]string{
		"Where I live": "Where I live:",
		"I can support people to write an advance statement.": "I can support people to write an advance statement.",
		"What helps?": "What helps?",
		"":            "",
	} {
		if got := Colon(in); got != want {
			t.Errorf("Colon(%q) = %q, want %q", in, got, want)
		}
	}
}
