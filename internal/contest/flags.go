package contest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Integrity flags over every entry of a round, decided incrementally by the stream
// aggregator: each entry adds a member to a few evidence groups of its round (its
// person, its device, its answer sequence in two time windows); storage adds the
// members of a batch to each group in one atomic write and hands back the group as it
// now is, and Judge decides from that which entries the rules flag. The identical-answers
// rule also needs how probable the group's sequence is (rarity.go), from answer counts
// storage keeps per batch. The fast rule needs only the entry (FastFlag).

// Flag kinds, as the API and the organiser page name them.
const (
	FlagFast           = "fast"
	FlagIdenticalBurst = "identicalBurst"
	FlagSharedDevice   = "sharedDevice"
	FlagManyAttempts   = "manyAttempts"
)

const (
	// FlagThreshold is how many identical answer sequences (within BurstSpan, and
	// improbable: Improbable), persons on one device, or attempts of one person make a flag.
	FlagThreshold = 3
	// BurstSpan: identical sequences are a burst when FlagThreshold of them were
	// submitted within a span shorter than this.
	BurstSpan = 10 * time.Minute
	// EvidenceCap bounds the members a group keeps (item size, and with it each write's
	// cost, stays a few KB). A group that reaches it keeps only its count from then on
	// and every later member is flagged: a person with that many attempts or a device
	// with that many entries (the cap is far above FlagThreshold) is worth an organiser's
	// look in itself; that many identical wrong sequences within two spans are, unless
	// the window holds so many entries that chance explains them (Improbable).
	EvidenceCap = 50
)

// FlagEntry is what the rules see of a submitted contest entry.
type FlagEntry struct {
	AttemptID   string
	Person      string // identity key (a keyed hash)
	Device      string // keyed hash of the client id; "" when none
	AnswersHash string
	Answers     []string // AnswerKey of each answer with one: what the counts know of it
	AllCorrect  bool     // every scored answer right
	SubmittedAt time.Time
	DurationMs  int64
	Questions   int
}

// EntryFlag is a rule that fired on an entry; Detail is for the organiser (Vietnamese).
type EntryFlag struct {
	AttemptID string
	Kind      string
	Detail    string
}

// FastFlag flags an entry answered faster than the contest's seconds per question
// (cfg normalised).
func FastFlag(cfg Config, e FlagEntry) (EntryFlag, bool) {
	limit := int64(cfg.FastSecondsPerQuestion) * 1000 * int64(e.Questions)
	if e.DurationMs >= limit {
		return EntryFlag{}, false
	}
	return EntryFlag{AttemptID: e.AttemptID, Kind: FlagFast, Detail: fmt.Sprintf("%d giây cho %d câu", e.DurationMs/1000, e.Questions)}, true
}

// Evidence is one group an entry belongs to and the member it adds to it. Members are
// strings so that adding one twice (a redelivered stream batch) changes nothing.
type Evidence struct {
	Kind   string // the rule the group serves
	Group  string // within the round: a person, a device, an answer sequence and window
	Member string
	// Identical answers: the window's first slot (WindowSlots) and the sequence's
	// answer keys, for the group's Expected count.
	Window  int64
	Answers []string
}

// EvidenceOf lists the groups an entry of a contest (cfg normalised) adds itself to.
//
// Attempts: a person's group is kept only when the contest lets a person make
// FlagThreshold attempts in a round (the start refuses more: entry claims), since
// otherwise the rule can never fire; by default (one attempt) that saves a write per entry.
//
// Identical answers: a sequence with every answer right is left out. In a contest many
// honest entrants give the same perfect answers (a quarter of a five-question round in
// the scale bench), so a burst of them says nothing; identical wrong answers are the
// trace of copying. Leaving them out also keeps the most popular sequence out of the
// burst groups, the one that would make them hot.
//
// Windows: time is cut into BurstSpan slots and an entry joins the two windows of two
// slots that end with its own (slots k−1 and k, k its slot). Any entries that lie
// within one span shorter than BurstSpan share a window that each of them joins: the
// window starting at the slot of the earliest. So the last of them to be added sees all
// the others in the group it just wrote, whatever the order or concurrency of batches.
func EvidenceOf(cfg Config, e FlagEntry) []Evidence {
	var out []Evidence
	if cfg.AttemptsPerRound >= FlagThreshold {
		out = append(out, Evidence{Kind: FlagManyAttempts, Group: e.Person, Member: e.AttemptID})
	}
	if e.Device != "" {
		out = append(out, Evidence{Kind: FlagSharedDevice, Group: e.Device, Member: e.Person + " " + e.AttemptID})
	}
	if e.AnswersHash != "" && !e.AllCorrect {
		slot := BurstSlot(e.SubmittedAt)
		member := strconv.FormatInt(e.SubmittedAt.UnixMilli(), 10) + " " + e.AttemptID
		for _, w := range []int64{slot - 1, slot} {
			out = append(out, Evidence{Kind: FlagIdenticalBurst, Group: e.AnswersHash + "@" + strconv.FormatInt(w, 10), Member: member,
				Window: w, Answers: e.Answers})
		}
	}
	return out
}

