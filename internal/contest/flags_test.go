package contest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// flagRound feeds entries to the rules batch by batch, keeping each group's members as
// storage does (a set, or only a count once closed), and collects every flag decided,
// keyed "<attemptId> <kind>". Every answer sequence is a rare one: a window holds it by
// chance once in a thousand (rareExpected), so the burst rule's timing decides alone.
type flagRound struct {
	members map[string][]string // kind + group → members
	closed  map[string]int
	flags   map[string]string // "<attemptId> <kind>" → detail
}

func newFlagRound() *flagRound {
	return &flagRound{members: map[string][]string{}, closed: map[string]int{}, flags: map[string]string{}}
}

// batch adds one stream batch and returns the flags it decided.
func (r *flagRound) batch(t *testing.T, entries ...FlagEntry) []string {
	t.Helper()
	added := map[string][]string{}
	kinds := map[string]string{}
	var order []string
	var got []string
	for _, e := range entries {
		cfg := Config{AttemptsPerRound: 3}.Normalized()
		if f, ok := FastFlag(cfg, e); ok {
			got = append(got, f.AttemptID+" "+f.Kind)
			r.flags[f.AttemptID+" "+f.Kind] = f.Detail
		}
		for _, ev := range EvidenceOf(cfg, e) {
			g := ev.Kind + "|" + ev.Group
			if _, ok := added[g]; !ok {
				order = append(order, g)
			}
			added[g], kinds[g] = append(added[g], ev.Member), ev.Kind
		}
	}
	for _, g := range order {
		st := GroupState{Closed: r.closed[g], Expected: rareExpected}
		if st.Closed == 0 {
			r.members[g] = union(r.members[g], added[g])
			st.Members = r.members[g]
		}
		v := Judge(kinds[g], st, added[g])
		for _, f := range v.Flags {
			got = append(got, f.AttemptID+" "+f.Kind)
			r.flags[f.AttemptID+" "+f.Kind] = f.Detail
		}
		if v.Close > 0 {
			r.closed[g], r.members[g] = v.Close, nil
		}
	}
	slices.Sort(got)
	return slices.Compact(got)
}

