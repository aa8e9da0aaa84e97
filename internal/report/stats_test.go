package report_test

import (
	"math"
	"testing"

	"github.com/nq58/tracker/internal/report"
)

// The expected values below are worked by hand; the comments show the working.

// near reports whether got is within 1e-4 of want (the hand-worked values carry 4 decimals).
func near(got, want float64) bool { return math.Abs(got-want) < 1e-4 }

func TestTQuantile975ComesFromTheTableUpTo30DegreesOfFreedomAndIs196Beyond(t *testing.T) {
	tests := []struct {
		name string
		df   int64
		want float64
	}{
		{"one degree of freedom is 12.706", 1, 12.706},
		{"four degrees of freedom (five scores) is 2.776", 4, 2.776},
		{"nine degrees of freedom (ten scores) is 2.262", 9, 2.262},
		{"nineteen degrees of freedom is 2.093", 19, 2.093},
		{"twenty-nine degrees of freedom is 2.045", 29, 2.045},
		{"thirty degrees of freedom, the end of the table, is 2.042", 30, 2.042},
		{"thirty-one degrees of freedom uses the normal 1.96", 31, 1.96},
		{"a thousand degrees of freedom uses the normal 1.96", 1000, 1.96},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := report.TQuantile975(tt.df); got != tt.want {
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
		// half width = 2.776 × 11.6619 = 32.3734 → [43.6266, 108.3734] → clamped [43.6, 100].
		{"five scores reach past 100 and are clamped", 5, 380, 31600, 43.6266, 108.3734, [2]float64{43.6, 100}, true},
		// Five 50s and five 70s: mean 60, Σx² = 5·2500 + 5·4900 = 37000,
		// s² = (37000 − 600²/10) / 9 = 1000/9 = 111.1111, s/√10 = √11.1111 = 3.3333,
		// half width = 2.262 × 3.3333 = 7.54 → [52.46, 67.54].
		{"ten scores use t with nine degrees of freedom", 10, 600, 37000, 52.46, 67.54, [2]float64{52.5, 67.5}, true},
		// Ten 40s and ten 80s: mean 60, Σx² = 16000 + 64000 = 80000,
		// s² = (80000 − 1200²/20) / 19 = 8000/19 = 421.0526, s = 20.5196, s/√20 = 4.5883,
		// half width = 2.093 × 4.5883 = 9.6033 → [50.3967, 69.6033].
		{"twenty scores use t with nineteen degrees of freedom", 20, 1200, 80000, 50.3967, 69.6033, [2]float64{50.4, 69.6}, true},
		// 0 0 10: mean 3.3333, s² = (100 − 100/3) / 2 = 33.3333, s = 5.7735, s/√3 = 3.3333,
		// half width = 4.303 × 3.3333 = 14.3433 → [−11.01, 17.6767] → clamped [0, 17.7].
		{"three low scores reach below 0 and are clamped", 3, 10, 100, -11.01, 17.6767, [2]float64{0, 17.7}, true},
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

func TestPointBiserialMeasuresWhetherTheStrongGetTheQuestionRight(t *testing.T) {
	// Five participants scored 40 60 80 100 100: n = 5, Σx = 380, Σx² = 31600,
	// σ = √(31600/5 − 76²) = √544 = 23.3238.
	tests := []struct {
		name                             string
		n, correct                       int64
		scoreSum, scoreSqSum, correctSum float64
		want                             float64
		ok                               bool
	}{
		// Only the 40 and the 60 got it right: p = 0.4, M₁ = 100/2 = 50,
		// M₀ = (380 − 100)/3 = 93.3333, r = (50 − 93.3333)/23.3238 × √(0.4·0.6)
		// = −1.8579 × 0.4899 = −0.9102: the weak get it right, the key is likely wrong.
		{"a question only the weakest got right is negative", 5, 2, 380, 31600, 100, -0.9102, true},
		// The 80 and both 100s got it right: p = 0.6, M₁ = 280/3 = 93.3333, M₀ = 100/2 = 50,
		// r = +43.3333/23.3238 × 0.4899 = +0.9102.
		{"a question only the strongest got right is positive", 5, 3, 380, 31600, 280, 0.9102, true},
		// Scores 0 0 100 100, the 100s right: M₁ = 100, M₀ = 0, σ = 50, p = 0.5,
		// r = 100/50 × 0.5 = 1.
		{"a question that splits the scores exactly correlates perfectly", 4, 2, 200, 20000, 200, 1, true},
		{"a question everybody got right has no discrimination", 5, 5, 380, 31600, 380, 0, false},
		{"a question nobody got right has no discrimination", 5, 0, 380, 31600, 0, 0, false},
		// 70 70 70, one right: σ = 0.
		{"a question among equal scores has no discrimination", 3, 1, 210, 14700, 70, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := report.PointBiserial(tt.n, tt.correct, tt.scoreSum, tt.scoreSqSum, tt.correctSum)
			if ok != tt.ok || math.Abs(got-tt.want) > 1e-3 {
				t.Errorf("PointBiserial = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	t.Run("the same question in milli-percent gives the same correlation", func(t *testing.T) {
		got, _ := report.PointBiserial(5, 2, 380_000, 31_600_000_000, 100_000)
		if math.Abs(got-(-0.9102)) > 1e-3 {
			t.Errorf("PointBiserial in milli-percent = %v, want −0.9102", got)
		}
	})
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
