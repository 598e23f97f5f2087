package language

import "testing"

// TestStem pins the stemmer's rules (see the package comment): words that
// should be one stem are, and words that should not, are not.
func TestStem(t *testing.T) {
	for _, group := range [][]string{
		{"refuse", "refused", "refuses", "refusing"},
		{"suffer", "suffers", "suffered", "suffering"},
		{"stop", "stops", "stopped", "stopping"},
		{"hope", "hopes", "hoped", "hoping"},
		{"care", "cares", "cared", "caring"},
		{"fly", "flies"},
		{"deny", "denies", "denied"},
		{"die", "dies", "died"},
		{"tie", "ties", "tied"},
		{"flyer", "flyers"},
		{"meeting", "meetings", "meet", "meets"},
		{"watch", "watches", "watched", "watching"},
		{"miss", "misses", "missed", "missing"},
		{"box", "boxes"},
		{"call", "calls", "called", "calling"},
		{"engage", "engaged", "engages", "engaging"},
		{"challenge", "challenges", "challenged", "challenging"},
		{"manipulate", "manipulated", "manipulates", "manipulating"},
		{"create", "created", "creating"},
		{"struggle", "struggled", "struggling"},
		{"need", "needs", "needed"},
		{"commit", "commits", "committed", "committing"},
		{"be", "being"},
		{"kick", "kicks", "kicked", "kicking"},
	} {
		want := string(stem([]byte(group[0])))
		for _, w := range group[1:] {
			if got := string(stem([]byte(w))); got != want {
				t.Errorf("stem(%q) = %q, want %q as for %q", w, got, want, group[0])
			}
		}
	}
	for _, pair := range [][2]string{
		{"made", "mad"}, {"hope", "hop"}, {"hoping", "hopping"}, {"care", "car"},
		{"sufferer", "suffer"}, {"madness", "mad"}, {"madly", "mad"}, {"refusenik", "refuse"},
		{"status", "stat"}, {"crisis", "cris"}, {"bed", "b"}, {"thing", "th"},
	} {
		if a, b := string(stem([]byte(pair[0]))), string(stem([]byte(pair[1]))); a == b {
			t.Errorf("%q and %q are both %q", pair[0], pair[1], a)
		}
	}
	for _, w := range []string{"is", "was", "the", "bed", "red", "yes", "can't", "naïve", "b12s", "tie"} {
		if got := string(stem([]byte(w))); got != w {
			t.Errorf("stem(%q) = %q, want it left alone", w, got)
		}
	}
}
