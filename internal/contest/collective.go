package contest

import (
	"cmp"
	"math"
	"slices"
)

// RankUnits ranks units for the collective prizes. A unit takes part when it has a
// population or entrants (distinct persons who entered) above 0. For each:
//
//	participationRate = entrants ÷ population × 100 (0 when the population is 0)
//	entrantsShare     = entrants ÷ all entrants × 100
//	points            = participationWeight × participationRate + entrantsWeight × entrantsShare
//
// Units are ranked by points (high first), then entrants (more first), then UnitID, so
// every unit has its own rank; the first c.Count units get a prize. Rates, shares and
// points are rounded to 2 decimals in the result, but ranking uses the exact values.
// When both weights are 0 the defaults 0.7 and 0.3 apply, as in Config.Normalized.
// Negative counts count as 0. The rate is not capped: a unit with more entrants than its recorded population scores
// above 100 %, so populations should be kept up to date.
func RankUnits(entrants map[string]int64, population map[string]int64, c Collective) []UnitResult {
	wP, wE := c.ParticipationWeight, c.EntrantsWeight
	if wP == 0 && wE == 0 {
		wP, wE = DefaultParticipationWeight, DefaultEntrantsWeight
	}
	ids := make([]string, 0, len(population)+len(entrants))
	for id, p := range population {
		if p > 0 || entrants[id] > 0 {
			ids = append(ids, id)
		}
	}
	for id, n := range entrants {
		if _, counted := population[id]; !counted && n > 0 {
			ids = append(ids, id)
		}
	}
	var total int64
	for _, id := range ids {
		total += max(entrants[id], 0)
	}

	out := make([]UnitResult, len(ids))
	for i, id := range ids {
		n, pop := max(entrants[id], 0), max(population[id], 0)
		u := UnitResult{UnitID: id, Entrants: n, Population: pop}
		if pop > 0 {
			u.ParticipationRate = float64(n) / float64(pop) * 100
		}
		if total > 0 {
			u.EntrantsShare = float64(n) / float64(total) * 100
		}
		u.Points = wP*u.ParticipationRate + wE*u.EntrantsShare
		out[i] = u
	}
	slices.SortFunc(out, func(a, b UnitResult) int { // on the exact values, rounded below
		if c := cmp.Compare(b.Points, a.Points); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Entrants, a.Entrants); c != 0 {
			return c
		}
		return cmp.Compare(a.UnitID, b.UnitID)
	})
	for i := range out {
		out[i].Rank = i + 1
		out[i].Prize = out[i].Rank <= c.Count
		out[i].ParticipationRate = round2(out[i].ParticipationRate)
		out[i].EntrantsShare = round2(out[i].EntrantsShare)
		out[i].Points = round2(out[i].Points)
	}
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
