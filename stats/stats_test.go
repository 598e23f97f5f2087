package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The expected values below come from outside this package, so that the
// tests check the arithmetic rather than restate it:
//
//   - R's documented output (qt, and t.test on R's datasets::sleep, as
//     printed in R's own help pages and examples), quoted to the digits R
//     prints;
//   - closed forms of Student's t quantile for 1, 2 and 4 degrees of
//     freedom;
//   - a 40-digit computation with Python's mpmath 1.3.0, which evaluates
//     the regularized incomplete beta function by hypergeometric series (a
//     different method from the continued fraction used here) and finds the
//     quantile by 200 bisection steps in 40-digit arithmetic:
//
//	from mpmath import mp, mpf, betainc
//	mp.dps = 40
//	def tail(t, nu): return betainc(nu/2, mpf(1)/2, 0, nu/(nu+t*t), regularized=True)/2
//	def qt(p, nu):
//	    q, lo, hi = 1-mpf(p), mpf(0), mpf(1)
//	    while tail(hi, nu) > q: lo, hi = hi, 2*hi
//	    for _ in range(200):
//	        mid = (lo+hi)/2
//	        if tail(mid, nu) > q: lo = mid
//	        else: hi = mid
//	    return (lo+hi)/2
//
//   - hand arithmetic from the summary figures, written out in the comments.

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.12g, want %.12g (±%g)", what, got, want, tol)
	}
}

// R's qt, as printed by R (and in the usual printed t tables).
func TestTQuantileAgainstR(t *testing.T) {
	for _, c := range []struct{ p, df, want float64 }{
		{0.975, 1, 12.7062047},
		{0.975, 2, 4.30265273},
		{0.975, 5, 2.57058184},
		{0.975, 10, 2.22813885},
		{0.975, 30, 2.04227246},
		{0.975, 100, 1.98397152},
		{0.95, 10, 1.81246112},
	} {
		near(t, "TQuantile", TQuantile(c.p, c.df), c.want, 6e-8)
	}
	// qt(0.975, 17.776): the brief guessed 2.1009; the right value is
	// 2.10282. It is fixed by R's own Welch interval for the sleep data
	// (below): the half-width (0.2054832 + 3.3654832)/2 = 1.7854832 over
	// the standard error sqrt(1.789010²/10 + 2.002249²/10) = 0.8490910
	// gives 2.10282; mpmath gives 2.1028213103802217 at df = 17.776.
	near(t, "TQuantile(0.975, 17.776)", TQuantile(0.975, 17.776), 2.10282, 1e-5)
}

