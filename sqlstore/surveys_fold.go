package sqlstore

import (
	"math"
	"sort"

	"github.com/alongside-recovery/alongside"
)

// The arithmetic of surveys, apart from the SQL that stores and reads it
// (surveys_tallies.go): what a fold adds to a wave's tallies, and what
// results make of the tallies.

// waveFold is what some of a wave's responses add to its tallies (foldSome).
type waveFold struct {
	items   map[foldItem]int // respondents (item "") and answers to scored items
	domains map[foldDomain]*foldSums
	paired  []foldScore // domain scores of responses with a pairing code
}

type foldItem struct {
	service     int64
	item, value string
}

type foldDomain struct {
	service int64
	domain  string
}

// foldSums are a domain's score count, sum and sum of squares.
type foldSums struct {
	n              int
	total, squares float64
}

type foldScore struct {
	response, service int64
	domain, pair      string
	score             float64
}

func newWaveFold() *waveFold {
	return &waveFold{items: map[foldItem]int{}, domains: map[foldDomain]*foldSums{}}
}

// add takes in one response to the questionnaire q: its respondent, each
// scored answer and each domain score.
func (f *waveFold) add(q *alongside.Questionnaire, response, service int64, pair string, a alongside.SurveyAnswer) {
	f.items[foldItem{service, "", ""}]++
	for _, it := range q.Items {
		if v := a[it.Key]; v != "" && it.Type.Scored() {
			f.items[foldItem{service, it.Key, v}]++
		}
	}
	scores := q.DomainScores(a)
	for _, d := range q.Domains {
		score, ok := scores[d.Key]
		if !ok {
			continue
		}
		k := foldDomain{service, d.Key}
		if f.domains[k] == nil {
			f.domains[k] = &foldSums{}
		}
		f.domains[k].n++
		f.domains[k].total += score
		f.domains[k].squares += score * score
		if pair != "" {
			f.paired = append(f.paired, foldScore{response, service, d.Key, pair, score})
		}
	}
}

// itemKeys are the items' keys by service, item and value.
func (f *waveFold) itemKeys() []foldItem {
	ik := make([]foldItem, 0, len(f.items))
	for k := range f.items {
		ik = append(ik, k)
	}
	sort.Slice(ik, func(i, j int) bool {
		a, b := ik[i], ik[j]
		if a.service != b.service {
			return a.service < b.service
		}
		if a.item != b.item {
			return a.item < b.item
		}
		return a.value < b.value
	})
	return ik
}

// domainKeys are the domains' keys by service and domain.
func (f *waveFold) domainKeys() []foldDomain {
	dk := make([]foldDomain, 0, len(f.domains))
	for k := range f.domains {
		dk = append(dk, k)
	}
	sort.Slice(dk, func(i, j int) bool {
		if dk[i].service != dk[j].service {
			return dk[i].service < dk[j].service
		}
		return dk[i].domain < dk[j].domain
	})
	return dk
}

// WaveSummary is what results show of one wave: counts of each answer to
// each scored item, and each domain's score count, mean and SD.
type WaveSummary struct {
	Respondents int
	Items       map[string]map[string]int // item → answer → count
	Domains     map[string]DomainSummary
}

// DomainSummary is a domain's scores (0–100) in a wave.
type DomainSummary struct {
	N        int
	Mean, SD float64
}

func summarise(n int, total, sqs float64) DomainSummary {
	d := DomainSummary{N: n}
	if n > 0 {
		d.Mean = total / float64(n)
	}
	if n > 1 {
		v := (sqs - total*total/float64(n)) / float64(n-1)
		if v > 0 {
			d.SD = math.Sqrt(v)
		}
	}
	return d
}
