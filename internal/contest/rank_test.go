package contest

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

// at returns the fixed test day (3 September 2025, UTC) at h hours and m minutes.
func at(h, m int) time.Time { return time.Date(2025, 9, 3, h, m, 0, 0, time.UTC) }

// place is what a test expects of one ranked entry.
type place struct {
	AttemptID string
	Rank      int
	Distance  int64
}

func placesOf(ranked []Ranked) []place {
	out := make([]place, len(ranked))
	for i, r := range ranked {
		out[i] = place{r.AttemptID, r.Rank, r.Distance}
	}
	return out
}

func wantPlaces(t *testing.T, got []Ranked, want []place) {
	t.Helper()
	if g := placesOf(got); !slices.Equal(g, want) {
		t.Errorf("ranking:\n got  %v\n want %v", g, want)
	}
}

// handMadeRound is a round where every criterion decides at least one place under the
// default ranking. The truth of the prediction is 1000. Persons A and B each have an
// extra attempt that must be dropped.
func handMadeRound() []Entry {
	const minute = 60_000 // ms
	return []Entry{
		{AttemptID: "g-1", Person: "G", Score: 8, Prediction: 5000, DurationMs: 1 * minute, SubmittedAt: at(6, 0)},
		{AttemptID: "a-2", Person: "A", Score: 10, Prediction: 1000, DurationMs: 5 * minute, SubmittedAt: at(11, 0)}, // A's same result, later: dropped
		{AttemptID: "f-1", Person: "F", Score: 9, Prediction: 1000, DurationMs: 2 * minute, SubmittedAt: at(7, 0)},
		{AttemptID: "c-1", Person: "C", Score: 10, Prediction: 1010, DurationMs: 4 * minute, SubmittedAt: at(8, 0)},
		{AttemptID: "b-0", Person: "B", Score: 7, Prediction: 1500, DurationMs: 9 * minute, SubmittedAt: at(12, 0)}, // worse on everything: dropped
		{AttemptID: "a-1", Person: "A", Score: 10, Prediction: 1000, DurationMs: 5 * minute, SubmittedAt: at(10, 0)},
		{AttemptID: "e-1", Person: "E", Score: 9, Prediction: 1000, DurationMs: 2 * minute, SubmittedAt: at(7, 0)}, // same as F on every criterion
		{AttemptID: "d-1", Person: "D", Score: 10, Prediction: 1010, DurationMs: 4 * minute, SubmittedAt: at(8, 30)},
		{AttemptID: "b-1", Person: "B", Score: 10, Prediction: 990, DurationMs: 3 * minute, SubmittedAt: at(9, 0)},
	}
}

func TestRankHandMadeRound(t *testing.T) {
	t.Run("the default ranking uses score, then distance, then duration, then submission", func(t *testing.T) {
		got := Rank(handMadeRound(), 1000, DefaultRanking)
		wantPlaces(t, got, []place{
			{"a-1", 1, 0},    // score 10, distance 0: distance puts A before B
			{"b-1", 2, 10},   // score 10, distance 10, 3 min: duration puts B before C
			{"c-1", 3, 10},   // score 10, distance 10, 4 min, 08:00: submission puts C before D
			{"d-1", 4, 10},   // score 10, distance 10, 4 min, 08:30
			{"e-1", 5, 0},    // score 9: score puts E and F after D despite distance 0
			{"f-1", 5, 0},    // equal to E on every criterion: shares rank 5, after e-1 by AttemptID
			{"g-1", 7, 4000}, // score 8; rank 6 is skipped
		})
	})
	t.Run("no criteria means the default ranking", func(t *testing.T) {
		want := placesOf(Rank(handMadeRound(), 1000, DefaultRanking))
		wantPlaces(t, Rank(handMadeRound(), 1000, nil), want)
	})
	t.Run("distance, then score, then submission ranks the same round differently", func(t *testing.T) {
		got := Rank(handMadeRound(), 1000, []string{ByPredictionDistance, ByScore, BySubmittedAt})
		wantPlaces(t, got, []place{
			{"a-1", 1, 0},    // distance 0, score 10: score puts A before E and F
			{"e-1", 2, 0},    // distance 0, score 9, 07:00
			{"f-1", 2, 0},    // equal to E on these criteria: shares rank 2
			{"c-1", 4, 10},   // distance 10, score 10, 08:00: submission decides C, D, B
			{"d-1", 5, 10},   // 08:30
			{"b-1", 6, 10},   // 09:00: B's shorter duration does not count here
			{"g-1", 7, 4000}, // distance puts G last
		})
	})
	t.Run("the entries given are not changed", func(t *testing.T) {
		in := handMadeRound()
		Rank(in, 1000, DefaultRanking)
		if !slices.Equal(in, handMadeRound()) {
			t.Error("Rank() changed its input")
		}
	})
}