// mpmath at 40 digits (see the top of the file), for p = 0.9, 0.95, 0.975,
// 0.995 and 0.999; the lower quantiles are their negatives.
var mpmathQT = []struct {
	df float64
	qs [5]float64
}{
	{1, [5]float64{3.0776835371752534, 6.3137515146750431, 12.706204736174705, 63.656741162871581, 318.30883898555045}},
	{1.5, [5]float64{2.1963984175655374, 3.7051808200967517, 6.0166631044279319, 17.820310514462807, 52.184430008992648}},
	{2, [5]float64{1.8856180831641267, 2.9199855803537257, 4.3026527297494639, 9.9248432009182931, 22.327124770119875}},
	{3, [5]float64{1.6377443536962101, 2.3533634348018239, 3.1824463052837096, 5.8409093097333573, 10.214531852407387}},
	{4, [5]float64{1.5332062740589439, 2.1318467863266503, 2.7764451051977944, 4.6040948713499932, 7.1731822197823085}},
	{5, [5]float64{1.4758840488244811, 2.0150483733330242, 2.5705818356363155, 4.0321429835552281, 5.8934295313560101}},
	{7.25, [5]float64{1.4098848953259019, 1.8847957180841039, 2.3481948491053722, 3.4587559624438095, 4.7041868701811265}},
	{10, [5]float64{1.3721836411103356, 1.8124611228116764, 2.2281388519862747, 3.1692726726169512, 4.1437004940465897}},
	{17.776, [5]float64{1.3310300250172815, 1.7352481910477706, 2.1028213103802217, 2.8826598665420699, 3.6179947950786634}},
	{30, [5]float64{1.3104150253913956, 1.6972608865939578, 2.0422724563012383, 2.7499956535672253, 3.3851848668293051}},
	{50, [5]float64{1.2987136941948097, 1.6759050251630976, 2.0085591121007611, 2.6777932709408442, 3.2614090557983182}},
	{100, [5]float64{1.290074761346516, 1.6602343260853396, 1.9839715185235523, 2.6258905214380179, 3.1737394937387829}},
	{300, [5]float64{1.2843798675790131, 1.649948673937634, 1.967903011261087, 2.5923164108477925, 3.1176195538115234}},
	{1000, [5]float64{1.2823987214609244, 1.6463788172854647, 1.9623390808264085, 2.5807546980659511, 3.0984021639129229}},
	{3000, [5]float64{1.2818338239088422, 1.6453617078374082, 1.9607550553224585, 2.5774691348386083, 3.092951205237391}},
	{10000, [5]float64{1.2816362297304775, 1.645006018069243, 1.9602012398906263, 2.5763210466685289, 3.0910475160306121}},
}

func TestTQuantileAgainstMpmath(t *testing.T) {
	ps := [5]float64{0.9, 0.95, 0.975, 0.995, 0.999}
	worst := 0.0
	for _, c := range mpmathQT {
		for i, p := range ps {
			got := TQuantile(p, c.df)
			rel := math.Abs(got-c.qs[i]) / c.qs[i]
			worst = max(worst, rel)
			if rel > 1e-12 {
				t.Errorf("TQuantile(%v, %v) = %.17g, want %.17g (relative error %.2g)", p, c.df, got, c.qs[i], rel)
			}
			if low := TQuantile(1-p, c.df); low != -got {
				t.Errorf("TQuantile(%v, %v) = %v, want %v", 1-p, c.df, low, -got)
			}
		}
	}
	t.Logf("worst relative error against mpmath: %.2g", worst)
}

// Closed forms: with 1 degree of freedom t is Cauchy, t = tan(π(p−½));
// with 2, t = (2p−1)/√(2p(1−p)); with 4, t = 2·sign(p−½)·√(q−1) where
// α = 4p(1−p) and q = cos(arccos(√α)/3)/√α (Hill 1970, "Algorithm 396";
// also in Wikipedia's "Student's t-distribution", table of quantile
// functions).
func TestTQuantileClosedForms(t *testing.T) {
	for p := 0.001; p < 1; p += 0.007 {
		cauchy := math.Tan(math.Pi * (p - 0.5))
		near(t, "TQuantile(p, 1)", TQuantile(p, 1), cauchy, 1e-12*math.Max(1, math.Abs(cauchy)))
		two := (2*p - 1) / math.Sqrt(2*p*(1-p))
		near(t, "TQuantile(p, 2)", TQuantile(p, 2), two, 1e-12*math.Max(1, math.Abs(two)))
		a := 4 * p * (1 - p)
		q := math.Cos(math.Acos(math.Sqrt(a))/3) / math.Sqrt(a)
		four := 2 * math.Sqrt(q-1)
		if p < 0.5 {
			four = -four
		}
		near(t, "TQuantile(p, 4)", TQuantile(p, 4), four, 1e-10*math.Max(1, math.Abs(four)))
	}
}

