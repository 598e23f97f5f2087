package language

import (
	"slices"
	"sync"
)

// Checker finds a list's phrases in texts. It is built once by New, never
// changes, and is safe for concurrent use.
type Checker struct {
	entries []Entry
	ids     map[string]int32 // stem → its number, for every stem in the list
	first   [][]pattern      // by the number of a pattern's first stem, longest first
	unless  [][][]int32      // by entry: its unless phrases, as stem numbers
	longest int              // the most bytes in a stem of the list
}

// pattern is a phrase or form of an entry, as stem numbers.
type pattern struct {
	ids   []int32
	entry int32
}

// tok is a word of a checked text.
type tok struct {
	start, end int   // the word as written: text[start:end]
	id         int32 // its stem's number, or -1 if no phrase has it
	brk        bool  // whether a break parts it from the word before
}

// cand is a match found before overlaps are settled.
type cand struct {
	tok, words int // the first word and the number of words
	entry      int32
}

// scratch is what one Check works in, cached between calls in scratchPool.
type scratch struct {
	toks   []tok
	quotes []span
	cands  []cand
	taken  []bool
	buf    []byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// New compiles a list, which should already be valid (as read by
// content.ParseSuggestions). Phrases without words are left out; New never
// fails.
func New(l *List) *Checker {
	c := &Checker{ids: map[string]int32{}}
	if l != nil {
		c.entries = slices.Clone(l.Entries)
	}
	intern := func(phrase string) []int32 {
		s := newScanner(phrase)
		s.lower = true
		var ids []int32
		for {
			if _, _, _, ok := s.next(); !ok {
				return ids
			}
			w := string(stem(s.buf))
			id, ok := c.ids[w]
			if !ok {
				id = int32(len(c.ids))
				c.ids[w] = id
				c.longest = max(c.longest, len(w))
			}
			ids = append(ids, id)
		}
	}
	var patterns []pattern
	c.unless = make([][][]int32, len(c.entries))
	for e := range c.entries {
		en := &c.entries[e]
		for i := -1; i < len(en.Forms); i++ {
			phrase := en.Phrase
			if i >= 0 {
				phrase = en.Forms[i]
			}
			if ids := intern(phrase); len(ids) > 0 {
				patterns = append(patterns, pattern{ids, int32(e)})
			}
		}
		for _, u := range en.Unless {
			if ids := intern(u); len(ids) > 0 {
				c.unless[e] = append(c.unless[e], ids)
			}
		}
	}
	c.first = make([][]pattern, len(c.ids))
	for _, p := range patterns {
		c.first[p.ids[0]] = append(c.first[p.ids[0]], p)
	}
	for _, ps := range c.first {
		slices.SortStableFunc(ps, func(a, b pattern) int { return len(b.ids) - len(a.ids) })
	}
	return c
}

// Entries is the list's entries, in file order. Callers must not change
// the slices they hold.
func (c *Checker) Entries() []Entry { return slices.Clone(c.entries) }

// Match is a phrase found in a text.
type Match struct {
	Start, End int // byte offsets in the text: text[Start:End] is the matched words as written
	Entry      *Entry
}

// Check finds the list's phrases in text, by the rules in the package
// comment. The matches are in order of Start and never overlap.
func (c *Checker) Check(text string) []Match {
	if len(c.ids) == 0 || text == "" {
		return nil
	}
	sc := scratchPool.Get().(*scratch)
	defer func() {
		if cap(sc.toks) <= 1<<16 {
			scratchPool.Put(sc)
		}
	}()

	// Read the words once, with their stems' numbers.
	s := newScanner(text)
	s.lower, s.buf = true, sc.buf[:0]
	sc.quotes = sc.quotes[:0]
	s.quotes = &sc.quotes
	toks := sc.toks[:0]
	for {
		start, end, brk, ok := s.next()
		if !ok {
			break
		}
		id := int32(-1)
		if w := stem(s.buf); len(w) <= c.longest {
			if n, ok := c.ids[string(w)]; ok {
				id = n
			}
		}
		toks = append(toks, tok{start, end, id, brk})
	}
	sc.toks, sc.buf = toks, s.buf

	// Find every match that is neither excused by an unless phrase nor
	// quoted, in order of the first word.
	cands := sc.cands[:0]
	quotes := sc.quotes
	q := 0
	for i := range toks {
		id := toks[i].id
		if id < 0 {
			continue
		}
		for _, p := range c.first[id] {
			if !matchAt(toks, i, p.ids) || c.excused(toks, i, len(p.ids), p.entry) {
				continue
			}
			start, end := toks[i].start, toks[i+len(p.ids)-1].end
			for q < len(quotes) && quotes[q].end <= start {
				q++
			}
			if q < len(quotes) && quotes[q].start < start && end <= quotes[q].end {
				continue
			}
			cands = append(cands, cand{i, len(p.ids), p.entry})
		}
	}
	sc.cands = cands
	if len(cands) == 0 {
		return nil
	}
	if len(cands) == 1 {
		return []Match{c.match(toks, cands[0])}
	}

	// Settle overlaps: more words first, then the earlier, then the entry
	// earlier in the list.
	slices.SortFunc(cands, func(a, b cand) int {
		if a.words != b.words {
			return b.words - a.words
		}
		if a.tok != b.tok {
			return a.tok - b.tok
		}
		return int(a.entry - b.entry)
	})
	taken := sc.taken[:0]
	taken = append(taken, make([]bool, len(toks))...)
	sc.taken = taken
	kept := 0
	for k, m := range cands {
		free := true
		for j := m.tok; j < m.tok+m.words; j++ {
			free = free && !taken[j]
		}
		if !free {
			continue
		}
		for j := m.tok; j < m.tok+m.words; j++ {
			taken[j] = true
		}
		cands[kept] = cands[k]
		kept++
	}
	out := make([]Match, kept)
	for k, m := range cands[:kept] {
		out[k] = c.match(toks, m)
	}
	slices.SortFunc(out, func(a, b Match) int { return a.Start - b.Start })
	return out
}

func (c *Checker) match(toks []tok, m cand) Match {
	return Match{Start: toks[m.tok].start, End: toks[m.tok+m.words-1].end, Entry: &c.entries[m.entry]}
}

// matchAt reports whether ids are the stems of the words from toks[i] on,
// with no break between them.
func matchAt(toks []tok, i int, ids []int32) bool {
	if i < 0 || i+len(ids) > len(toks) {
		return false
	}
	for k, id := range ids {
		if t := &toks[i+k]; t.id != id || k > 0 && t.brk {
			return false
		}
	}
	return true
}

// excused reports whether one of entry's unless phrases is found over
// words that cover the n words from toks[i].
func (c *Checker) excused(toks []tok, i, n int, entry int32) bool {
	for _, u := range c.unless[entry] {
		for a := max(0, i+n-len(u)); a <= i; a++ {
			if matchAt(toks, a, u) {
				return true
			}
		}
	}
	return false
}
