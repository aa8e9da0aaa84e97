package contest

import (
	"slices"
	"testing"
)

func wantUnits(t *testing.T, got, want []UnitResult) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("RankUnits():\n got  %+v\n want %+v", got, want)
	}
}

func TestRankUnits(t *testing.T) {
	t.Run("the default weights 0.7 and 0.3 rank by rate and share, rounded to 2 decimals", func(t *testing.T) {
		entrants := map[string]int64{"thon-1": 50, "thon-2": 30, "thon-3": 20, "thon-6": 0, "thon-7": 10}
		population := map[string]int64{"thon-1": 100, "thon-2": 40, "thon-3": 200, "thon-4": 50, "thon-5": 0}
		got := RankUnits(entrants, population, Collective{Count: 2})
		// 110 entrants in all. thon-5 and thon-6 have neither population nor entrants and
		// are left out; thon-7 has no population, so its rate is 0.
		wantUnits(t, got, []UnitResult{
			{UnitID: "thon-2", Entrants: 30, Population: 40, ParticipationRate: 75, EntrantsShare: 27.27, Points: 60.68, Rank: 1, Prize: true},   // 52.5 + 8.18
			{UnitID: "thon-1", Entrants: 50, Population: 100, ParticipationRate: 50, EntrantsShare: 45.45, Points: 48.64, Rank: 2, Prize: true},  // 35 + 13.64
			{UnitID: "thon-3", Entrants: 20, Population: 200, ParticipationRate: 10, EntrantsShare: 18.18, Points: 12.45, Rank: 3, Prize: false}, // 7 + 5.45
			{UnitID: "thon-7", Entrants: 10, Population: 0, ParticipationRate: 0, EntrantsShare: 9.09, Points: 2.73, Rank: 4, Prize: false},      // 0 + 2.73
			{UnitID: "thon-4", Entrants: 0, Population: 50, ParticipationRate: 0, EntrantsShare: 0, Points: 0, Rank: 5, Prize: false},
		})
	})
	t.Run("equal points go to more entrants, then to the lower unit id", func(t *testing.T) {
		entrants := map[string]int64{"a": 10, "b": 20, "c": 10, "d": 5}
		population := map[string]int64{"a": 20, "b": 40, "c": 20, "d": 5}
		got := RankUnits(entrants, population, Collective{Count: 3, ParticipationWeight: 1})
		wantUnits(t, got, []UnitResult{
			{UnitID: "d", Entrants: 5, Population: 5, ParticipationRate: 100, EntrantsShare: 11.11, Points: 100, Rank: 1, Prize: true},
			{UnitID: "b", Entrants: 20, Population: 40, ParticipationRate: 50, EntrantsShare: 44.44, Points: 50, Rank: 2, Prize: true}, // more entrants than a and c
			{UnitID: "a", Entrants: 10, Population: 20, ParticipationRate: 50, EntrantsShare: 22.22, Points: 50, Rank: 3, Prize: true}, // same as c: id decides
			{UnitID: "c", Entrants: 10, Population: 20, ParticipationRate: 50, EntrantsShare: 22.22, Points: 50, Rank: 4, Prize: false},
		})
	})
	t.Run("the entrants weight alone ranks by share of all entrants", func(t *testing.T) {
		entrants := map[string]int64{"small": 9, "big": 30}
		population := map[string]int64{"small": 10, "big": 1000}
		got := RankUnits(entrants, population, Collective{Count: 1, EntrantsWeight: 1})
		wantUnits(t, got, []UnitResult{
			{UnitID: "big", Entrants: 30, Population: 1000, ParticipationRate: 3, EntrantsShare: 76.92, Points: 76.92, Rank: 1, Prize: true},
			{UnitID: "small", Entrants: 9, Population: 10, ParticipationRate: 90, EntrantsShare: 23.08, Points: 23.08, Rank: 2, Prize: false},
		})
	})
	t.Run("ranking uses exact points even when the rounded points are equal", func(t *testing.T) {
		// x: 1 of 3 = 33.333…%; y: 333333 of 1000000 = 33.3333%; both show 33.33.
		entrants := map[string]int64{"x": 1, "y": 333_333}
		population := map[string]int64{"x": 3, "y": 1_000_000}
		got := RankUnits(entrants, population, Collective{Count: 1, ParticipationWeight: 1})
		if len(got) != 2 || got[0].UnitID != "x" || got[0].Points != 33.33 || got[1].Points != 33.33 {
			t.Errorf("RankUnits() = %+v, want x first, both with 33.33 points", got)
		}
	})
	t.Run("no units give an empty result", func(t *testing.T) {
		if got := RankUnits(nil, map[string]int64{"empty": 0}, Collective{Count: 3}); len(got) != 0 {
			t.Errorf("RankUnits() = %+v, want empty", got)
		}
	})
}
