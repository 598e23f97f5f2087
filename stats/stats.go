// Package stats holds the few statistics used to compare two waves of a
// survey: the change in an item's or a domain's mean score from
// a baseline wave to a follow-up wave, with a 95% confidence interval and
// an effect size.
//
// Two comparisons are offered, and a report normally shows both side by
// side, saying how many answers paired:
//
//   - [Unpaired] compares everyone who answered the baseline with everyone
//     who answered the follow-up, as two independent groups (Welch's
//     t interval, Hedges' g).
//   - [Paired] compares, for the people who answered both waves under the
//     same code, each person's follow-up answer with their own baseline
//     answer (the paired t interval, d_z). Pairing answers by code is the
//     caller's job; this package only sees the two lists, in pair order.
//
// What it is for: describing, with honest uncertainty, how much a mean
// score moved between two waves of the same questionnaire.
//
// What it is not: a general statistics library, nor a way to prove that a
// service caused a change. It does no weighting, no handling of missing
// answers (the caller passes only the answers given), no correction for
// looking at many items at once (with twenty items and no real change,
// about one will show an interval clear of zero by chance alone), and no test for whether the
// assumptions hold. The intervals assume the mean is roughly normally
// distributed, which is reasonable for averaged 1–5 or 0–10 answers from a
// dozen or more people and rough below that. Changes in who answered
// (people leaving, joining, or declining) can move an unpaired mean with
// nobody's experience changing; that is why the paired figure is shown
// beside it.
//
// All inputs must be finite numbers; the comparisons report false for
// anything else.
package stats

import "math"

// Level is the confidence level of the intervals [Unpaired] and [Paired]
// report.
const Level = 0.95

