package contest

import "slices"

// PrizeLimit is the most prizes a round may award: floor(capPercent × entrants / 100),
// where entrants is the number of distinct persons who entered the round. A cap of 0
// (or less) means no limit, reported as -1.
func PrizeLimit(capPercent, entrants int) int {
	if capPercent <= 0 {
		return -1
	}
	if entrants <= 0 {
		return 0
	}
	return capPercent * entrants / 100
}

// AwardPrizes gives the prize tiers to a ranking (as Rank returns it) and returns a copy
// with Tier and Amount set on the winners and cleared on everyone else.
//
// Tiers are given in order while walking down the ranking: the first Count places get
// the first tier, the next Count places the second, and so on. Places are awarded
// strictly by position in the ranked order, not by rank: entries sharing a rank are
// already ordered by AttemptID, so when they straddle a tier boundary the first gets the
// better tier. Exact ties on every criterion are rare, and this keeps every tier's count
// exact.
//
// A person in alreadyWon (winners of earlier rounds, when a person may win one prize
// per contest; pass nil otherwise) is skipped: they get no prize and the place goes to
// the next entry. A person also wins at most once within the ranking.
//
// An entry scoring below minScore gets no prize and its place goes to the next entry
// (criteria other than the score may rank it high; pass 0 for no minimum).
//
// With capPercent > 0, at most PrizeLimit(capPercent, entrants) prizes are awarded in
// total: awarding stops when the cap is reached, so the lowest tiers lose their places
// first.
func AwardPrizes(ranked []Ranked, prizes []Prize, capPercent int, entrants int, alreadyWon map[string]bool, minScore int) []Ranked {
	out := slices.Clone(ranked)
	for i := range out {
		out[i].Tier, out[i].Amount = "", 0
	}
	limit := PrizeLimit(capPercent, entrants)
	won := make(map[string]bool)
	tier, placesInTier, awarded := 0, 0, 0
	for i := range out {
		for tier < len(prizes) && placesInTier >= prizes[tier].Count {
			tier, placesInTier = tier+1, 0
		}
		if tier >= len(prizes) || (limit >= 0 && awarded >= limit) {
			break
		}
		p := out[i].Person
		if alreadyWon[p] || won[p] || out[i].Score < minScore {
			continue
		}
		out[i].Tier, out[i].Amount = prizes[tier].Tier, prizes[tier].Amount
		won[p] = true
		placesInTier++
		awarded++
	}
	return out
}

// Winners returns the entries that won a prize (those with a tier), in ranked order.
func Winners(ranked []Ranked) []Ranked {
	var out []Ranked
	for _, r := range ranked {
		if r.Tier != "" {
			out = append(out, r)
		}
	}
	return out
}