func (r *flagRound) all() []string {
	var out []string
	for k := range r.flags {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var flagT0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// rareExpected is λ of a sequence that independent entrants give once in a thousand windows.
const rareExpected = 1e-3

// wrong is an entry of person p with a wrong answer sequence h, submitted min minutes
// after flagT0, on its own device, in a minute for five questions.
func wrong(id, p, h string, min float64) FlagEntry {
	return FlagEntry{AttemptID: id, Person: p, Device: "dev-" + p, AnswersHash: h, SubmittedAt: flagT0.Add(time.Duration(min * float64(time.Minute))),
		DurationMs: 60_000, Questions: 5}
}

func TestFastFlagComparesTheDurationWithSecondsPerQuestion(t *testing.T) {
	cfg := Config{FastSecondsPerQuestion: 3}.Normalized()
	for _, tc := range []struct {
		name     string
		duration int64
		want     bool
	}{
		{"an entry of 5 questions in 14.9 s is fast", 14_900, true},
		{"an entry of 5 questions in exactly 15 s is not fast", 15_000, false},
		{"an entry of 5 questions in a minute is not fast", 60_000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, got := FastFlag(cfg, FlagEntry{AttemptID: "a", DurationMs: tc.duration, Questions: 5})
			if got != tc.want {
				t.Fatalf("fast = %v, want %v", got, tc.want)
			}
			if got && (f.Kind != FlagFast || f.Detail != "14 giây cho 5 câu") {
				t.Errorf("flag = %+v, want kind fast, detail %q", f, "14 giây cho 5 câu")
			}
		})
	}
}

func TestManyAttemptsFlagsEveryAttemptOfAPersonFromTheThird(t *testing.T) {
	r := newFlagRound()
	if got := r.batch(t, wrong("a1", "P", "", 0), wrong("a2", "P", "", 60)); len(got) != 0 {
		t.Fatalf("two attempts flagged %v, want none", got)
	}
	t.Run("the third attempt flags all three", func(t *testing.T) {
		got := r.batch(t, wrong("a3", "P", "", 120))
		want := []string{"a1 manyAttempts", "a2 manyAttempts", "a3 manyAttempts"}
		if !slices.Equal(got, want) {
			t.Errorf("flags = %v, want %v", got, want)
		}
		if d := r.flags["a1 manyAttempts"]; d != "3 lượt của cùng một người" {
			t.Errorf("detail = %q", d)
		}
	})
	t.Run("a fourth attempt adds only its own flag", func(t *testing.T) {
		got, want := r.batch(t, wrong("a4", "P", "", 180)), []string{"a4 manyAttempts"}
		if !slices.Equal(got, want) {
			t.Errorf("flags = %v, want %v", got, want)
		}
	})
	t.Run("a contest that allows fewer attempts keeps no group for them", func(t *testing.T) {
		for _, ev := range EvidenceOf(Config{AttemptsPerRound: 2}.Normalized(), wrong("a5", "P", "h", 0)) {
			if ev.Kind == FlagManyAttempts {
				t.Errorf("evidence %+v with 2 attempts per round, want no attempts group", ev)
			}
		}
	})
	t.Run("the same batch delivered again decides nothing new", func(t *testing.T) {
		before := r.all()
		r.batch(t, wrong("a4", "P", "", 180))
		if got := r.all(); !slices.Equal(got, before) {
			t.Errorf("flags after a redelivery = %v, want %v", got, before)
		}
	})
}

func TestSharedDeviceCountsPersonsNotAttempts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []FlagEntry
		want    []string
	}{
		{"three persons on one device are all flagged", []FlagEntry{
			onDevice(wrong("x1", "A", "", 0), "d"), onDevice(wrong("x2", "B", "", 1), "d"), onDevice(wrong("x3", "C", "", 2), "d")},
			[]string{"x1 sharedDevice", "x2 sharedDevice", "x3 sharedDevice"}},
		{"two persons with three attempts on one device are not", []FlagEntry{
			onDevice(wrong("x1", "A", "", 0), "d"), onDevice(wrong("x2", "B", "", 1), "d"), onDevice(wrong("x3", "B", "", 2), "d")},
			nil},
		{"three persons without a device id are not", []FlagEntry{
			onDevice(wrong("x1", "A", "", 0), ""), onDevice(wrong("x2", "B", "", 1), ""), onDevice(wrong("x3", "C", "", 2), "")},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newFlagRound()
			for _, e := range tc.entries { // one batch each: the rule fires on the last
				r.batch(t, e)
			}
			if got := r.all(); !slices.Equal(got, tc.want) {
				t.Errorf("flags = %v, want %v", got, tc.want)
			}
		})
	}
}

func onDevice(e FlagEntry, d string) FlagEntry { e.Device = d; return e }

func TestIdenticalBurstNeedsThreeWrongSequencesWithinTenMinutes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		minutes []float64
		perfect bool
		want    []string // flagged attempts
	}{
		{"three within nine minutes are flagged", []float64{0, 4, 9}, false, []string{"e0", "e1", "e2"}},
		{"three across a slot boundary are flagged", []float64{8, 12, 17.5}, false, []string{"e0", "e1", "e2"}},
		{"three spanning exactly ten minutes are not", []float64{0, 5, 10}, false, nil},
		{"a chain of three, the ends eighteen minutes apart, is not", []float64{0, 9, 18}, false, nil},
		{"a fourth near the last two flags those three only", []float64{0, 11, 15, 20}, false, []string{"e1", "e2", "e3"}},
		{"three identical perfect sequences are expected, not flagged", []float64{0, 1, 2}, true, nil},
	} {
		for _, order := range []string{"in order", "in reverse"} {
			t.Run(tc.name+", submitted "+order+", one batch each", func(t *testing.T) {
				r := newFlagRound()
				idx := make([]int, len(tc.minutes))
				for i := range idx {
					idx[i] = i
				}
				if order == "in reverse" {
					slices.Reverse(idx)
				}
				for _, i := range idx {
					e := wrong(fmt.Sprintf("e%d", i), fmt.Sprintf("P%d", i), "h", tc.minutes[i])
					e.AllCorrect = tc.perfect
					r.batch(t, e)
				}
				var got []string
				for _, k := range r.all() {
					if id, ok := strings.CutSuffix(k, " "+FlagIdenticalBurst); ok {
						got = append(got, id)
					}
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("flagged %v, want %v", got, tc.want)
				}
			})
		}
	}
	t.Run("the detail says how many and within how long", func(t *testing.T) {
		r := newFlagRound()
		r.batch(t, wrong("e0", "A", "h", 0), wrong("e1", "B", "h", 1), wrong("e2", "C", "h", 2), wrong("e3", "D", "h", 3))
		if d := r.flags["e0 identicalBurst"]; d != "4 bài sai giống hệt nhau trong 10 phút" {
			t.Errorf("detail = %q", d)
		}
	})
	t.Run("other sequences in the same minutes do not count", func(t *testing.T) {
		r := newFlagRound()
		r.batch(t, wrong("e0", "A", "h", 0), wrong("e1", "B", "h", 1), wrong("e2", "C", "k", 2))
		if got := r.all(); len(got) != 0 {
			t.Errorf("flags = %v, want none", got)
		}
	})
}