// Mean is the arithmetic mean of xs: the sum divided by the count. It is
// NaN when xs is empty.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// SD is the sample standard deviation of xs (dividing by n−1): how far,
// typically, an answer lies from the mean. It is NaN when xs has fewer than
// two values.
func SD(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	m := Mean(xs)
	var ss float64
	for _, x := range xs {
		d := x - m
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

// Interval is an estimate with its confidence interval.
//
// In plain words: Estimate is the best single guess of the change; the true
// change is plausibly anywhere from Low to High. "95% confidence" means
// that, were the survey repeated many times, about 95 in 100 intervals
// worked out this way would contain the true change. An interval that lies
// wholly above (or below) zero means the data are hard to explain without
// a real rise (or fall); an interval that spans zero means the data cannot
// tell a rise from a fall.
type Interval struct {
	Estimate float64 // the difference in means, follow-up minus baseline
	Low      float64 // the lower end of the interval
	High     float64 // the upper end of the interval
	SE       float64 // the standard error of Estimate: its typical error from sampling
	DF       float64 // the degrees of freedom of the t distribution used (fractional for Welch)
	Level    float64 // the confidence level, 0.95
}

// UnpairedComparison compares all baseline answers with all follow-up
// answers as two independent groups.
type UnpairedComparison struct {
	NBaseline, NFollowup       int     // how many answers in each wave
	MeanBaseline, MeanFollowup float64 // the mean answer in each wave
	SDBaseline, SDFollowup     float64 // the spread of answers in each wave (NaN with fewer than two)

	// Difference is MeanFollowup − MeanBaseline with its 95% interval
	// (Welch's t interval, which does not assume the two waves' answers
	// are equally spread).
	Difference Interval

	// HedgesG is the change measured in standard deviations of the
	// answers (pooled over the two waves) and corrected for the slight
	// overstatement of small samples. In plain words: how big the change
	// is compared with how much people's answers differ from one another.
	// As a rough guide, about 0.2 is small, 0.5 medium and 0.8 large;
	// positive means the follow-up mean is higher.
	HedgesG float64
}

// Unpaired compares every baseline answer with every follow-up answer, as
// two independent groups: the difference in means (followup − baseline)
// with a 95% Welch t interval, and Hedges' g.
//
// It reports false when either wave has fewer than two answers, when every
// answer in both waves is the same (so there is no spread to measure the
// change against), or when an answer is not a finite number. The counts,
// means and standard deviations that can be computed are filled in even
// then, so the caller can show the counts and means with, in place of the
// interval and effect size, words such as "too few answers to estimate the
// change" (fewer than two in a wave) or "every answer was the same, so no
// interval can be given" (no spread).
func Unpaired(baseline, followup []float64) (UnpairedComparison, bool) {
	return unpaired(baseline, followup, Level)
}

func unpaired(baseline, followup []float64, level float64) (UnpairedComparison, bool) {
	if !finite(baseline) || !finite(followup) {
		return UnpairedComparison{NBaseline: len(baseline), NFollowup: len(followup),
			MeanBaseline: Mean(baseline), MeanFollowup: Mean(followup), SDBaseline: SD(baseline), SDFollowup: SD(followup)}, false
	}
	return unpairedSummary(len(baseline), Mean(baseline), SD(baseline), len(followup), Mean(followup), SD(followup), level)
}

// UnpairedFromSummary is Unpaired from each wave's count, mean and sample
// SD, for callers that keep running totals rather than every answer.
func UnpairedFromSummary(n1 int, mean1, sd1 float64, n2 int, mean2, sd2 float64) (UnpairedComparison, bool) {
	return unpairedSummary(n1, mean1, sd1, n2, mean2, sd2, Level)
}

func unpairedSummary(nb int, meanb, sdb float64, nf int, meanf, sdf float64, level float64) (UnpairedComparison, bool) {
	u := UnpairedComparison{NBaseline: nb, NFollowup: nf, MeanBaseline: meanb, MeanFollowup: meanf, SDBaseline: sdb, SDFollowup: sdf}
	n1, n2 := float64(nb), float64(nf)
	if n1 < 2 || n2 < 2 || math.IsNaN(sdb) || math.IsNaN(sdf) {
		return u, false
	}
	v1, v2 := sdb*sdb, sdf*sdf
	pooled := math.Sqrt(((n1-1)*v1 + (n2-1)*v2) / (n1 + n2 - 2))
	if pooled == 0 {
		return u, false
	}
	diff := meanf - meanb

	// Welch: the variance of the difference is the sum of the variances
	// of the two means; the Welch–Satterthwaite degrees of freedom match
	// the spread of that sum to a chi-squared distribution.
	a, b := v1/n1, v2/n2
	se := math.Sqrt(a + b)
	df := (a + b) * (a + b) / (a*a/(n1-1) + b*b/(n2-1))
	u.Difference = interval(diff, se, df, level)

	// Hedges' g with the usual approximation to the small-sample
	// correction (Hedges & Olkin 1985, eq. 5.10).
	j := 1 - 3/(4*(n1+n2)-9)
	u.HedgesG = j * diff / pooled
	return u, true
}

// PairedComparison compares each person's follow-up answer with their own
// baseline answer, for the people who answered both waves.
type PairedComparison struct {
	N                          int     // how many pairs
	MeanBaseline, MeanFollowup float64 // the mean baseline and follow-up answer of the people who paired

	// Difference is the mean of the pairs' differences (follow-up minus
	// baseline) with its 95% t interval. It equals MeanFollowup −
	// MeanBaseline; the interval is usually narrower than the unpaired
	// one because each person is compared with themselves.
	Difference Interval

	// SDDifference is the spread of the pairs' differences: how much
	// people's changes differ from one another (NaN with fewer than two
	// pairs).
	SDDifference float64

	// DZ (d_z) is the mean change divided by SDDifference. In plain words:
	// how consistent the change is from person to person. It is not on the
	// same scale as Hedges' g, since it measures against the spread of the
	// changes rather than the spread of the answers, and is often larger.
	DZ float64
}

// Paired compares pairs of answers: baseline[i] and followup[i] are the
// answers of the same person (matched by their code by the caller) in the
// two waves. It gives the mean of the differences followup[i] − baseline[i]
// with a
// 95% t interval on n−1 degrees of freedom, and d_z.
//
// It reports false when there are fewer than two pairs, when every pair
// changed by exactly the same amount (so the differences have no spread),
// or when an answer is not a finite number. As with [Unpaired], the count,
// means and spread that can be computed are filled in, and the caller
// should show the number of pairs with words such as "too few people
// answered both waves to estimate their change" or "everyone who answered
// both waves changed by the same amount" in place of the interval.
//
// Paired panics when baseline and followup differ in length: that is a mistake
// in the caller's pairing, not a property of the data.
func Paired(baseline, followup []float64) (PairedComparison, bool) {
	return paired(baseline, followup, Level)
}

func paired(baseline, followup []float64, level float64) (PairedComparison, bool) {
	if len(baseline) != len(followup) {
		panic("stats: Paired given lists of different lengths")
	}
	diffs := make([]float64, len(baseline))
	for i := range baseline {
		diffs[i] = followup[i] - baseline[i]
	}
	p := PairedComparison{
		N:            len(diffs),
		MeanBaseline: Mean(baseline),
		MeanFollowup: Mean(followup),
		SDDifference: SD(diffs),
	}
	if len(diffs) < 2 || !finite(baseline) || !finite(followup) || p.SDDifference == 0 {
		return p, false
	}
	n := float64(len(diffs))
	m := Mean(diffs)
	p.Difference = interval(m, p.SDDifference/math.Sqrt(n), n-1, level)
	p.DZ = m / p.SDDifference
	return p, true
}

// interval is estimate ± t·se, t being the two-sided quantile for level.
func interval(estimate, se, df, level float64) Interval {
	h := TQuantile(1-(1-level)/2, df) * se
	return Interval{Estimate: estimate, Low: estimate - h, High: estimate + h, SE: se, DF: df, Level: level}
}

func finite(xs []float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// TQuantile is the inverse of Student's t cumulative distribution function
// with df degrees of freedom (which may be fractional): the t such that
// P(T ≤ t) = p. TQuantile(0.975, df) is the multiplier of the standard error
// in a two-sided 95% interval.
//
// It is NaN when df is not positive or either argument is NaN, −Inf for
// p ≤ 0 and +Inf for p ≥ 1. It finds the root of the distribution function,
// computed from the regularized incomplete beta function, by bracketing and
// bisection to the resolution of a float64. Checked against 40-digit
// values for df from 1 to 10000 and p from 0.9 to 0.999 (see the tests),
// the relative error is below 1e-13.
func TQuantile(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || math.IsNaN(df) || df <= 0:
		return math.NaN()
	case p <= 0:
		return math.Inf(-1)
	case p >= 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	case p < 0.5:
		return -TQuantile(1-p, df)
	}
	q := 1 - p // the upper tail wanted, in (0, 0.5)
	lo, hi := 0.0, 1.0
	for tTail(hi, df) > q {
		lo, hi = hi, 2*hi
		if math.IsInf(hi, 0) {
			return math.Inf(1)
		}
	}
	// tTail decreases in t; keep tTail(lo) > q ≥ tTail(hi).
	for {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if tTail(mid, df) > q {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// tTail is P(T > t) for t ≥ 0: half the regularized incomplete beta
// function I_x(df/2, 1/2) at x = df/(df+t²). 1−x is computed directly so
// that small t loses no precision.
func tTail(t, df float64) float64 {
	t2 := t * t
	x := df / (df + t2)
	y := t2 / (df + t2)
	return incBeta(df/2, 0.5, x, y) / 2
}

// incBeta is the regularized incomplete beta function I_x(a, b), with
// y = 1−x given separately. It uses the continued fraction (Numerical
// Recipes, 3rd ed., §6.4) evaluated by the modified Lentz method, on
// whichever of I_x(a, b) and 1 − I_y(b, a) converges faster.
func incBeta(a, b, x, y float64) float64 {
	switch {
	case x <= 0:
		return 0
	case y <= 0:
		return 1
	}
	// The logarithms of x and y, each from whichever of x and y keeps
	// more precision.
	lx, ly := math.Log(x), math.Log(y)
	if x > 0.5 {
		lx = math.Log1p(-y)
	} else {
		ly = math.Log1p(-x)
	}
	front := math.Exp(a*lx + b*ly - lnBeta(a, b))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, y)/b
}

// lnBeta is ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b).
func lnBeta(a, b float64) float64 {
	small, big := min(a, b), max(a, b)
	ls, _ := math.Lgamma(small)
	if big < 100 {
		lb, _ := math.Lgamma(big)
		lab, _ := math.Lgamma(a + b)
		return ls + lb - lab
	}
	// For large degrees of freedom ln Γ(a+b) and ln Γ(a) are large and
	// nearly equal; their difference is taken from Stirling's series so
	// that it keeps full precision:
	//   ln Γ(z+s) − ln Γ(z) = s·ln z + (z+s−½)·ln(1+s/z) − s + S(z+s) − S(z)
	// with S(z) = 1/(12z) − 1/(360z³) + 1/(1260z⁵) (error below 1e-17
	// for z ≥ 100).
	stirling := func(z float64) float64 {
		z2 := z * z
		return (1.0/12 - (1.0/360-1.0/(1260*z2))/z2) / z
	}
	z, s := big, small
	diff := s*math.Log(z) + (z+s-0.5)*math.Log1p(s/z) - s + stirling(z+s) - stirling(z)
	return ls - diff
}

// betaCF evaluates the continued fraction for the incomplete beta function
// by the modified Lentz method.
func betaCF(a, b, x float64) float64 {
	const (
		maxIter = 100000
		eps     = 1e-15
		tiny    = 1e-300
	)
	clamp := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 / clamp(1-qab*x/qap)
	h := d
	for m := 1; m <= maxIter; m++ {
		fm := float64(m)
		m2 := 2 * fm
		// Even step.
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 / clamp(1+aa*d)
		c = clamp(1 + aa/c)
		h *= d * c
		// Odd step.
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 / clamp(1+aa*d)
		c = clamp(1 + aa/c)
		del := d * c
		h *= del
		if math.Abs(del-1) <= eps {
			break
		}
	}
	return h
}

// Direction says what an interval of a change can tell: 1 when it lies
// wholly above zero (a rise the answers are hard to explain without), −1
// when wholly below (a fall), and 0 when it includes zero, so the answers
// cannot tell a change from chance. A report puts it in words before the
// figures: "clear improvement", "clear fall", "no clear change" where a
// higher score is better.
func (iv Interval) Direction() int {
	switch {
	case iv.Low > 0:
		return 1
	case iv.High < 0:
		return -1
	}
	return 0
}

// FromCounts is the count, mean and sample standard deviation of answers
// stored as tallies: counts[i] answers of values[i]. It is what
// [UnpairedFromSummary] takes, for callers that keep how many gave each
// answer rather than every answer. The mean is NaN with no answers and
// the SD NaN with fewer than two, as for [Mean] and [SD].
func FromCounts(values []float64, counts []int) (n int, mean, sd float64) {
	if len(values) != len(counts) {
		panic("stats: FromCounts given lists of different lengths")
	}
	sum := 0.0
	for i, c := range counts {
		n += c
		sum += float64(c) * values[i]
	}
	if n == 0 {
		return 0, math.NaN(), math.NaN()
	}
	mean = sum / float64(n)
	if n < 2 {
		return n, mean, math.NaN()
	}
	ss := 0.0
	for i, c := range counts {
		d := values[i] - mean
		ss += float64(c) * d * d
	}
	return n, mean, math.Sqrt(ss / float64(n-1))
}
