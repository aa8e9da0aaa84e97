package contest

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The identical-answers rule flags only coincidences that independent entrants would
// hardly ever produce. Popular wrong sequences recur by chance, the more so the more
// entries a window holds (a deadline surge brings thousands a minute), so a fixed count
// would flag honest entrants by the thousand. Instead a burst of c identical wrong
// sequences in a window is flagged when c ≥ FlagThreshold and P(X ≥ c) < RarityAlpha for
// X ~ Poisson(λ), λ = the entries of the round in the window × the sequence's probability
// under independent answering (AnswerCounts.Probability, over the other entries:
// Expected), both from counts the aggregator keeps per stream batch.

// RarityAlpha is how improbable a burst must be under independent answering to be
// flagged. A round makes many such tests (every wrong sequence in every window: a week of
// 10-minute windows and a few hundred sequences is about 10⁵–10⁶), so the level is far
// below the usual 5 %: at most about one chance flag per round, while a ring of 4
// identical sheets with, on each of 5 questions, an answer 1 entrant in 20 gives is still
// flagged in a window of 60,000 entries (3,000 a minute: λ ≈ 0.02, P ≈ 5·10⁻⁹). A ring
// hiding in a sequence that many honest entrants share is missed by design: its copies
// are what chance would give.
const RarityAlpha = 1e-6

// AnswerKey names one answer to one question for the counts: the question and the
// options chosen (sorted), or the scale value. Free-text answers have no key (ok false):
// they would be personal, unbounded attribute names, and leaving a question out of the
// product only makes a sequence look more probable, never less.
func AnswerKey(questionID string, optionIDs []string, value int, text string) (string, bool) {
	if text != "" {
		return "", false
	}
	opts := slices.Clone(optionIDs)
	slices.Sort(opts)
	k := questionID + "=" + strings.Join(opts, "+")
	if value != 0 {
		k += "#" + strconv.Itoa(value)
	}
	return k, true
}

// AnswerCounts is what the rule knows of a round's answering: its entries and, per
// AnswerKey, how many entries gave that answer.
type AnswerCounts struct {
	Entries int64
	Answers map[string]int64
}

// Probability is the chance that an independent entrant gives every answer of seq
// (AnswerKeys): the product over its questions of the share of entrants who gave that
// answer. Shares are over all entries, so a question that only some entrants drew counts
// at the share that drew it and answered so. Each share is smoothed as (count + ½) ÷
// (entries + 1) (Jeffreys' prior for "gave this answer or not"), so an answer the counts
// do not hold yet is unlikely but not impossible, and no share reaches 1.
func (c AnswerCounts) Probability(seq []string) float64 {
	p := 1.0
	for _, k := range seq {
		p *= min(1, (float64(c.Answers[k])+0.5)/(float64(c.Entries)+1))
	}
	return p
}

// Expected is λ for a group of size members (or the count of a closed one): how many
// entries of its sequence a window of window entries holds by chance. The sequence's
// probability is taken from the other entries (the counts less the group's own, which
// gave every answer of it): a ring that is a good part of a young round would otherwise
// make its own answers look common. The window holds at least the group, whatever the
// counts say (a count not yet read back must not make a group look improbable).
func Expected(window int64, size int, c AnswerCounts, seq []string) float64 {
	n := int64(size)
	others := AnswerCounts{Entries: max(c.Entries-n, 0), Answers: make(map[string]int64, len(seq))}
	for _, k := range seq {
		others.Answers[k] = max(c.Answers[k]-n, 0)
	}
	return float64(max(window, n)) * others.Probability(seq)
}

// NeedsExpected reports whether Judge needs st.Expected to judge a group of kind:
// identical answers in a group that can hold a burst (FlagThreshold members, or closed).
// Storage reads the counts only then.
func (st GroupState) NeedsExpected(kind string) bool {
	return kind == FlagIdenticalBurst && (st.Closed > 0 || len(st.Members) >= FlagThreshold)
}

// Improbable reports whether c identical wrong sequences where λ are expected make a
// flag: at least FlagThreshold of them, and P(X ≥ c) < RarityAlpha for X ~ Poisson(λ).
func Improbable(c int, lambda float64) bool {
	return c >= FlagThreshold && PoissonTail(c, lambda) < RarityAlpha
}

// PoissonTail is P(X ≥ c) for X ~ Poisson(λ), summed from the terms nearest c in log
// space, so it neither underflows for a large λ nor loses a small tail to 1 − (1 − ε).
// (A few lines instead of gonum's distuv or mathext, which the aggregator does not link.)
func PoissonTail(c int, lambda float64) float64 {
	if c <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	lg, _ := math.Lgamma(float64(c) + 1)
	if float64(c) > lambda { // the terms from c upwards shrink: sum them
		term := math.Exp(-lambda + float64(c)*math.Log(lambda) - lg)
		sum := 0.0
		for k := c; term > sum*1e-17; k++ {
			sum += term
			term *= lambda / float64(k+1)
		}
		return min(sum, 1)
	}
	// c ≤ λ: the terms below c shrink downwards; the tail is 1 minus their sum.
	lg1, _ := math.Lgamma(float64(c))
	term := math.Exp(-lambda + float64(c-1)*math.Log(lambda) - lg1)
	below := 0.0
	for k := c - 1; k >= 0 && term > below*1e-17; k-- {
		below += term
		term *= float64(k) / lambda
	}
	return max(1-below, 0)
}

// BurstSlot is the BurstSpan slot (counted from the Unix epoch) a time falls in; a
// window named by slot w holds slots w and w+1 (EvidenceOf).
func BurstSlot(t time.Time) int64 { return t.UnixMilli() / BurstSpan.Milliseconds() }

// WindowSlots are the slots of the window that starts at slot w.
func WindowSlots(w int64) []int64 { return []int64{w, w + 1} }
