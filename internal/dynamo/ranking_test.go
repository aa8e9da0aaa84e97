package dynamo_test

import (
	"context"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

// roundEntry is a submitted, ranked entry of round r1 of contest c1 with what ranking uses.
func roundEntry(i int, person string, score int, prediction int64, durationMs int64) quiz.Attempt {
	sub := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	a := quiz.Attempt{ID: fmt.Sprintf("a%05d-%s", i, person), QuizID: "c1", QuizKind: quiz.KindContest, RoundID: "r1", Ranked: true,
		Prediction: &prediction, Identity: person, Participant: quiz.Participant{UnitID: "v1"}, Seed: 1,
		QuestionIDs: []string{"q1", "q2", "q3", "q4", "q5"}, StartedAt: sub.Add(-time.Duration(durationMs) * time.Millisecond),
		ExpiresAt: sub.Add(time.Minute), Status: quiz.Submitted, SubmittedAt: sub, DurationMs: durationMs,
		Score: score, MaxScore: 5, CorrectCount: score, AnswersHash: "h"}
	return a
}

// entriesOf is what the close ranks of each attempt.
func entriesOf(attempts []quiz.Attempt) []contest.Entry {
	out := make([]contest.Entry, 0, len(attempts))
	for _, a := range attempts {
		e := contest.Entry{AttemptID: a.ID, Person: a.IdentityKey(), UnitID: a.Participant.UnitID, Score: a.Score,
			MaxScore: a.MaxScore, DurationMs: a.DurationMs, SubmittedAt: a.SubmittedAt}
		if a.Prediction != nil {
			e.Prediction = *a.Prediction
		}
		out = append(out, e)
	}
	return out
}

// place is what a ranking line must match between the partial read and the whole round.
type place struct {
	AttemptID, Person string
	Rank              int
	Distance          int64
}

func placesOf(r []contest.Ranked, n int) []place {
	out := make([]place, 0, n)
	for _, x := range r[:min(n, len(r))] {
		out = append(out, place{x.AttemptID, x.Person, x.Rank, x.Distance})
	}
	return out
}

// scattered makes n entries of `persons` persons (some with several attempts), a share
// `perfect` of them on the top score, the others one or two points below, predictions
// within ±spread of truth, durations from few values so that whole ties occur.
func scattered(seed uint64, n, persons int, perfect float64, truth, spread int64) []quiz.Attempt {
	rng := mrand.New(mrand.NewPCG(seed, 58))
	out := make([]quiz.Attempt, 0, n)
	for i := range n {
		score := 5
		if rng.Float64() >= perfect {
			score = 3 + rng.IntN(2)
		}
		p := truth + rng.Int64N(2*spread+1) - spread
		out = append(out, roundEntry(i, fmt.Sprintf("p%03d", rng.IntN(persons)), score, p, int64(60000+1000*rng.IntN(3))))
	}
	return out
}

func putAll(t *testing.T, s *dynamo.Store, attempts []quiz.Attempt) {
	t.Helper()
	if err := s.PutAttempts(context.Background(), attempts); err != nil {
		t.Fatal(err)
	}
}

func TestTheEntriesNearestTheTruthRankAsTheWholeRoundWould(t *testing.T) {
	late := roundEntry(9999, "late", 5, 1000, 1000) // unranked: never read
	late.Ranked = false
	nothingRight := []quiz.Attempt{roundEntry(9000, "zero-a", 0, 50, 60000), roundEntry(9001, "zero-b", 0, 49, 60000)}
	extreme := []quiz.Attempt{
		roundEntry(1, "min", 5, math.MinInt64, 60000), roundEntry(2, "max", 5, math.MaxInt64, 60000),
		roundEntry(3, "minus-five", 5, -5, 60000), roundEntry(4, "zero", 5, 0, 60000),
		roundEntry(5, "two", 5, 2, 60000), roundEntry(6, "minus-one", 5, -1, 60000),
		roundEntry(7, "four-again", 4, -3, 60000), roundEntry(8, "three", 3, -3, 60000),
	}
	for _, tc := range []struct {
		name    string
		entries []quiz.Attempt
		truth   int64
		persons int
	}{
		{"many entries tied on the top score, predictions scattered around the truth, give the same first places",
			scattered(1, 400, 250, 0.7, 1000, 300), 1000, 16},
		{"persons with several attempts keep only their best, as over every entry",
			scattered(2, 300, 40, 0.8, 500, 60), 500, 12},
		{"equal distances at the prize boundary are read whole, so the later criteria order them",
			scattered(3, 300, 200, 0.9, 100, 4), 100, 9},
		{"a top score group smaller than the need continues into the next groups",
			scattered(4, 300, 200, 0.02, 7000, 2000), 7000, 20},
		{"a need beyond the round's persons reads every ranked entry and no late one",
			append(scattered(5, 60, 30, 0.5, 50, 50), late), 50, 1000},
		{"entries with nothing right are the last score group and are read too",
			append(scattered(6, 40, 30, 0.5, 50, 50), nothingRight...), 50, 100},
		{"negative and extreme predictions keep their order around a negative truth",
			extreme, -3, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t)
			putAll(t, s, tc.entries)
			var ranked []quiz.Attempt
			for _, a := range tc.entries {
				if a.Ranked {
					ranked = append(ranked, a)
				}
			}
			want := contest.Rank(entriesOf(ranked), tc.truth, contest.DefaultRanking)
			read, err := s.TopEntriesNearTruth(ctx, "c1", "r1", tc.truth, tc.persons)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range read {
				if !a.Ranked {
					t.Errorf("read unranked entry %s", a.ID)
				}
			}
			got := contest.Rank(entriesOf(read), tc.truth, contest.DefaultRanking)
			k := min(tc.persons, len(want))
			if len(got) < k {
				t.Fatalf("read %d persons, want at least %d", len(got), k)
			}
			if g, w := placesOf(got, k), placesOf(want, k); fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("first %d places\n got %v\nwant %v", k, g, w)
			}
		})
	}
}

