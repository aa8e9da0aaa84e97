package aggregate

// The counting decision of one delivered event, kept apart from storage: Count
// (ledger.go) asks Plan or PlanRegrade what to do given the participant's ledger as read,
// and the store writes the ledger on the condition that it has not changed since.
// Because the rule is pure, it is tested over many delivery orders without a database
// (plan_test.go, ledger_test.go).

// ClaimAction says what to do with a participant's first-attempt claim.
type ClaimAction int

const (
	// ClaimKeep leaves the claim as it is: the event is practice, or a regrade of an
	// attempt that does not hold the claim.
	ClaimKeep ClaimAction = iota
	// ClaimCreate claims the first attempt for the event, if still nobody has.
	ClaimCreate
	// ClaimReplace points the claim at the event, if the claim has not changed since it
	// was read (a move, or a regrade whose counts the deltas would take back stale: the
	// ledger's version condition); otherwise the store decides again.
	ClaimReplace
	// AlreadyApplied means the event was counted before: nothing is written.
	AlreadyApplied
)

// Decision is what applying one event does: the counter deltas, at most one per counter
// key (a transaction may touch an item only once), and the claim action.
type Decision struct {
	Claim ClaimAction
	// ClaimedBy is the attempt the claim names for ClaimReplace.
	ClaimedBy string
	Deltas    []Counter
}

// Plan decides how a first delivery of e counts, given the participant's current claim
// (claimed is false when there is none). The participant's first attempt is the earliest
// submission, then the lowest id, as Rebuild decides; when an earlier attempt arrives
// after a later one, the claim and the first-attempt counts move to it, so the counters
// never depend on delivery order.
func Plan(e, current Event, claimed bool) Decision {
	switch {
	case e.Suspect: // counted apart, never a first attempt: the claim is not touched
		return Decision{Claim: ClaimKeep, Deltas: []Counter{Delta(e, false)}}
	case !claimed:
		return Decision{Claim: ClaimCreate, Deltas: []Counter{Delta(e, true)}}
	case current.AttemptID == e.AttemptID:
		return Decision{Claim: AlreadyApplied} // claimed by this very attempt: applied before
	case e.Before(current):
		return Decision{Claim: ClaimReplace, ClaimedBy: current.AttemptID,
			Deltas: MergeByKey(Delta(e, true), FirstOnly(current).Negate())}
	default: // a later attempt: practice, counted as a submission only
		return Decision{Claim: ClaimKeep, Deltas: []Counter{Delta(e, false)}}
	}
}

// Redelivered reports whether next, arriving for an attempt already applied as prev,
// adds nothing: only a newer grade (after a key correction) changes the counts.
func Redelivered(prev, next Event) bool { return next.GradeVersion <= prev.GradeVersion }

// PlanRegrade decides how a regraded attempt counts: what it added before (prev) is
// replaced by what it adds now (next), as a first attempt if it holds the claim, which
// then keeps the new event so that a later move takes back the right counts.
func PlanRegrade(prev, next, current Event, claimed bool) Decision {
	if Redelivered(prev, next) {
		return Decision{Claim: AlreadyApplied}
	}
	first := claimed && current.AttemptID == next.AttemptID
	d := Decision{Claim: ClaimKeep, Deltas: MergeByKey(Delta(next, first), Delta(prev, first).Negate())}
	if first {
		d.Claim, d.ClaimedBy = ClaimReplace, next.AttemptID
	}
	return d
}

// MergeByKey adds counters with the same key together, keeping the order of first
// appearance, so that each counter item is updated once.
func MergeByKey(cs ...Counter) []Counter {
	var out []Counter
	for _, c := range cs {
		merged := false
		for i := range out {
			if out[i].Key == c.Key {
				out[i].Add(c)
				merged = true
			}
		}
		if !merged {
			out = append(out, c)
		}
	}
	return out
}
