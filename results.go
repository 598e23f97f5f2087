package alongside

import "sort"

// MinGroup is the smallest number of people behind any figure shown:
// smaller groups could identify someone.
const MinGroup = 5

// EnoughPeople is the small-numbers rule, the one test every page and
// every export applies: a figure, or an answer, that n people stand behind
// may be shown only when n is at least MinGroup.
func EnoughPeople(n int) bool { return n >= MinGroup }

// Tally is how the sheets of one source rated one indicator in a review.
type Tally struct {
	Source    EvidenceSource
	Indicator string
	Sheets    int    // sheets that rated any statement of the indicator
	NA        int    // ratings of N/A
	Counts    [6]int // Counts[1]..Counts[5]: ratings of 1 to 5
}

// Rated is how many ratings from 1 to 5 stand behind the mean.
func (t Tally) Rated() int {
	return t.Counts[1] + t.Counts[2] + t.Counts[3] + t.Counts[4] + t.Counts[5]
}

func (t Tally) sum() int {
	return t.Counts[1] + 2*t.Counts[2] + 3*t.Counts[3] + 4*t.Counts[4] + 5*t.Counts[5]
}

// Mean is the average rating, N/A left out; 0 when nothing was rated.
func (t Tally) Mean() float64 {
	if t.Rated() == 0 {
		return 0
	}
	return float64(t.sum()) / float64(t.Rated())
}

// Shown reports whether the tally's figures may be shown. Records and
// service information are documents; staff, people and carers are people,
// and fewer than MinGroup of their sheets could identify someone.
func (t Tally) Shown() bool { return t.Source.Document() || EnoughPeople(t.Sheets) }

// Comment is a written example of evidence, shown under its indicator with
// its source but never with its sheet.
type Comment struct {
	Source EvidenceSource
	Text   string
}

// CommentsPerIndicator is how many evidence comments results show under
// each indicator at first; the rest are a click away. A few hundred sheets
// write more than anyone reads on one page, least of all on a phone.
const CommentsPerIndicator = 12

// Results are what a review's sheets add up to.
type Results struct {
	Sheets        map[EvidenceSource]int // sheets per source
	Tallies       []Tally                // by indicator, then source
	Comments      map[string][]Comment   // indicator key → comments, by source, then in an order drawn at random when written
	CommentCounts map[string]int         // indicator key → how many comments may be shown in all
}

// Tally returns the tally for an indicator and source (zero if none).
func (r *Results) Tally(indicator string, source EvidenceSource) Tally {
	for _, t := range r.Tallies {
		if t.Indicator == indicator && t.Source == source {
			return t
		}
	}
	return Tally{Indicator: indicator, Source: source}
}

// ProfilePoint is an indicator's place on the review's profile: the mean
// of every rating that may be shown, across sources.
type ProfilePoint struct {
	Indicator string
	Mean      float64
	Rated     int // ratings behind the mean; 0 means no figure
}

// NewProfilePoint is the point of ratings adding up to total.
func NewProfilePoint(indicator string, total, rated int) ProfilePoint {
	p := ProfilePoint{Indicator: indicator, Rated: rated}
	if rated > 0 {
		p.Mean = float64(total) / float64(rated)
	}
	return p
}

// Profile returns one point per indicator of the set, in the set's order.
func (r *Results) Profile(set *StatementSet) []ProfilePoint {
	out := make([]ProfilePoint, 0, len(set.Indicators))
	for _, in := range set.Indicators {
		sum, rated := 0, 0
		for _, t := range r.Tallies {
			if t.Indicator == in.Key && t.Shown() {
				sum += t.sum()
				rated += t.Rated()
			}
		}
		out = append(out, NewProfilePoint(in.Key, sum, rated))
	}
	return out
}

// SortTallies puts tallies in a stable order: by indicator key, then by
// the order of the sources.
func SortTallies(ts []Tally) {
	rank := map[EvidenceSource]int{}
	for i, s := range EvidenceSources {
		rank[s] = i
	}
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].Indicator != ts[j].Indicator {
			return ts[i].Indicator < ts[j].Indicator
		}
		return rank[ts[i].Source] < rank[ts[j].Source]
	})
}
