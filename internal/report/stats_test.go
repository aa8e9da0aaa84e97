package report_test

import (
	"math"
	"testing"

	"github.com/nq58/tracker/internal/report"
)

// The expected values below are worked by hand; the comments show the working.

// near reports whether got is within 1e-4 of want (the hand-worked values carry 4 decimals).
func near(got, want float64) bool { return math.Abs(got-want) < 1e-4 }

func TestTQuantile975IsExactForAnyDegreesOfFreedom(t *testing.T) {
	// Reference values: R's qt(0.975, df) to 4 decimals. The former table jumped to the
	// normal 1.96 beyond df 30, 4 % too narrow at df 31 (2.0395).
	tests := []struct {
		name string
		df   int64
		want float64
	}{
		{"one degree of freedom is 12.7062", 1, 12.7062},
		{"four degrees of freedom (five scores) is 2.7764", 4, 2.7764},
		{"nine degrees of freedom (ten scores) is 2.2622", 9, 2.2622},
		{"nineteen degrees of freedom is 2.0930", 19, 2.0930},
		{"thirty degrees of freedom is 2.0423", 30, 2.0423},
		{"thirty-one degrees of freedom is 2.0395, not the normal 1.96", 31, 2.0395},
		{"forty degrees of freedom is 2.0211", 40, 2.0211},
		{"a hundred and twenty degrees of freedom is 1.9799", 120, 1.9799},
		{"a hundred thousand degrees of freedom approaches the normal 1.9600", 100000, 1.9600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := report.TQuantile975(tt.df); !near(got, tt.want) {
				t.Errorf("TQuantile975(%d) = %v, want %v", tt.df, got, tt.want)
			}
		})
	}
	t.Run("zero degrees of freedom has no quantile", func(t *testing.T) {
		if got := report.TQuantile975(0); !math.IsNaN(got) {
			t.Errorf("TQuantile975(0) = %v, want NaN", got)
		}
	})
}

func TestWilson95BoundsAProportionInsideZeroToOne(t *testing.T) {
	// z = 1.959964, z² = 3.841459. For x of n: p̂ = x/n, d = 1 + z²/n,
	// centre = (p̂ + z²/2n)/d, half = z/d · √(p̂(1−p̂)/n + z²/4n²).
	tests := []struct {
		name   string
		x, n   int64
		lo, hi float64
		ok     bool
	}{
		// 5 of 5: d = 1.768292, centre = (1 + 0.384146)/1.768292 = 0.782757,
		// half = 1.108395 · √(0 + 0.038415) = 0.217243 → [0.565514, 1].
		{"five passes of five is 56.55–100 %, not a certain 100 %", 5, 5, 0.5655, 1, true},
		// 0 of 5: mirror image → [0, 0.434486].
		{"no passes of five is 0–43.45 %", 0, 5, 0, 0.4345, true},
		// 50 of 100: d = 1.038415, centre = 0.5, half = 1.887466 · √(0.0025 + 0.000096)
		// = 1.887466 · 0.050951 = 0.096169 → [0.403831, 0.596169].
		{"half of a hundred is 40.38–59.62 %", 50, 100, 0.4038, 0.5962, true},
		// 18 of 29: p̂ = 0.620690, z²/n = 0.132464, d = 1.132464,
		// centre = (0.620690 + 0.066232)/1.132464 = 0.606579,
		// half = 1.730710 · √(0.008118 + 0.001142) = 1.730710 · 0.096230 = 0.166547
		// → [0.440032, 0.773126].
		{"eighteen of twenty-nine is 44.00–77.31 %", 18, 29, 0.4400, 0.7731, true},
		{"nothing of nothing has no interval", 0, 0, 0, 0, false},
		{"more participants than residents has no interval", 7, 5, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := report.Wilson95(tt.x, tt.n)
			if ok != tt.ok || !near(lo, tt.lo) || !near(hi, tt.hi) {
				t.Errorf("Wilson95(%d, %d) = [%v, %v], %v; want [%v, %v], %v", tt.x, tt.n, lo, hi, ok, tt.lo, tt.hi, tt.ok)
			}
		})
	}
}

