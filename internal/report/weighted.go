package report

import "math"

// Population weighting: a parent unit's figure as the stratified estimate over its
// villages, so that a village that mobilised 80 % of its residents counts by its
// population, not by its turnout. The strata are the villages with a known population
// (or, for a random sample, a frame size) and at least the suppression floor of scored
// participants; W_h = N_h / Σ N_h over those strata, and
//
//	p = Σ W_h·p_h,  Var(p) = Σ W_h²·(1 − n_h/N_h)·p_h(1 − p_h)/(n_h − 1)
//	ȳ = Σ W_h·ȳ_h,  Var(ȳ) = Σ W_h²·(1 − n_h/N_h)·s_h²/n_h
//
// (Cochran, Sampling Techniques, 3rd ed., §5.3 and Theorem 5.3, with the unbiased
// variance of a proportion p(1 − p)·n/(n − 1) divided by n). A finite-population
// correction below 0 (more participants than residents: a stale population) counts as 0.

// Stratum is one village's counted figures for a stratified estimate. Scores are in
// percent: ScoreSum is Σx and ScoreSqSum Σx² over the Scored participants.
type Stratum struct {
	// Population is N_h: the village's residents (15+) or, for a sample, its frame size.
	Population int64
	Scored     int64
	Passes     int64
	ScoreSum   float64
	ScoreSqSum float64
}

// Estimate is a stratified estimate with its variance, in percent (0–100) and percent².
type Estimate struct {
	PassRate, PassRateVar float64
	Mean, MeanVar         float64
	// Strata counts the villages that entered the estimate; CoveredPopulation is Σ N_h
	// over them.
	Strata            int
	CoveredPopulation int64
}

// Stratified computes the population-weighted pass rate and mean score over the strata
// with a population and at least floor scored participants (floor below 2 counts as 2:
// a variance needs two). ok is false when no stratum qualifies.
func Stratified(strata []Stratum, floor int) (e Estimate, ok bool) {
	if floor < 2 {
		floor = 2
	}
	var in []Stratum
	for _, s := range strata {
		if s.Population > 0 && s.Scored >= int64(floor) {
			in = append(in, s)
			e.CoveredPopulation += s.Population
		}
	}
	if len(in) == 0 {
		return Estimate{}, false
	}
	e.Strata = len(in)
	total := float64(e.CoveredPopulation)
	for _, s := range in {
		w := float64(s.Population) / total
		n := float64(s.Scored)
		fpc := math.Max(0, 1-n/float64(s.Population))
		p := float64(s.Passes) / n
		e.PassRate += w * p
		e.PassRateVar += w * w * fpc * p * (1 - p) / (n - 1)
		mean := s.ScoreSum / n
		sd, _ := SampleSD(s.Scored, s.ScoreSum, s.ScoreSqSum)
		e.Mean += w * mean
		e.MeanVar += w * w * fpc * sd * sd / n
	}
	// Proportions become percent; their variance percent².
	e.PassRate *= 100
	e.PassRateVar *= 100 * 100
	return e, true
}

// NormalCI95 is estimate ± 1.96·√variance, clipped to 0–100.
func NormalCI95(estimate, variance float64) (lo, hi float64) {
	half := z975 * math.Sqrt(math.Max(0, variance))
	return ClampPercent(estimate - half), ClampPercent(estimate + half)
}

// DifferenceCI95 is the normal 95 % interval of the difference of two independent
// estimates, a − b ± 1.96·√(Var_a + Var_b), in percentage points (not clipped: a
// difference may be negative).
func DifferenceCI95(a, varA, b, varB float64) (lo, hi float64) {
	half := z975 * math.Sqrt(math.Max(0, varA)+math.Max(0, varB))
	return a - b - half, a - b + half
}

// Weighted is a parent unit's population-weighted figures, in percent, rounded to one
// decimal. PopulationCovered is the percent of the unit's population living in the
// villages that entered the estimate.
type Weighted struct {
	PassRate          *float64  `json:"passRate"`
	PassRateCI95      []float64 `json:"passRateCi95"`
	MeanScore         *float64  `json:"meanScore"`
	CI95              []float64 `json:"ci95"`
	PopulationCovered *float64  `json:"populationCovered"`
	VillagesCovered   int       `json:"villagesCovered"`
}

// WeightedFigures rounds a stratified estimate for a report; unitPopulation is the
// parent unit's population (all its villages), the base of PopulationCovered. ok false
// gives figures with null rates and no village covered.
func WeightedFigures(e Estimate, ok bool, unitPopulation int64) Weighted {
	w := Weighted{}
	if !ok {
		return w
	}
	w.VillagesCovered = e.Strata
	w.PassRate = roundedPtr(e.PassRate, 1)
	lo, hi := NormalCI95(e.PassRate, e.PassRateVar)
	w.PassRateCI95 = []float64{Round(lo, 1), Round(hi, 1)}
	w.MeanScore = roundedPtr(e.Mean, 1)
	lo, hi = NormalCI95(e.Mean, e.MeanVar)
	w.CI95 = []float64{Round(lo, 1), Round(hi, 1)}
	if p, ok := Percent(e.CoveredPopulation, unitPopulation); ok {
		w.PopulationCovered = roundedPtr(math.Min(p, 100), 1)
	}
	return w
}

// SampleSize is how many to draw by simple random sampling from a frame of N for a 95 %
// margin of error of marginPoints percentage points on a proportion, at p = 0.5 (the
// largest variance, so the margin holds whatever the answer): n₀ = z²·0.25/e², then the
// finite-population correction n = n₀ / (1 + (n₀ − 1)/N), rounded up and at most N
// (Cochran, Sampling Techniques, 3rd ed., eq. 4.1–4.2). ±5 points in a village of 300
// gives 169; in an unbounded population, 385. ok is false for a margin outside (0, 50].
func SampleSize(marginPoints float64, frame int64) (n int64, ok bool) {
	if !(marginPoints > 0 && marginPoints <= 50) || frame < 0 {
		return 0, false
	}
	e := marginPoints / 100
	n0 := z975 * z975 * 0.25 / (e * e)
	if frame == 0 {
		return int64(math.Ceil(n0)), true
	}
	n = int64(math.Ceil(n0 / (1 + (n0-1)/float64(frame))))
	return min(n, frame), true
}