func TestTheCloseReadsDoNotGrowWithTheEntriesTiedOnTheTopScore(t *testing.T) {
	ctx := context.Background()
	const persons = 26 // 16 prizes and a top 10, as the benchmark's contest
	read := func(n int) (items int, units float64) {
		t.Helper()
		var log readLog
		endpoint, table := testenv.Table(t)
		s := dynamo.New(loggingClient(endpoint, &log), table)
		// Every entry is perfect; predictions spread in proportion to the round's size,
		// as guesses of its number of entries do.
		putAll(t, s, scattered(uint64(n), n, n, 1, int64(n), int64(n/2)))
		log.reset()
		before := s.ReadUnits()
		got, err := s.TopEntriesNearTruth(ctx, "c1", "r1", int64(n), persons)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < persons {
			t.Fatalf("read %d entries, want at least %d", len(got), persons)
		}
		for _, pk := range log.items {
			if strings.HasPrefix(pk, "ATTEMPT#") {
				items++
			}
		}
		return items, s.ReadUnits() - before
	}
	smallItems, smallUnits := read(300)
	largeItems, largeUnits := read(3000)
	t.Logf("items read: %d at 300 entries, %d at 3000; read units %.1f and %.1f", smallItems, largeItems, smallUnits, largeUnits)
	for _, tc := range []struct {
		name         string
		small, large float64
	}{
		{"the items read", float64(smallItems), float64(largeItems)},
		{"the read units", smallUnits, largeUnits},
	} {
		t.Run(tc.name+" stay within 20 % at ten times the tied entries", func(t *testing.T) {
			if tc.small <= 0 || tc.large > 1.2*tc.small || tc.large < 0.8*tc.small {
				t.Errorf("got %.1f at 3000 entries, want within 20 %% of %.1f at 300", tc.large, tc.small)
			}
		})
	}
	t.Run("fewer than the tied entries are read", func(t *testing.T) {
		if smallItems >= 300 {
			t.Errorf("got %d items read of 300 tied entries, want fewer", smallItems)
		}
	})
}
