package aggregate

// A participant's ledger replaces the per-attempt applied marker: one small item per
// (quiz, participant) holds the first-attempt claim and, per counted (attempt, grade
// version), how it was counted and by which stream record. The aggregator writes it once
// per record with a version condition, then adds the record's deltas to the counters
// once per batch (see internal/dynamo, counter checkpoints). A retried record finds its
// own entry and gets the very same deltas back (Entry.Deltas), whatever the ledger
// became since; the counters' checkpoints then decide whether they still need them.

// Role says how an attempt was counted when its entry was written.
type Role string

const (
	RoleFirst    Role = "F" // created the claim: a first attempt
	RoleMove     Role = "M" // took the claim from a later attempt (Prev)
	RolePractice Role = "P" // a later attempt: a submission only
	RoleSuspect  Role = "S" // counted apart, never a first attempt
	RoleRegrade  Role = "R" // the claim holder regraded: Prev is its former grade
	RoleNoop     Role = "N" // a regrade of an attempt that does not hold the claim
)

// Entry is how one (attempt, grade version) was counted, and by which record.
type Entry struct {
	Role      Role
	Lane, Seq string // the stream record that counted it: shard (or replay) and sequence number
	Prev      *Event // the event whose counts RoleMove and RoleRegrade took back
}

// EntryKey names an entry: an attempt at a grade version.
type EntryKey struct {
	AttemptID    string
	GradeVersion int
}

// Ledger is a participant's counted attempts on one quiz.
type Ledger struct {
	Holder  Event // the claim, when Claimed
	Claimed bool
	Entries map[EntryKey]Entry
}

// Record is a submitted attempt as one stream record delivered it.
type Record struct {
	Lane, Seq string
	Event     Event
}

// Outcome is what counting a record does.
type Outcome struct {
	// Skip: the record was counted through another record (a replay, a rebuild, an
	// older or equal grade): nothing to write, nothing to add.
	Skip bool
	// Write: the entry (and, with NewHolder, the claim) must be written before the
	// deltas are added; false when the record's own entry exists (a retry).
	Write     bool
	Entry     Entry
	NewHolder *Event
	Deltas    []Counter
}

// Count decides how record r counts given the participant's ledger, using Plan and
// PlanRegrade for the first-attempt rule.
func Count(l Ledger, r Record) Outcome {
	e := r.Event
	if en, ok := l.Entries[EntryKey{e.AttemptID, e.GradeVersion}]; ok {
		if en.Lane == r.Lane && en.Seq == r.Seq {
			return Outcome{Entry: en, Deltas: en.Deltas(e)} // a retry of this very record
		}
		return Outcome{Skip: true}
	}
	counted, newer := false, false
	for k := range l.Entries {
		if k.AttemptID == e.AttemptID {
			counted = true
			newer = newer || k.GradeVersion > e.GradeVersion
		}
	}
	if newer {
		return Outcome{Skip: true} // an older grade arriving after a newer one
	}
	entry := Entry{Lane: r.Lane, Seq: r.Seq}
	out := Outcome{Write: true}
	switch {
	case !counted && l.Claimed && l.Holder.AttemptID == e.AttemptID:
		return Outcome{Skip: true} // a claim without ledger entries: counted when it was written
	case !counted:
		d := Plan(e, l.Holder, l.Claimed)
		switch d.Claim {
		case ClaimCreate:
			entry.Role, out.NewHolder = RoleFirst, &e
		case ClaimReplace:
			prev := l.Holder
			entry.Role, entry.Prev, out.NewHolder = RoleMove, &prev, &e
		case ClaimKeep:
			entry.Role = RolePractice
			if e.Suspect {
				entry.Role = RoleSuspect
			}
		default:
			return Outcome{Skip: true}
		}
	case l.Claimed && l.Holder.AttemptID == e.AttemptID:
		prev := l.Holder
		entry.Role, entry.Prev, out.NewHolder = RoleRegrade, &prev, &e
	default:
		entry.Role = RoleNoop // practice and suspect counts do not depend on the grade
	}
	out.Entry, out.Deltas = entry, entry.Deltas(e)
	return out
}

// Deltas are the counter changes an entry stands for, for its event e: the same on
// every retry, since the entry keeps what they depended on.
func (en Entry) Deltas(e Event) []Counter {
	switch en.Role {
	case RoleFirst:
		return []Counter{Delta(e, true)}
	case RoleMove:
		return MergeByKey(Delta(e, true), FirstOnly(*en.Prev).Negate())
	case RolePractice, RoleSuspect:
		return []Counter{Delta(e, false)}
	case RoleRegrade:
		return MergeByKey(Delta(e, true), Delta(*en.Prev, true).Negate())
	}
	return nil
}