func TestRankKeepsEachPersonsBestAttempt(t *testing.T) {
	entries := []Entry{
		{AttemptID: "p-1", Person: "P", Score: 8, Prediction: 1000, SubmittedAt: at(10, 0)}, // lower score: dropped
		{AttemptID: "p-z", Person: "P", Score: 9, Prediction: 1000, SubmittedAt: at(11, 0)}, // kept: earlier than p-a
		{AttemptID: "p-a", Person: "P", Score: 9, Prediction: 1000, SubmittedAt: at(12, 0)}, // tied, later: dropped despite the lower id
		{AttemptID: "q-b", Person: "Q", Score: 5, Prediction: 900, SubmittedAt: at(9, 0)},
		{AttemptID: "q-a", Person: "Q", Score: 5, Prediction: 900, SubmittedAt: at(9, 0)}, // tied at the same time: lower id kept
		{AttemptID: "s-1", Person: "S", Score: 10, Prediction: 3000, SubmittedAt: at(8, 0)},
		{AttemptID: "s-2", Person: "S", Score: 7, Prediction: 1000, SubmittedAt: at(9, 0)},
	}
	t.Run("by score and distance, a person's tie goes to the earlier attempt, then the lower id", func(t *testing.T) {
		got := Rank(entries, 1000, []string{ByScore, ByPredictionDistance})
		wantPlaces(t, got, []place{
			{"s-1", 1, 2000},
			{"p-z", 2, 0},
			{"q-a", 3, 100},
		})
	})
	t.Run("the best attempt follows the criteria: by distance first S keeps the other attempt", func(t *testing.T) {
		got := Rank(entries, 1000, []string{ByPredictionDistance, ByScore})
		wantPlaces(t, got, []place{
			{"p-z", 1, 0},
			{"s-2", 2, 0},
			{"q-a", 3, 100},
		})
	})
}

func TestRankSharedRanks(t *testing.T) {
	same := func(id string) Entry {
		return Entry{AttemptID: id, Person: "person-" + id, Score: 7, Prediction: 50, DurationMs: 9000, SubmittedAt: at(9, 0)}
	}
	t.Run("entries equal on every criterion share a rank and the next rank skips", func(t *testing.T) {
		better := Entry{AttemptID: "z-best", Person: "best", Score: 8, SubmittedAt: at(23, 0)}
		worse := Entry{AttemptID: "a-worst", Person: "worst", Score: 6, SubmittedAt: at(1, 0)}
		got := Rank([]Entry{same("m"), worse, same("k"), better, same("x")}, 40, nil)
		wantPlaces(t, got, []place{
			{"z-best", 1, 40},
			{"k", 2, 10},
			{"m", 2, 10},
			{"x", 2, 10},
			{"a-worst", 5, 40},
		})
	})
	t.Run("only the listed criteria count: equal scores share a rank whatever the rest", func(t *testing.T) {
		a, b := same("a"), same("b")
		b.DurationMs, b.SubmittedAt, b.Prediction = 1, at(0, 0), 40
		got := Rank([]Entry{b, a}, 40, []string{ByScore})
		wantPlaces(t, got, []place{{"a", 1, 10}, {"b", 1, 0}})
	})
	t.Run("no entries give an empty ranking", func(t *testing.T) {
		if got := Rank(nil, 0, nil); len(got) != 0 {
			t.Errorf("Rank(nil) = %v, want empty", got)
		}
	})
}

func TestDistance(t *testing.T) {
	tests := []struct {
		prediction, truth, want int64
	}{
		{1200, 1000, 200},
		{800, 1000, 200},
		{1000, 1000, 0},
		{-5, 5, 10},
		{math.MaxInt64, math.MinInt64, math.MaxInt64},
		{math.MinInt64, 1, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("predicting %d against %d is %d away", tt.prediction, tt.truth, tt.want), func(t *testing.T) {
			if got := Distance(tt.prediction, tt.truth); got != tt.want {
				t.Errorf("Distance(%d, %d) = %d, want %d", tt.prediction, tt.truth, got, tt.want)
			}
		})
	}
}

func TestTruth(t *testing.T) {
	tests := []struct {
		kind string
		want int64
	}{
		{TruthEntries, 120},
		{TruthParticipants, 95},
		{TruthPerfectEntries, 17},
		{"", 120},
		{"unknown", 120},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("the truth %q is %d", tt.kind, tt.want), func(t *testing.T) {
			if got := Truth(tt.kind, 120, 95, 17); got != tt.want {
				t.Errorf("Truth(%q) = %d, want %d", tt.kind, got, tt.want)
			}
		})
	}
}

func TestScoreThenDistanceIsTheOrderTheCloseCanReadOutwardsFromTheTruth(t *testing.T) {
	for _, tc := range []struct {
		name     string
		criteria []string
		want     bool
	}{
		{"the default ranking reads outwards from the truth", nil, true},
		{"score then distance alone reads outwards from the truth", []string{ByScore, ByPredictionDistance}, true},
		{"score then distance then submission reads outwards from the truth", []string{ByScore, ByPredictionDistance, BySubmittedAt}, true},
		{"score alone reads whole score groups", []string{ByScore}, false},
		{"score then duration reads whole score groups", []string{ByScore, ByDuration, ByPredictionDistance}, false},
		{"distance first reads every entry", []string{ByPredictionDistance, ByScore}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ScoreThenDistance(tc.criteria); got != tc.want {
				t.Errorf("ScoreThenDistance(%v) = %v, want %v", tc.criteria, got, tc.want)
			}
		})
	}
}
