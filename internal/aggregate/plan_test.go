package aggregate

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/quiz"
)

// ledger keeps in plain maps what a store keeps in items: the applied markers, the
// first-attempt claims and the counters. It decides only through Plan and PlanRegrade
// and checks the conditions a store's transaction would, so it tests the counting rule
// alone; the DynamoDB store itself is tested against DynamoDB Local.
type ledger struct {
	markers  map[string]Event
	claims   map[[2]string]Event
	counters map[Key]*Counter
}

func newLedger() *ledger {
	return &ledger{markers: map[string]Event{}, claims: map[[2]string]Event{}, counters: map[Key]*Counter{}}
}

// deliver applies one delivery of e, as a store's Apply does.
func (l *ledger) deliver(t *testing.T, e Event) {
	t.Helper()
	id := [2]string{e.Key.QuizID, e.Identity}
	current, claimed := l.claims[id]
	prev, applied := l.markers[e.AttemptID]
	var d Decision
	if applied {
		d = PlanRegrade(prev, e, current, claimed)
	} else {
		d = Plan(e, current, claimed)
	}
	switch d.Claim {
	case AlreadyApplied:
		if len(d.Deltas) > 0 {
			t.Fatalf("an already applied %s still has deltas %+v", e.AttemptID, d.Deltas)
		}
		return
	case ClaimCreate:
		if claimed {
			t.Fatalf("%s creates a claim that %s holds", e.AttemptID, current.AttemptID)
		}
		l.claims[id] = e
	case ClaimReplace:
		if !claimed || current.AttemptID != d.ClaimedBy {
			t.Fatalf("%s replaces the claim of %q, but it is held by %q", e.AttemptID, d.ClaimedBy, current.AttemptID)
		}
		l.claims[id] = e
	}
	seen := map[Key]bool{}
	for _, c := range d.Deltas {
		if seen[c.Key] {
			t.Fatalf("%s updates counter %+v twice in one decision", e.AttemptID, c.Key)
		}
		seen[c.Key] = true
		if l.counters[c.Key] == nil {
			l.counters[c.Key] = &Counter{Key: c.Key}
		}
		l.counters[c.Key].Add(c)
	}
	l.markers[e.AttemptID] = e
}

func (l *ledger) result() []Counter {
	var out []Counter
	for _, c := range l.counters {
		out = append(out, *c)
	}
	return normalized(out)
}

// normalized drops all-zero tallies and empty maps: a moved first attempt leaves zeros
// behind (the store drops them on read), and a rebuild never has them.
func normalized(cs []Counter) []Counter {
	out := make([]Counter, len(cs))
	for i, c := range cs {
		c.Topics = withoutZeros(c.Topics)
		c.Groups = withoutZeros(c.Groups)
		c.Questions = withoutZeros(c.Questions)
		c.Options = withoutZeros(c.Options)
		out[i] = c
	}
	SortCounters(out)
	return out
}

func withoutZeros[V comparable](m map[string]V) map[string]V {
	var zero V
	var out map[string]V
	for k, v := range m {
		if v != zero {
			if out == nil {
				out = map[string]V{}
			}
			out[k] = v
		}
	}
	return out
}

// randomAttempts returns the submitted attempts of a few participants, each attempt in
// every grade version it is delivered with (the last is its final grade).
func randomAttempts(r *rand.Rand) [][]quiz.Attempt {
	base := time.Date(2026, 3, 31, 20, 0, 0, 0, quiz.VietnamTime) // near a month's end
	var out [][]quiz.Attempt
	n := 0
	for p := range 2 + r.IntN(4) {
		for range 1 + r.IntN(4) {
			n++
			a := quiz.Attempt{
				ID: fmt.Sprintf("%c%02d", 'a'+rune(r.IntN(26)), n), QuizID: "qz", QuizKind: quiz.KindQuiz, Status: quiz.Submitted,
				Identity: fmt.Sprintf("person-%d", p),
				Participant: quiz.Participant{Phone: fmt.Sprintf("p%d", p), UnitID: []string{"v1", "v2", "v3"}[r.IntN(3)],
					BirthYear: 1960 + r.IntN(50), Gender: []string{"male", "female", ""}[r.IntN(3)]},
				// Few distinct times, so ties broken by id happen too.
				SubmittedAt: base.Add(time.Duration(r.IntN(8)) * time.Hour),
				MaxScore:    10 * r.IntN(2), PassPercent: 50,
				Answers: []quiz.Answer{{QuestionID: "q1", OptionIDs: []string{[]string{"a", "b"}[r.IntN(2)]}}},
				// Some attempts were started past a limit: counted apart, never first.
				Suspect: r.IntN(5) == 0,
			}
			var versions []quiz.Attempt
			for gv := range 1 + r.IntN(3) { // up to two regrades
				v := a
				v.GradeVersion = gv
				if v.MaxScore > 0 {
					v.Score = r.IntN(11)
					v.Correct = map[string]bool{"q1": r.IntN(2) == 0, "q2": r.IntN(2) == 0}
					v.Topics = map[string]quiz.TopicTally{"t": {Answered: 2, Correct: r.IntN(3)}}
				}
				versions = append(versions, v)
			}
			out = append(out, versions)
		}
	}
	return out
}

