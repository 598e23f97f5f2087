// Package textdiff compares two texts line by line, for showing what
// changed between two versions of a section of a plan.
package textdiff

import "strings"

// Kind says whether a line is in both texts, only the old, or only the new.
type Kind int

const (
	Same Kind = iota
	Removed
	Added
)

// Line is one line of a comparison.
type Line struct {
	Kind Kind
	Text string
}

// maxCells bounds the comparison table: beyond it, texts are shown as all
// removed then all added rather than spending time and memory on a finer
// answer. Plan texts are at most 10,000 characters, far within it.
const maxCells = 4_000_000

// Lines compares a and b by lines, using a longest common subsequence, so
// that the result keeps as many lines unchanged as can be.
func Lines(a, b string) []Line {
	as, bs := split(a), split(b)
	if len(as)*len(bs) > maxCells {
		return whole(as, bs)
	}
	// lcs[i][j] is the length of the longest common subsequence of
	// as[i:] and bs[j:].
	lcs := make([][]int, len(as)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(bs)+1)
	}
	for i := len(as) - 1; i >= 0; i-- {
		for j := len(bs) - 1; j >= 0; j-- {
			if as[i] == bs[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Line
	i, j := 0, 0
	for i < len(as) && j < len(bs) {
		switch {
		case as[i] == bs[j]:
			out = append(out, Line{Same, as[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Line{Removed, as[i]})
			i++
		default:
			out = append(out, Line{Added, bs[j]})
			j++
		}
	}
	for ; i < len(as); i++ {
		out = append(out, Line{Removed, as[i]})
	}
	for ; j < len(bs); j++ {
		out = append(out, Line{Added, bs[j]})
	}
	return out
}

// Changed reports whether a comparison holds any change.
func Changed(ls []Line) bool {
	for _, l := range ls {
		if l.Kind != Same {
			return true
		}
	}
	return false
}

func split(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func whole(as, bs []string) []Line {
	var out []Line
	for _, l := range as {
		out = append(out, Line{Removed, l})
	}
	for _, l := range bs {
		out = append(out, Line{Added, l})
	}
	return out
}
