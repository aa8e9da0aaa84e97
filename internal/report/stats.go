package report

import "math"

// The statistics of the reports, as small pure functions over the sums the counters
// keep (n, Σx, Σx²), so that no report ever needs the individual scores. The functions
// work in whatever unit the sums are in; the reports pass percentages.

// tQuantiles975 holds Student's t(0.975, df) for df 1..30 (index = df), the two-sided
// 95 % critical values of any statistics table.
var tQuantiles975 = [...]float64{
	math.NaN(),
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, // 1–10
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, // 11–20
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042, // 21–30
}

// TQuantile975 returns Student's t(0.975, df): from the table for df 1..30, and the
// normal 1.96 beyond (t(0.975, 40) is already 2.021, t(0.975, 120) 1.980). It returns
// NaN for df below 1, where no interval exists.
func TQuantile975(df int64) float64 {
	switch {
	case df < 1:
		return math.NaN()
	case df < int64(len(tQuantiles975)):
		return tQuantiles975[df]
	}
	return 1.96
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

// PointBiserial returns the discrimination of a question: the point-biserial
// correlation between answering it correctly and the total score,
//
//	r = (M₁ − M₀) / σ · √(p(1 − p))
//
// where p = correct/n, M₁ = correctScoreSum/correct is the mean score of those who got
// it right, M₀ = (scoreSum − correctScoreSum)/(n − correct) the mean of the others and
// σ = √(scoreSqSum/n − (scoreSum/n)²) the population standard deviation of the scores.
// ok is false when it is undefined: nobody or everybody correct, or all scores equal.
func PointBiserial(n, correct int64, scoreSum, scoreSqSum, correctScoreSum float64) (r float64, ok bool) {
	if n <= 0 || correct <= 0 || correct >= n {
		return 0, false
	}
	sd, _ := PopulationSD(n, scoreSum, scoreSqSum)
	if sd == 0 {
		return 0, false
	}
	p := float64(correct) / float64(n)
	m1 := correctScoreSum / float64(correct)
	m0 := (scoreSum - correctScoreSum) / float64(n-correct)
	r = (m1 - m0) / sd * math.Sqrt(p*(1-p))
	// Rounding in σ can push a perfect correlation a hair past ±1.
	return math.Max(-1, math.Min(1, r)), true
}

// Round rounds x to the given number of decimals, halves away from zero: 1 for the
// reports' percentages, 3 for facility and discrimination.
func Round(x float64, decimals int) float64 {
	f := math.Pow(10, float64(decimals))
	return math.Round(x*f) / f
}