// deliveries lists every version of every attempt one to three times, in a random
// order: the stream may redeliver, and a late first delivery may follow a regrade.
func deliveries(r *rand.Rand, attempts [][]quiz.Attempt) []Event {
	var out []Event
	for _, versions := range attempts {
		for _, v := range versions {
			for range 1 + r.IntN(3) {
				out = append(out, EventOf(v))
			}
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestPlanCountsLikeARebuildWhateverTheDeliveryOrder(t *testing.T) {
	for seed := range uint64(60) {
		t.Run(fmt.Sprintf("the event set of seed %d in 25 delivery orders", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 1))
			attempts := randomAttempts(r)
			var final []quiz.Attempt
			for _, versions := range attempts {
				final = append(final, versions[len(versions)-1])
			}
			want := normalized(Rebuild(final))
			for order := range 25 {
				l := newLedger()
				for _, e := range deliveries(r, attempts) {
					l.deliver(t, e)
				}
				if got := l.result(); !reflect.DeepEqual(got, want) {
					t.Fatalf("order %d: counters\n got %+v\nwant %+v", order, got, want)
				}
				for _, a := range Firsts(final) {
					claim := l.claims[[2]string{a.QuizID, a.IdentityKey()}]
					if !reflect.DeepEqual(claim, EventOf(a)) {
						t.Fatalf("order %d: claim %+v, want the final event of first attempt %s", order, claim, a.ID)
					}
				}
			}
		})
	}
}

func TestPlan(t *testing.T) {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, quiz.VietnamTime)
	ev := func(id string, minutes int, unit string) Event {
		return Event{AttemptID: id, Identity: "p", SubmittedAt: at.Add(time.Duration(minutes) * time.Minute),
			Key: Key{QuizID: "qz", UnitID: unit, Month: "2026-05"}, Scored: true, ScoreMilli: 80000, Passed: true}
	}
	tests := []struct {
		name      string
		e         Event
		current   Event
		claimed   bool
		want      ClaimAction
		claimedBy string
		deltas    int
	}{
		{"the first attempt delivered claims the participant", ev("b", 5, "v1"), Event{}, false, ClaimCreate, "", 1},
		{"the claiming attempt delivered again is already applied", ev("b", 5, "v1"), ev("b", 5, "v1"), true, AlreadyApplied, "", 0},
		{"an earlier attempt in the same village takes the claim in one delta", ev("a", 1, "v1"), ev("b", 5, "v1"), true, ClaimReplace, "b", 1},
		{"an earlier attempt in another village takes the claim in two deltas", ev("a", 1, "v2"), ev("b", 5, "v1"), true, ClaimReplace, "b", 2},
		{"an attempt at the same time with a lower id counts as earlier", ev("a", 5, "v1"), ev("b", 5, "v1"), true, ClaimReplace, "b", 1},
		{"a later attempt is practice and leaves the claim", ev("c", 9, "v1"), ev("b", 5, "v1"), true, ClaimKeep, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Plan(tt.e, tt.current, tt.claimed)
			if d.Claim != tt.want || d.ClaimedBy != tt.claimedBy || len(d.Deltas) != tt.deltas {
				t.Errorf("Plan = %v claimed by %q with %d deltas, want %v claimed by %q with %d", d.Claim, d.ClaimedBy, len(d.Deltas), tt.want, tt.claimedBy, tt.deltas)
			}
		})
	}

	t.Run("a practice attempt adds one submission and nothing else", func(t *testing.T) {
		d := Plan(ev("c", 9, "v1"), ev("b", 5, "v1"), true)
		if want := (Counter{Key: ev("c", 9, "v1").Key, Submissions: 1}); !reflect.DeepEqual(d.Deltas[0], want) {
			t.Errorf("delta = %+v, want %+v", d.Deltas[0], want)
		}
	})
	t.Run("a moved claim adds a submission but no participant", func(t *testing.T) {
		d := Plan(ev("a", 1, "v1"), ev("b", 5, "v1"), true)
		if c := d.Deltas[0]; c.Submissions != 1 || c.Participants != 0 || c.ScoreSum != 0 {
			t.Errorf("delta = %+v, want one submission and the first-attempt counts moved", c)
		}
	})
}

func TestPlanRegrade(t *testing.T) {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, quiz.VietnamTime)
	ev := func(id string, gv int, score int64) Event {
		return Event{AttemptID: id, Identity: "p", SubmittedAt: at, Key: Key{QuizID: "qz", UnitID: "v1", Month: "2026-05"},
			Scored: true, ScoreMilli: score, GradeVersion: gv}
	}
	tests := []struct {
		name      string
		prev      Event
		next      Event
		current   Event
		want      ClaimAction
		claimedBy string
		scoreSum  int64
	}{
		{"a grade no newer than the applied one is already applied", ev("a", 1, 50000), ev("a", 1, 90000), ev("a", 1, 50000), AlreadyApplied, "", 0},
		{"an older grade delivered late is already applied", ev("a", 2, 50000), ev("a", 1, 90000), ev("a", 2, 50000), AlreadyApplied, "", 0},
		{"the claiming attempt regraded moves its score and keeps the claim", ev("a", 0, 50000), ev("a", 1, 90000), ev("a", 0, 50000), ClaimReplace, "a", 40000},
		{"a practice attempt regraded changes nothing but leaves the claim", ev("b", 0, 50000), ev("b", 1, 90000), ev("a", 0, 50000), ClaimKeep, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := PlanRegrade(tt.prev, tt.next, tt.current, true)
			var sum int64
			for _, c := range d.Deltas {
				sum += c.ScoreSum
			}
			if d.Claim != tt.want || d.ClaimedBy != tt.claimedBy || sum != tt.scoreSum {
				t.Errorf("PlanRegrade = %v claimed by %q with score sum %d, want %v claimed by %q with %d", d.Claim, d.ClaimedBy, sum, tt.want, tt.claimedBy, tt.scoreSum)
			}
		})
	}
}