func TestTQuantileEdges(t *testing.T) {
	if got := TQuantile(0.5, 7); got != 0 {
		t.Errorf("TQuantile(0.5, 7) = %v, want 0", got)
	}
	if got := TQuantile(0, 7); !math.IsInf(got, -1) {
		t.Errorf("TQuantile(0, 7) = %v, want -Inf", got)
	}
	if got := TQuantile(1, 7); !math.IsInf(got, 1) {
		t.Errorf("TQuantile(1, 7) = %v, want +Inf", got)
	}
	for _, c := range [][2]float64{{0.975, 0}, {0.975, -1}, {0.975, math.NaN()}, {math.NaN(), 5}} {
		if got := TQuantile(c[0], c[1]); !math.IsNaN(got) {
			t.Errorf("TQuantile(%v, %v) = %v, want NaN", c[0], c[1], got)
		}
	}
	// Monotone in p and, for p > ½, falling towards the normal quantile
	// 1.959963984540054 as df grows.
	prev := math.Inf(-1)
	for p := 0.01; p < 1; p += 0.01 {
		q := TQuantile(p, 3.5)
		if !(q > prev) {
			t.Errorf("TQuantile(%v, 3.5) = %v, not above %v", p, q, prev)
		}
		prev = q
	}
	prev = math.Inf(1)
	for _, df := range []float64{0.5, 1, 2, 5, 20, 100, 1e4, 1e6} {
		q := TQuantile(0.975, df)
		if !(q < prev && q > 1.959963984540054) {
			t.Errorf("TQuantile(0.975, %v) = %v, want between 1.96 and %v", df, q, prev)
		}
		prev = q
	}
}

