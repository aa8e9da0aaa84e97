package report

import (
	"math"

	// mathext, not stat/distuv: distuv's Student t is this same formula, but it links
	// gonum's matrix and LAPACK code (over a megabyte of the staff bootstrap).
	"gonum.org/v1/gonum/mathext"
)

// The statistics of the reports, as small pure functions over the sums the counters
// keep (n, Σx, Σx²), so that no report ever needs the individual scores. The functions
// work in whatever unit the sums are in; the reports pass percentages.

// TQuantile975 returns Student's t(0.975, df), the two-sided 95 % critical value, exact
// for any degrees of freedom (t(0.975, 31) = 2.0395, t(0.975, 120) = 1.9799). It
// returns NaN for df below 1, where no interval exists.
//
// The t distribution's upper tail is a regularized incomplete beta function:
// P(T > t) = ½ I_x(ν/2, ½) with x = ν/(ν + t²), so t = √(ν(1 − x)/x) with
// x = I⁻¹(ν/2, ½; 2 × 0.025), which is how gonum's StudentsT.Quantile computes it.
func TQuantile975(df int64) float64 {
	if df < 1 {
		return math.NaN()
	}
	nu := float64(df)
	x := mathext.InvRegIncBeta(nu/2, 0.5, 2*(1-0.975))
	return math.Sqrt(nu * (1 - x) / x)
}

// z975 is the standard normal 0.975 quantile, 1.959963984540054, the z of the Wilson
// interval: √2 · erf⁻¹(2 × 0.975 − 1).
var z975 = math.Sqrt2 * math.Erfinv(2*0.975-1)

// Wilson95 returns the Wilson score 95 % interval of a proportion of successes out of
// n trials (0–1):
//
//	p̂ = successes/n, centre = (p̂ + z²/2n) / (1 + z²/n),
//	half width = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)
//
// with z = 1.96 (the normal 0.975 quantile). Unlike p̂ ± z·√(p̂(1 − p̂)/n) it stays
// within 0–1 and is not of width 0 at 0 % or 100 %: 5 of 5 gives 56,6–100 %. ok is false
// when n is 0 or successes lie outside 0..n (more participants than residents).
func Wilson95(successes, n int64) (lo, hi float64, ok bool) {
	if n <= 0 || successes < 0 || successes > n {
		return 0, 0, false
	}
	nf := float64(n)
	p := float64(successes) / nf
	z2 := z975 * z975
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z975 / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return math.Max(0, centre-half), math.Min(1, centre+half), true
}

// NewcombeDifference95 returns the 95 % interval of the difference of two independent
// proportions, x1/n1 − x2/n2 (−1 to 1), by Newcombe's hybrid score method (method 10 of
// Newcombe, "Interval estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 1998;17:873–890): with (l1, u1)
// and (l2, u2) the Wilson intervals of each proportion and d = p1 − p2,
//
//	lo = d − √((p1 − l1)² + (u2 − p2)²),  hi = d + √((u1 − p1)² + (p2 − l2)²)
//
// Like Wilson's, it stays within −1..1 and keeps a width at 0 % or 100 %, where the
// plain d ± 1.96·√(Var₁ + Var₂) shrinks to a point (0/10 against 0/10 gives −27.75 to
// 27.75 points, not 0). ok is false when either proportion is undefined.
func NewcombeDifference95(x1, n1, x2, n2 int64) (lo, hi float64, ok bool) {
	l1, u1, ok1 := Wilson95(x1, n1)
	l2, u2, ok2 := Wilson95(x2, n2)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	d := p1 - p2
	lo = d - math.Hypot(p1-l1, u2-p2)
	hi = d + math.Hypot(u1-p1, p2-l2)
	return math.Max(-1, lo), math.Min(1, hi), true
}

// Mean returns Σx/n; ok is false when n is 0.
func Mean(n int64, sum float64) (mean float64, ok bool) {
	if n <= 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// SampleSD returns the sample standard deviation from n, Σx and Σx²:
//
//	s² = (Σx² − (Σx)²/n) / (n − 1)
//
// ok is false when n is below 2. Rounding can leave the numerator a hair below 0 when
// every x is equal; it is then taken as 0.
func SampleSD(n int64, sum, sumSq float64) (sd float64, ok bool) {
	if n < 2 {
		return 0, false
	}
	v := (sumSq - sum*sum/float64(n)) / float64(n-1)
	return math.Sqrt(math.Max(v, 0)), true
}

// PopulationSD returns the population standard deviation from n, Σx and Σx²:
//
//	σ² = Σx²/n − (Σx/n)²
//
// ok is false when n is 0.
func PopulationSD(n int64, sum, sumSq float64) (sd float64, ok bool) {
	if n <= 0 {
		return 0, false
	}
	m := sum / float64(n)
	return math.Sqrt(math.Max(sumSq/float64(n)-m*m, 0)), true
}

// CI95 returns the 95 % confidence interval of the mean, mean ± t(0.975, n−1)·s/√n,
// unclamped (see ClampPercent); ok is false when n is below 2.
func CI95(n int64, sum, sumSq float64) (lo, hi float64, ok bool) {
	mean, ok := Mean(n, sum)
	if !ok {
		return 0, 0, false
	}
	sd, ok := SampleSD(n, sum, sumSq)
	if !ok {
		return 0, 0, false
	}
	half := TQuantile975(n-1) * sd / math.Sqrt(float64(n))
	return mean - half, mean + half, true
}

// ClampPercent limits x to 0–100: an interval around a mean score cannot leave the scale.
func ClampPercent(x float64) float64 { return math.Min(math.Max(x, 0), 100) }

// Percent returns part/whole × 100; ok is false when whole is 0.
func Percent(part, whole int64) (pct float64, ok bool) {
	if whole <= 0 {
		return 0, false
	}
	return 100 * float64(part) / float64(whole), true
}

// Facility returns the share of correct answers of a question, p = correct/n (0–1);
// ok is false when n is 0.
func Facility(n, correct int64) (p float64, ok bool) {
	if n <= 0 {
		return 0, false
	}
	return float64(correct) / float64(n), true
}

// CorrectedPointBiserial returns the discrimination of a question: the correlation
// between its item score x (1 correct, 0 not) and the rest score y (the number of the
// attempt's other scored questions answered correctly), over the n attempts that drew
// it, from the sums the counters keep:
//
//	r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)),  Σx² = Σx as x is 0 or 1
//
// Pearson's r of a 0/1 item is the point-biserial correlation; with the question left
// out of the total it is the corrected item–rest correlation item analysis means (the
// question itself in the total would inflate it, most with short draws). ok is false
// when it is undefined: nobody or everybody correct, or all rest scores equal.
func CorrectedPointBiserial(n, correct, restSum, restSqSum, correctRestSum int64) (r float64, ok bool) {
	if n <= 0 || correct <= 0 || correct >= n {
		return 0, false
	}
	nf, x, y := float64(n), float64(correct), float64(restSum)
	// The sums are exact integers; the products stay exact in float64 up to 2⁵³.
	vx := nf*x - x*x
	vy := nf*float64(restSqSum) - y*y
	if vx <= 0 || vy <= 0 {
		return 0, false
	}
	r = (nf*float64(correctRestSum) - x*y) / math.Sqrt(vx*vy)
	// Rounding can push a perfect correlation a hair past ±1.
	return math.Max(-1, math.Min(1, r)), true
}

// Round rounds x to the given number of decimals, halves away from zero: 1 for the
// reports' percentages, 3 for facility and discrimination.
func Round(x float64, decimals int) float64 {
	f := math.Pow(10, float64(decimals))
	return math.Round(x*f) / f
}