func TestAGroupAtTheCapKeepsACountAndFlagsLaterMembers(t *testing.T) {
	r := newFlagRound()
	// EvidenceCap entries of one wrong sequence, an hour apart: no burst, but the windows
	// fill only one or two at a time; the person group of one person fills instead.
	for i := range EvidenceCap {
		r.batch(t, wrong(fmt.Sprintf("a%02d", i), "P", "", float64(60*i)))
	}
	g := FlagManyAttempts + "|P"
	if r.closed[g] != EvidenceCap || r.members[g] != nil {
		t.Fatalf("group at the cap: closed %d with %d members, want closed %d with none", r.closed[g], len(r.members[g]), EvidenceCap)
	}
	got := r.batch(t, wrong("late", "P", "", 1e5))
	// Its device took as many entries: that group closed too, and flags it as well.
	if want := []string{"late manyAttempts", "late sharedDevice"}; !slices.Equal(got, want) {
		t.Errorf("flags = %v, want %v", got, want)
	}
	if d, want := r.flags["late manyAttempts"], fmt.Sprintf("ít nhất %d lượt của cùng một người", EvidenceCap); d != want {
		t.Errorf("detail = %q, want %q", d, want)
	}
}

// TestBurstFlagsDoNotDependOnOrderOrBatches feeds seeded random rounds of one wrong
// sequence in random orders and batch splits, and compares the flagged entries with the
// rule computed over the whole round at once: an entry is flagged when it and two others
// lie within one span shorter than BurstSpan.
func TestBurstFlagsDoNotDependOnOrderOrBatches(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 58))
		n := 5 + rng.IntN(25)
		entries := make([]FlagEntry, n)
		for i := range entries {
			entries[i] = wrong(fmt.Sprintf("e%02d", i), fmt.Sprintf("P%02d", i), "h", float64(rng.IntN(60*60))/60)
		}
		var want []string
		for _, a := range entries {
			for _, from := range entries { // a span starting at some entry's time
				lo := from.SubmittedAt
				if a.SubmittedAt.Before(lo) || a.SubmittedAt.Sub(lo) >= BurstSpan {
					continue
				}
				in := 0
				for _, b := range entries {
					if !b.SubmittedAt.Before(lo) && b.SubmittedAt.Sub(lo) < BurstSpan {
						in++
					}
				}
				if in >= FlagThreshold {
					want = append(want, a.AttemptID)
					break
				}
			}
		}
		slices.Sort(want)
		t.Run(fmt.Sprintf("round %d of %d entries in random batches gives the whole round's flags", seed, n), func(t *testing.T) {
			r := newFlagRound()
			order := rng.Perm(n)
			for len(order) > 0 {
				k := 1 + rng.IntN(min(5, len(order)))
				var b []FlagEntry
				for _, i := range order[:k] {
					b = append(b, entries[i])
				}
				order = order[k:]
				r.batch(t, b...)
			}
			var got []string
			for _, k := range r.all() {
				if id, ok := strings.CutSuffix(k, " "+FlagIdenticalBurst); ok {
					got = append(got, id)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("flagged %v, want %v", got, want)
			}
		})
	}
}