// Student's sleep data, R's datasets::sleep: extra hours of sleep for ten
// patients on each of two drugs.
var (
	sleep1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleep2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

func TestMeanSD(t *testing.T) {
	// Summary figures as R prints them: mean(sleep1) = 0.75,
	// sd(sleep1) = 1.789010, mean(sleep2) = 2.33, sd(sleep2) = 2.002249.
	near(t, "Mean(sleep1)", Mean(sleep1), 0.75, 1e-12)
	near(t, "SD(sleep1)", SD(sleep1), 1.789010, 5e-7)
	near(t, "Mean(sleep2)", Mean(sleep2), 2.33, 1e-12)
	near(t, "SD(sleep2)", SD(sleep2), 2.002249, 5e-7)
	near(t, "SD{2, 4, 4, 4, 5, 5, 7, 9}", SD([]float64{2, 4, 4, 4, 5, 5, 7, 9}), math.Sqrt(32.0/7), 1e-12)
	if !math.IsNaN(Mean(nil)) || !math.IsNaN(SD(nil)) || !math.IsNaN(SD([]float64{3})) {
		t.Errorf("Mean(nil), SD(nil), SD{3} = %v, %v, %v, want NaN", Mean(nil), SD(nil), SD([]float64{3}))
	}
}

func TestUnpairedSleep(t *testing.T) {
	// R: t.test(extra ~ group, data = sleep) prints
	//   t = -1.8608, df = 17.776, p-value = 0.07939
	//   95 percent confidence interval: -3.3654832  0.2054832
	//   mean in group 1 0.75, mean in group 2 2.33
	// for group 1 − group 2. With baseline = group 1 and followup = group 2
	// the signs flip: estimate 1.58, interval −0.2054832 to 3.3654832.
	u, ok := Unpaired(sleep1, sleep2)
	if !ok {
		t.Fatal("Unpaired(sleep) not ok")
	}
	if u.NBaseline != 10 || u.NFollowup != 10 {
		t.Errorf("ns = %d, %d", u.NBaseline, u.NFollowup)
	}
	near(t, "MeanBaseline", u.MeanBaseline, 0.75, 1e-12)
	near(t, "MeanFollowup", u.MeanFollowup, 2.33, 1e-12)
	d := u.Difference
	near(t, "Estimate", d.Estimate, 1.58, 1e-12)
	near(t, "Low", d.Low, -0.2054832, 5e-8)
	near(t, "High", d.High, 3.3654832, 5e-8)
	near(t, "DF", d.DF, 17.776, 5e-4)
	near(t, "t", d.Estimate/d.SE, 1.8608, 5e-5)
	if d.Level != 0.95 {
		t.Errorf("Level = %v", d.Level)
	}
	// Hedges' g by hand from R's summary figures:
	//   pooled SD = √((9·1.789010² + 9·2.002249²)/18)
	//             = √((3.200557 + 4.009001)/2) = √3.604779 = 1.898625
	//   d = (2.33 − 0.75)/1.898625 = 1.58/1.898625 = 0.832181
	//   J = 1 − 3/(4·(10+10) − 9) = 1 − 3/71 = 0.957746
	//   g = 0.957746 · 0.832181 = 0.797019
	// (mpmath at 40 digits from the raw data: 0.79701850.)
	near(t, "HedgesG", u.HedgesG, 0.797019, 1e-4)
	near(t, "HedgesG (mpmath)", u.HedgesG, 0.79701850044744643, 1e-12)
}

func TestPairedSleep(t *testing.T) {
	// R: t.test(extra ~ group, data = sleep, paired = TRUE) — in current R,
	// with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE)) —
	// prints
	//   t = -4.0621, df = 9, p-value = 0.002833
	//   95 percent confidence interval: -2.4598858 -0.7001142
	//   mean difference -1.58
	// for group 1 − group 2; with baseline = group 1, followup = group 2
	// the signs flip.
	p, ok := Paired(sleep1, sleep2)
	if !ok {
		t.Fatal("Paired(sleep) not ok")
	}
	if p.N != 10 {
		t.Errorf("N = %d", p.N)
	}
	d := p.Difference
	near(t, "Estimate", d.Estimate, 1.58, 1e-12)
	near(t, "Low", d.Low, 0.7001142, 5e-8)
	near(t, "High", d.High, 2.4598858, 5e-8)
	near(t, "DF", d.DF, 9, 0)
	near(t, "t", d.Estimate/d.SE, 4.0621, 5e-5)
	near(t, "MeanFollowup − MeanBaseline", p.MeanFollowup-p.MeanBaseline, 1.58, 1e-12)
	// The differences group 2 − group 1 are 1.2, 2.4, 1.3, 1.3, 0, 1.0,
	// 1.8, 0.8, 4.6, 1.4; R: sd(...) = 1.229995. By hand:
	//   d_z = 1.58/1.229995 = 1.284558
	// (mpmath at 40 digits from the raw data: 1.28455756.)
	near(t, "SDDifference", p.SDDifference, 1.229995, 5e-7)
	near(t, "DZ", p.DZ, 1.284558, 1e-4)
	near(t, "DZ (mpmath)", p.DZ, 1.2845575625910544, 1e-12)
}

func TestUnpairedRefuses(t *testing.T) {
	for _, c := range []struct {
		name       string
		base, foll []float64
	}{
		{"both empty", nil, nil},
		{"empty baseline", nil, []float64{1, 2, 3}},
		{"one baseline answer", []float64{4}, []float64{1, 2, 3}},
		{"one follow-up answer", []float64{1, 2, 3}, []float64{4}},
		{"no spread anywhere", []float64{3, 3, 3}, []float64{3, 3}},
		{"no spread, different means", []float64{2, 2, 2}, []float64{4, 4}},
		{"NaN answer", []float64{1, math.NaN(), 3}, []float64{1, 2}},
		{"infinite answer", []float64{1, 2, 3}, []float64{1, math.Inf(1)}},
	} {
		u, ok := Unpaired(c.base, c.foll)
		if ok {
			t.Errorf("%s: ok, want false (%+v)", c.name, u)
		}
		if u.NBaseline != len(c.base) || u.NFollowup != len(c.foll) {
			t.Errorf("%s: ns %d, %d", c.name, u.NBaseline, u.NFollowup)
		}
	}
	// The counts and means are still there to show.
	u, _ := Unpaired([]float64{2, 2, 2}, []float64{4, 4})
	if u.MeanBaseline != 2 || u.MeanFollowup != 4 || u.SDBaseline != 0 {
		t.Errorf("no spread: %+v", u)
	}
	// No spread in one wave only is fine: the Welch degrees of freedom are
	// then those of the other wave, n − 1 = 2.
	u, ok := Unpaired([]float64{3, 3, 3, 3}, []float64{1, 2, 3})
	if !ok {
		t.Fatal("one wave without spread: not ok")
	}
	near(t, "DF", u.Difference.DF, 2, 1e-12)
	// SE = SD/√3 = 1/√3; the interval is −1 ± 4.302653·0.577350 (qt(0.975, 2)).
	near(t, "Low", u.Difference.Low, -1-4.30265273*math.Sqrt(1.0/3), 1e-7)
}

func TestPairedRefuses(t *testing.T) {
	for _, c := range []struct {
		name       string
		base, foll []float64
	}{
		{"empty", nil, nil},
		{"one pair", []float64{1}, []float64{3}},
		{"everyone changed alike", []float64{1, 2, 3}, []float64{2, 3, 4}},
		{"nobody changed", []float64{1, 2, 3}, []float64{1, 2, 3}},
		{"NaN answer", []float64{1, 2, math.NaN()}, []float64{1, 3, 2}},
	} {
		p, ok := Paired(c.base, c.foll)
		if ok {
			t.Errorf("%s: ok, want false (%+v)", c.name, p)
		}
		if p.N != len(c.base) {
			t.Errorf("%s: N = %d", c.name, p.N)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Paired of unequal lengths did not panic")
		}
	}()
	Paired([]float64{1, 2}, []float64{1, 2, 3})
}

// Properties over seeded random data: the interval contains the estimate
// and is symmetric about it; a 99% interval contains the 95% one; equal
// groups give 0 with an interval symmetric about 0; swapping the waves
// negates everything.
func TestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 4))
	answers := func(n int) []float64 {
		xs := make([]float64, n)
		kind := r.IntN(3)
		for i := range xs {
			switch kind {
			case 0: // agree5
				xs[i] = float64(1 + r.IntN(5))
			case 1: // scale10
				xs[i] = float64(r.IntN(11))
			default:
				xs[i] = 3 + 1.5*r.NormFloat64()
			}
		}
		return xs
	}
	contains := func(what string, iv Interval) {
		t.Helper()
		if !(iv.Low < iv.Estimate && iv.Estimate < iv.High) {
			t.Errorf("%s: %v not inside (%v, %v)", what, iv.Estimate, iv.Low, iv.High)
		}
		near(t, what+" symmetry", iv.High-iv.Estimate, iv.Estimate-iv.Low, 1e-12*math.Max(1, iv.High-iv.Low))
	}
	widens := func(what string, narrow, wide Interval) {
		t.Helper()
		if !(wide.Low < narrow.Low && narrow.High < wide.High) {
			t.Errorf("%s: 99%% (%v, %v) does not contain 95%% (%v, %v)", what, wide.Low, wide.High, narrow.Low, narrow.High)
		}
	}
	checked := 0
	for range 2000 {
		a, b := answers(2+r.IntN(40)), answers(2+r.IntN(40))
		if u, ok := Unpaired(a, b); ok {
			checked++
			contains("Unpaired", u.Difference)
			u99, _ := unpaired(a, b, 0.99)
			widens("Unpaired", u.Difference, u99.Difference)
			v, _ := Unpaired(b, a)
			near(t, "swapped Estimate", v.Difference.Estimate, -u.Difference.Estimate, 1e-12)
			near(t, "swapped Low", v.Difference.Low, -u.Difference.High, 1e-12)
			near(t, "swapped g", v.HedgesG, -u.HedgesG, 1e-12)
			if df := u.Difference.DF; !(df >= math.Min(float64(len(a)), float64(len(b)))-1-1e-9 && df <= float64(len(a)+len(b)-2)+1e-9) {
				t.Errorf("Welch DF %v outside [min(n)−1, n1+n2−2] for ns %d, %d", df, len(a), len(b))
			}
			if s, ok := Unpaired(a, a); SD(a) > 0 && (!ok || s.Difference.Estimate != 0 || s.Difference.Low != -s.Difference.High || s.HedgesG != 0) {
				t.Errorf("Unpaired of identical groups: %+v", s)
			}
		}
		n := min(len(a), len(b))
		if p, ok := Paired(a[:n], b[:n]); ok {
			contains("Paired", p.Difference)
			p99, _ := paired(a[:n], b[:n], 0.99)
			widens("Paired", p.Difference, p99.Difference)
			near(t, "paired Estimate", p.Difference.Estimate, p.MeanFollowup-p.MeanBaseline, 1e-12)
			if p.Difference.DF != float64(n-1) {
				t.Errorf("paired DF %v, want %d", p.Difference.DF, n-1)
			}
		}
	}
	if checked < 1900 {
		t.Errorf("only %d random comparisons were usable", checked)
	}
	// The sleep data at 99%: mpmath (qt(0.995, df) from the raw data)
	// gives −0.86763292 to 4.02763292 unpaired and 0.31594811 to
	// 2.84405189 paired; R's t.test(..., conf.level = 0.99) prints the same
	// to the digits it shows.
	u, _ := unpaired(sleep1, sleep2, 0.99)
	near(t, "99% Low", u.Difference.Low, -0.86763292, 5e-9)
	near(t, "99% High", u.Difference.High, 4.02763292, 5e-9)
	p, _ := paired(sleep1, sleep2, 0.99)
	near(t, "99% paired Low", p.Difference.Low, 0.31594811, 5e-9)
	near(t, "99% paired High", p.Difference.High, 2.84405189, 5e-9)
}

