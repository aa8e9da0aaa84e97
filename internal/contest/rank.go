package contest

import (
	"cmp"
	"math"
	"slices"
)

// Distance is |prediction − truth|, saturating at math.MaxInt64 instead of overflowing.
func Distance(prediction, truth int64) int64 {
	var d uint64
	if prediction >= truth {
		d = uint64(prediction) - uint64(truth)
	} else {
		d = uint64(truth) - uint64(prediction)
	}
	if d > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(d)
}

// compareBy compares two ranked entries by the criteria in order: negative when a
// places before b, 0 when they are equal on every listed criterion. Unknown criteria
// are ignored (Validate rejects them in a contest's configuration).
func compareBy(criteria []string) func(a, b Ranked) int {
	return func(a, b Ranked) int {
		for _, k := range criteria {
			var c int
			switch k {
			case ByScore:
				c = cmp.Compare(b.Score, a.Score) // high first
			case ByPredictionDistance:
				c = cmp.Compare(a.Distance, b.Distance)
			case ByDuration:
				c = cmp.Compare(a.DurationMs, b.DurationMs)
			case BySubmittedAt:
				c = a.SubmittedAt.Compare(b.SubmittedAt)
			}
			if c != 0 {
				return c
			}
		}
		return 0
	}
}

// ScoreThenDistance reports whether criteria (DefaultRanking when none) rank by score
// first and prediction distance second: then the best places can be read from storage
// outwards from the truth, one score group at a time, instead of whole score groups.
func ScoreThenDistance(criteria []string) bool {
	if len(criteria) == 0 {
		criteria = DefaultRanking
	}
	return len(criteria) >= 2 && criteria[0] == ByScore && criteria[1] == ByPredictionDistance
}

// Rank ranks a round's entries against the prediction's truth by the criteria in order
// (DefaultRanking when none): score high first, prediction distance |prediction − truth|
// small first, duration short first, submission early first.
//
// Each person (Entry.Person) keeps only their best attempt by the same criteria; when two
// of a person's attempts are equal on every criterion, the earlier submission is kept,
// then the lower AttemptID.
//
// Entries equal on every listed criterion share a rank, and the next rank skips the
// places they take (standard competition ranking: 1, 2, 2, 4); among themselves they are
// ordered by AttemptID so the order is stable. Distance is set on every entry; Tier and
// Amount are left empty (see AwardPrizes). entries is not modified.
func Rank(entries []Entry, truth int64, criteria []string) []Ranked {
	if len(criteria) == 0 {
		criteria = DefaultRanking
	}
	byCriteria := compareBy(criteria)

	best := make(map[string]Ranked, len(entries))
	order := make([]string, 0, len(entries)) // persons in first-seen order
	for _, e := range entries {
		r := Ranked{Entry: e, Distance: Distance(e.Prediction, truth)}
		kept, ok := best[e.Person]
		if !ok {
			order = append(order, e.Person)
			best[e.Person] = r
			continue
		}
		if betterAttempt(byCriteria, r, kept) {
			best[e.Person] = r
		}
	}

	out := make([]Ranked, 0, len(best))
	for _, p := range order {
		out = append(out, best[p])
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		if c := byCriteria(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.AttemptID, b.AttemptID)
	})
	for i := range out {
		if i > 0 && byCriteria(out[i-1], out[i]) == 0 {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}

// betterAttempt reports whether a is a better attempt of one person than b: better by
// the criteria, else submitted earlier, else a lower AttemptID.
func betterAttempt(byCriteria func(a, b Ranked) int, a, b Ranked) bool {
	if c := byCriteria(a, b); c != 0 {
		return c < 0
	}
	if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
		return c < 0
	}
	return a.AttemptID < b.AttemptID
}

// Truth returns the prediction question's answer for a closed round: the number of
// entries (submitted attempts), of participants (distinct persons) or of perfect entries
// (every answer correct), by kind. An unknown or empty kind gives entries, the default.
func Truth(kind string, entries, participants, perfectEntries int64) int64 {
	switch kind {
	case TruthParticipants:
		return participants
	case TruthPerfectEntries:
		return perfectEntries
	default:
		return entries
	}
}