func TestMeanAndStandardDeviationsComeFromTheSums(t *testing.T) {
	// Scores 40, 60, 80, 100, 100:
	//   n = 5, Σx = 380, Σx² = 1600 + 3600 + 6400 + 10000 + 10000 = 31600
	//   mean = 380 / 5 = 76
	//   sample s² = (31600 − 380²/5) / 4 = (31600 − 28880) / 4 = 680, s = √680 = 26.0768
	//   population σ² = 31600/5 − 76² = 6320 − 5776 = 544, σ = √544 = 23.3238
	// Scores 70, 70, 70: Σx = 210, Σx² = 14700, s² = (14700 − 210²/3) / 2 = 0.
	tests := []struct {
		name                    string
		n                       int64
		sum, sumSq              float64
		mean, sample, popul     float64
		meanOK, sampleOK, popOK bool
	}{
		{"five scores 40 60 80 100 100", 5, 380, 31600, 76, 26.0768, 23.3238, true, true, true},
		{"three equal scores have no spread", 3, 210, 14700, 70, 0, 0, true, true, true},
		{"one score has a mean but no sample deviation", 1, 55, 3025, 55, 0, 0, true, false, true},
		{"no scores have nothing", 0, 0, 0, 0, 0, 0, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := report.Mean(tt.n, tt.sum); ok != tt.meanOK || !near(got, tt.mean) {
				t.Errorf("Mean = %v, %v; want %v, %v", got, ok, tt.mean, tt.meanOK)
			}
			if got, ok := report.SampleSD(tt.n, tt.sum, tt.sumSq); ok != tt.sampleOK || !near(got, tt.sample) {
				t.Errorf("SampleSD = %v, %v; want %v, %v", got, ok, tt.sample, tt.sampleOK)
			}
			if got, ok := report.PopulationSD(tt.n, tt.sum, tt.sumSq); ok != tt.popOK || !near(got, tt.popul) {
				t.Errorf("PopulationSD = %v, %v; want %v, %v", got, ok, tt.popul, tt.popOK)
			}
		})
	}
}

func TestCI95IsTheMeanPlusOrMinusTTimesTheStandardError(t *testing.T) {
	tests := []struct {
		name       string
		n          int64
		sum, sumSq float64
		lo, hi     float64 // unclamped
		clamped    [2]float64
		ok         bool
	}{
		// 40 60 80 100 100: mean 76, s = 26.0768, s/√5 = 11.6619,
		// half width = t(0.975, 4) × 11.6619 = 2.776445 × 11.6619 = 32.3786 → [43.6214, 108.3786]
		// → clamped [43.6, 100]. (With a rounded table value, 2.776: 32.3734.)
		{"five scores reach past 100 and are clamped", 5, 380, 31600, 43.6214, 108.3786, [2]float64{43.6, 100}, true},
		// Five 50s and five 70s: mean 60, Σx² = 5·2500 + 5·4900 = 37000,
		// s² = (37000 − 600²/10) / 9 = 1000/9 = 111.1111, s/√10 = √11.1111 = 3.3333,
		// half width = 2.262157 × 3.3333 = 7.5405 → [52.4595, 67.5405].
		{"ten scores use t with nine degrees of freedom", 10, 600, 37000, 52.4595, 67.5405, [2]float64{52.5, 67.5}, true},
		// Ten 40s and ten 80s: mean 60, Σx² = 16000 + 64000 = 80000,
		// s² = (80000 − 1200²/20) / 19 = 8000/19 = 421.0526, s = 20.5196, s/√20 = 4.5883,
		// half width = 2.093024 × 4.5883 = 9.6035 → [50.3965, 69.6035].
		{"twenty scores use t with nineteen degrees of freedom", 20, 1200, 80000, 50.3965, 69.6035, [2]float64{50.4, 69.6}, true},
		// 0 0 10: mean 3.3333, s² = (100 − 100/3) / 2 = 33.3333, s = 5.7735, s/√3 = 3.3333,
		// half width = 4.302653 × 3.3333 = 14.3422 → [−11.0088, 17.6755] → clamped [0, 17.7].
		{"three low scores reach below 0 and are clamped", 3, 10, 100, -11.0088, 17.6755, [2]float64{0, 17.7}, true},
		// 70 70 70: s = 0, so the interval is the mean itself.
		{"equal scores have an interval of width 0", 3, 210, 14700, 70, 70, [2]float64{70, 70}, true},
		{"one score has no interval", 1, 70, 4900, 0, 0, [2]float64{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := report.CI95(tt.n, tt.sum, tt.sumSq)
			if ok != tt.ok || !near(lo, tt.lo) || !near(hi, tt.hi) {
				t.Fatalf("CI95 = [%v, %v], %v; want [%v, %v], %v", lo, hi, ok, tt.lo, tt.hi, tt.ok)
			}
			if !ok {
				return
			}
			got := [2]float64{report.Round(report.ClampPercent(lo), 1), report.Round(report.ClampPercent(hi), 1)}
			if got != tt.clamped {
				t.Errorf("clamped and rounded = %v, want %v", got, tt.clamped)
			}
		})
	}
}

func TestPercentAndFacilityAreSharesOfTheWhole(t *testing.T) {
	tests := []struct {
		name        string
		part, whole int64
		percent     float64
		ok          bool
	}{
		{"5 participants of 200 residents is 2.5 %", 5, 200, 2.5, true},
		{"4 passes of 5 scored is 80 %", 4, 5, 80, true},
		{"7 correct of 10 answered is 70 %", 7, 10, 70, true},
		{"nothing of nothing is undefined", 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := report.Percent(tt.part, tt.whole)
			if ok != tt.ok || !near(got, tt.percent) {
				t.Errorf("Percent(%d, %d) = %v, %v; want %v, %v", tt.part, tt.whole, got, ok, tt.percent, tt.ok)
			}
			p, ok := report.Facility(tt.whole, tt.part)
			if ok != tt.ok || !near(p*100, tt.percent) {
				t.Errorf("Facility(%d, %d) = %v, %v; want %v, %v", tt.whole, tt.part, p, ok, tt.percent/100, tt.ok)
			}
		})
	}
}