// UnpairedFromSummary gives what Unpaired gives from the same data.
func TestUnpairedFromSummaryAgrees(t *testing.T) {
	g1 := []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	g2 := []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
	want, ok1 := Unpaired(g1, g2)
	got, ok2 := UnpairedFromSummary(len(g1), Mean(g1), SD(g1), len(g2), Mean(g2), SD(g2))
	if !ok1 || !ok2 || got != want {
		t.Fatalf("from summary %+v, want %+v", got, want)
	}
	if _, ok := UnpairedFromSummary(1, 2, math.NaN(), 5, 3, 1); ok {
		t.Fatal("one baseline answer gave an interval")
	}
}

// Tallies give the same count, mean and SD as the answers themselves, and
// an interval says up, down or cannot tell by where it lies against zero.
func TestFromCountsAndDirection(t *testing.T) {
	answers := []float64{1, 2, 2, 4, 4, 4, 5}
	n, mean, sd := FromCounts([]float64{1, 2, 3, 4, 5}, []int{1, 2, 0, 3, 1})
	if n != len(answers) || math.Abs(mean-Mean(answers)) > 1e-12 || math.Abs(sd-SD(answers)) > 1e-12 {
		t.Fatalf("FromCounts = %d, %v, %v; the answers give %d, %v, %v", n, mean, sd, len(answers), Mean(answers), SD(answers))
	}
	if n, mean, _ := FromCounts([]float64{1, 0}, []int{0, 0}); n != 0 || !math.IsNaN(mean) {
		t.Errorf("no answers: %d, %v", n, mean)
	}
	for _, c := range []struct {
		low, high float64
		want      int
	}{{0.1, 3, 1}, {-3, -0.1, -1}, {-0.1, 3, 0}, {0, 3, 0}, {-3, 0, 0}} {
		if got := (Interval{Low: c.low, High: c.high}).Direction(); got != c.want {
			t.Errorf("interval %v to %v: direction %d, want %d", c.low, c.high, got, c.want)
		}
	}
}