// GroupState is an evidence group as storage found it once a batch's members were added.
type GroupState struct {
	Members []string // every member, the batch's included, while the group is open
	Closed  int      // > 0: the group reached EvidenceCap and keeps only this count
	// Expected (identical answers) is λ: how many entries of the group's sequence its
	// window holds by chance (Expected), from the counts storage holds once the batch
	// was counted. 0 would make every burst improbable; storage's is never 0.
	Expected float64
}

// Verdict is what one group decides for a batch.
type Verdict struct {
	Flags []EntryFlag
	// Close > 0: the group has reached EvidenceCap; keep only this count.
	Close int
}

// Judge decides the flags a batch's members (added) bring to a group of the given kind.
// Only flags new because of added are returned: entries flagged by an earlier batch
// are not written again, except identical answers whose burst added made larger (their
// detail counts it). The result depends only on the group as stored and added, so a
// redelivered batch decides the same flags again (and writing them is idempotent),
// unless later batches' counts moved Expected in between (flags written stay).
func Judge(kind string, st GroupState, added []string) Verdict {
	if st.Closed > 0 {
		if kind == FlagIdenticalBurst && !Improbable(st.Closed, st.Expected) {
			return Verdict{}
		}
		return Verdict{Flags: closedFlags(kind, st.Closed, added)}
	}
	members := union(st.Members, added)
	isNew := map[string]bool{}
	for _, m := range added {
		isNew[m] = true
	}
	before := slices.DeleteFunc(slices.Clone(members), func(m string) bool { return isNew[m] })
	var v Verdict
	switch kind {
	case FlagManyAttempts, FlagSharedDevice:
		count := func(ms []string) int {
			if kind == FlagManyAttempts {
				return len(ms)
			}
			persons := map[string]bool{}
			for _, m := range ms {
				p, _, _ := strings.Cut(m, " ")
				persons[p] = true
			}
			return len(persons)
		}
		n, was := count(members), count(before)
		if n >= FlagThreshold {
			flagged := added
			if was < FlagThreshold { // the rule fires now: the earlier members too
				flagged = members
			}
			for _, m := range flagged {
				v.Flags = append(v.Flags, groupFlag(kind, m, n, false))
			}
		}
	case FlagIdenticalBurst:
		// A member is judged again whenever its burst grows, with λ as the counts give
		// it now.
		now, earlier := burstSizes(members), burstSizes(before)
		for _, m := range members {
			if now[m] > earlier[m] && Improbable(now[m], st.Expected) {
				v.Flags = append(v.Flags, groupFlag(kind, m, now[m], false))
			}
		}
	}
	if len(members) >= EvidenceCap {
		v.Close = len(members)
	}
	return v
}

// closedFlags flags every member added to a group that reached EvidenceCap.
func closedFlags(kind string, count int, added []string) []EntryFlag {
	var out []EntryFlag
	for _, m := range added {
		out = append(out, groupFlag(kind, m, count, true))
	}
	return out
}

func groupFlag(kind, member string, n int, closed bool) EntryFlag {
	id := member[strings.LastIndexByte(member, ' ')+1:]
	var detail string
	switch {
	case kind == FlagManyAttempts && closed:
		detail = fmt.Sprintf("ít nhất %d lượt của cùng một người", n)
	case kind == FlagManyAttempts:
		detail = fmt.Sprintf("%d lượt của cùng một người", n)
	case kind == FlagSharedDevice && closed:
		detail = fmt.Sprintf("ít nhất %d bài dự thi từ một thiết bị", n)
	case kind == FlagSharedDevice:
		detail = fmt.Sprintf("%d người dự thi từ một thiết bị", n)
	case closed:
		detail = fmt.Sprintf("ít nhất %d bài sai giống hệt nhau trong %d phút", n, 2*int(BurstSpan.Minutes()))
	default:
		detail = fmt.Sprintf("%d bài sai giống hệt nhau trong %d phút", n, int(BurstSpan.Minutes()))
	}
	return EntryFlag{AttemptID: id, Kind: kind, Detail: detail}
}

// burstSizes gives each burst member ("<unix ms> <attemptId>") the size of the largest
// set of members, itself included, submitted within a span shorter than BurstSpan.
func burstSizes(members []string) map[string]int {
	type m struct {
		at  int64
		key string
	}
	list := make([]m, 0, len(members))
	for _, s := range members {
		at, _, _ := strings.Cut(s, " ")
		t, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			continue // not a burst member: never flagged
		}
		list = append(list, m{t, s})
	}
	slices.SortFunc(list, func(a, b m) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return strings.Compare(a.key, b.key)
	})
	out := make(map[string]int, len(list))
	span := BurstSpan.Milliseconds()
	j := 0
	for i := range list { // [i, j) is the largest run starting at i within the span
		j = max(j, i)
		for j < len(list) && list[j].at-list[i].at < span {
			j++
		}
		for k := i; k < j; k++ {
			out[list[k].key] = max(out[list[k].key], j-i)
		}
	}
	return out
}

func union(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	out := make([]string, 0, len(a)+len(b))
	for _, list := range [][]string{a, b} {
		for _, s := range list {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