func TestCorrectedPointBiserialCorrelatesAQuestionWithTheRestOfTheAttempt(t *testing.T) {
	tests := []struct {
		name                                  string
		n, correct, restSum, restSq, corrRest int64
		want                                  float64
		ok                                    bool
	}{
		// Items 1 1 0 0, rest scores 3 2 1 0: n = 4, Σx = 2, Σy = 6, Σy² = 14, Σxy = 5.
		// r = (4·5 − 2·6) / √((4·2 − 4)(4·14 − 36)) = 8 / √(4·20) = 8/8.9443 = 0.8944.
		{"a question the strong get right is positive", 4, 2, 6, 14, 5, 0.8944, true},
		// Items 0 0 1 1 with the same rest scores: Σxy = 1, r = (4 − 12)/8.9443 = −0.8944.
		{"a question only the weak get right is negative", 4, 2, 6, 14, 1, -0.8944, true},
		// Items 1 0 1 0, rest 2 2 1 1: Σy = 6, Σy² = 10, Σxy = 3,
		// r = (12 − 12) / √(4·4) = 0.
		{"a question unrelated to the rest has no discrimination", 4, 2, 6, 10, 3, 0, true},
		// Items 1 1 0 0, rest 1 1 0 0: Σy = 2, Σy² = 2, Σxy = 2, r = (8 − 4)/√(4·4) = 1.
		{"a question that splits the rest exactly correlates perfectly", 4, 2, 2, 2, 2, 1, true},
		{"a question everybody got right has no discrimination", 5, 5, 10, 30, 10, 0, false},
		{"a question nobody got right has no discrimination", 5, 0, 10, 30, 0, 0, false},
		// Rest 2 2 2: Σy = 6, Σy² = 12, nΣy² − (Σy)² = 0.
		{"a question among equal rest scores has no discrimination", 3, 1, 6, 12, 2, 0, false},
		// A counter written before the rest sums existed reads them as 0.
		{"a counter without rest sums has no discrimination", 5, 2, 0, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := report.CorrectedPointBiserial(tt.n, tt.correct, tt.restSum, tt.restSq, tt.corrRest)
			if ok != tt.ok || math.Abs(got-tt.want) > 1e-4 {
				t.Errorf("CorrectedPointBiserial = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRoundKeepsTheGivenDecimals(t *testing.T) {
	tests := []struct {
		name     string
		x        float64
		decimals int
		want     float64
	}{
		{"a percentage keeps one decimal", 43.6265, 1, 43.6},
		{"a half rounds away from zero", 2.25, 1, 2.3},
		{"a discrimination keeps three decimals", -0.910182, 3, -0.91},
		{"a facility keeps three decimals", 0.66666, 3, 0.667},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := report.Round(tt.x, tt.decimals); got != tt.want {
				t.Errorf("Round(%v, %d) = %v, want %v", tt.x, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestNewcombeDifference95EqualsNewcombesPublishedTable(t *testing.T) {
	// Newcombe 1998 (Stat Med 17:873–890), Table II, method 10 (score, no continuity
	// correction), to the table's 4 decimals; the same values are reproduced by R's
	// DescTools::BinomDiffCI(method = "score") and the SAS references its tests carry.
	tests := []struct {
		name           string
		x1, n1, x2, n2 int64
		lo, hi         float64
	}{
		{"(a) 56/70 against 48/80 is 0.0524 to 0.3339", 56, 70, 48, 80, 0.0524, 0.3339},
		{"(b) 9/10 against 3/10 is 0.1705 to 0.8090", 9, 10, 3, 10, 0.1705, 0.8090},
		{"(c) 6/7 against 2/7 is 0.0582 to 0.8062", 6, 7, 2, 7, 0.0582, 0.8062},
		{"(d) 5/56 against 0/29 is −0.0381 to 0.1926", 5, 56, 0, 29, -0.0381, 0.1926},
		{"(e) 0/10 against 0/20 is −0.1611 to 0.2775", 0, 10, 0, 20, -0.1611, 0.2775},
		{"(f) 0/10 against 0/10 is −0.2775 to 0.2775", 0, 10, 0, 10, -0.2775, 0.2775},
		{"(g) 10/10 against 0/20 is 0.6791 to 1", 10, 10, 0, 20, 0.6791, 1},
		{"(h) 10/10 against 0/10 is 0.6075 to 1", 10, 10, 0, 10, 0.6075, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := report.NewcombeDifference95(tt.x1, tt.n1, tt.x2, tt.n2)
			// The table rounds to 4 decimals: the exact value lies within half a unit.
			if !ok || math.Abs(lo-tt.lo) > 5e-5 || math.Abs(hi-tt.hi) > 5e-5 {
				t.Errorf("got %.6f to %.6f (ok %v), want %.4f to %.4f", lo, hi, ok, tt.lo, tt.hi)
			}
		})
	}
	t.Run("an empty group has no interval", func(t *testing.T) {
		if _, _, ok := report.NewcombeDifference95(0, 0, 3, 10); ok {
			t.Error("0/0 against 3/10 gave an interval")
		}
	})
}
