package dynamo

import (
	"math"
	"strings"
	"testing"
)

func TestRoundSortKeysOrderPredictionsAsNumbersAndGiveThemBack(t *testing.T) {
	ordered := []int64{math.MinInt64, math.MinInt64 + 1, -1000000, -1, 0, 1, 255, 256, 1000000, math.MaxInt64 - 1, math.MaxInt64}
	for i, p := range ordered {
		rs := roundSK(true, 100000, p, "a1")
		t.Run("prediction "+predictionKey(p)+" reads back and sorts after the smaller ones", func(t *testing.T) {
			if got, ok := predictionOfRoundSK(rs); !ok || got != p {
				t.Errorf("predictionOfRoundSK(%q) = %d, %v, want %d, true", rs, got, ok, p)
			}
			if i > 0 {
				if prev := roundSK(true, 100000, ordered[i-1], "a1"); strings.Compare(prev, rs) >= 0 {
					t.Errorf("got %q not before %q, want %d before %d", prev, rs, ordered[i-1], p)
				}
			}
		})
	}
	for _, tc := range []struct{ name, rs string }{
		{"an old key with a uuid is refused", "0#899999#11111111-1111-4111-8111-111111111111"},
		{"an old key with a hex id is refused", "0#899999#0123456789abcdef0123456789abcdef"},
		{"a short key is refused", "0#899999#01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := predictionOfRoundSK(tc.rs); ok {
				t.Errorf("predictionOfRoundSK(%q) = %d, true, want false", tc.rs, got)
			}
		})
	}
	for _, tc := range []struct {
		name     string
		permille int
	}{
		{"after the best score's group comes only a worse score", 100000},
		{"after a middle score's group comes only a worse score", 1},
		{"after nothing right's group comes no score at all", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := groupAfter(scoreGroup(roundSK(true, tc.permille, 0, "a")))
			for _, rs := range []string{roundSK(true, tc.permille, math.MaxInt64, "zzzz"), roundSK(true, 100000, math.MaxInt64, "zzzz")} {
				if rs >= after {
					t.Errorf("got %q not after %q", after, rs)
				}
			}
			if tc.permille > 0 {
				if worse := roundSK(true, tc.permille-1, math.MinInt64, "a"); worse <= after {
					t.Errorf("got %q not before the worse score's %q", after, worse)
				}
			}
			if after >= rankedPrefix+"~" {
				t.Errorf("got %q beyond the ranked keys", after)
			}
		})
	}
}
