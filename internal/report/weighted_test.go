package report

import (
	"reflect"
	"testing"
)

func TestStratifiedWeightsVillagesByPopulationNotTurnout(t *testing.T) {
	// Worked by hand: village A (N 100) sends 10 of whom 5 pass (scores 100 or 0),
	// village B (N 300) sends 30 of whom 24 pass; C (N 500) sends 3, under the floor;
	// D has no population. W = 0.25 and 0.75, p = 0.25·0.5 + 0.75·0.8 = 72.5 %.
	// Var = 0.0625·0.9·0.25/9 + 0.5625·0.9·0.16/29 = 0.00435560 → 43.556 %²,
	// half width 1.959964·6.59970 = 12.935. The scores are 0 or 100, so the mean and its
	// variance equal the pass rate's: s² = 2777.78 and 1655.17, 15.625 + 27.931.
	strata := []Stratum{
		{Population: 100, Scored: 10, Passes: 5, ScoreSum: 500, ScoreSqSum: 50000},
		{Population: 300, Scored: 30, Passes: 24, ScoreSum: 2400, ScoreSqSum: 240000},
		{Population: 500, Scored: 3, Passes: 3, ScoreSum: 300, ScoreSqSum: 30000},
		{Population: 0, Scored: 50, Passes: 0},
	}
	e, ok := Stratified(strata, 5)
	if !ok {
		t.Fatal("no estimate")
	}
	got := WeightedFigures(e, ok, 900)
	p, m, cov := 72.5, 72.5, 44.4
	want := Weighted{PassRate: &p, PassRateCI95: []float64{59.6, 85.4}, MeanScore: &m, CI95: []float64{59.6, 85.4},
		PopulationCovered: &cov, VillagesCovered: 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v (%v %v %v), want %+v", got, *got.PassRate, *got.MeanScore, *got.PopulationCovered, want)
	}
	// A pooled figure would give (5+24+3)/(10+30+3) = 74.4 %: B's and C's turnout weigh in.
}

func TestStratifiedGivesNothingWithoutAQualifyingVillage(t *testing.T) {
	tests := []struct {
		name   string
		strata []Stratum
	}{
		{"when no village is listed", nil},
		{"when every village is under the floor", []Stratum{{Population: 100, Scored: 4, Passes: 4}}},
		{"when no village has a population", []Stratum{{Population: 0, Scored: 40, Passes: 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := Stratified(tt.strata, 5)
			if ok {
				t.Errorf("got an estimate %+v, want none", e)
			}
			if got := WeightedFigures(e, ok, 100); got.PassRate != nil || got.VillagesCovered != 0 {
				t.Errorf("got %+v, want empty figures", got)
			}
		})
	}
}

func TestAVillageWithMoreParticipantsThanResidentsAddsNoVariance(t *testing.T) {
	e, ok := Stratified([]Stratum{{Population: 10, Scored: 12, Passes: 6, ScoreSum: 600, ScoreSqSum: 60000}}, 5)
	if !ok {
		t.Fatal("no estimate")
	}
	if e.PassRate != 50 || e.PassRateVar != 0 || e.MeanVar != 0 {
		t.Errorf("got %+v, want 50 %% with variance 0", e)
	}
}

func TestDifferenceCI95AddsTheVariances(t *testing.T) {
	// 60 − 50 ± 1.959964·√(9 + 16) = 10 ± 9.7998.
	lo, hi := DifferenceCI95(60, 9, 50, 16)
	if got, want := []float64{Round(lo, 2), Round(hi, 2)}, []float64{0.2, 19.8}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSampleSizeFollowsCochransFormulaWithTheFinitePopulationCorrection(t *testing.T) {
	tests := []struct {
		name        string
		margin      float64
		frame, want int64
	}{
		{"±5 points in a village of 300 needs 169", 5, 300, 169},
		{"±5 points in an unbounded population needs 385", 5, 0, 385},
		{"±10 points in a village of 300 needs 73", 10, 300, 73},
		{"±3 points in a hamlet of 40 needs nearly all of it", 3, 40, 39},
		{"a margin wider than the frame needs draws no more than the frame", 1, 10, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := SampleSize(tt.margin, tt.frame)
			if !ok || got != tt.want {
				t.Errorf("got %d (ok %v), want %d", got, ok, tt.want)
			}
		})
	}
	if _, ok := SampleSize(0, 100); ok {
		t.Error("a margin of 0 gave a size")
	}
}
