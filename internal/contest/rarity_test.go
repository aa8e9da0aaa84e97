package contest

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/mathext"
)

func TestPoissonTailEqualsTheRegularisedIncompleteGamma(t *testing.T) {
	// P(X ≥ c) for X ~ Poisson(λ) is the regularised lower incomplete gamma P(c, λ).
	for _, lambda := range []float64{1e-9, 1e-3, 0.07, 0.5, 1, 3.2, 16, 32, 100, 999.5, 5000} {
		for _, c := range []int{1, 2, 3, 4, 5, 10, 20, 40, 50, 60, 100, 150, 1000, 1100, 5000, 5300} {
			want := mathext.GammaIncReg(float64(c), lambda)
			if want < 1e-300 {
				continue // below what either sums to without underflow
			}
			t.Run(fmt.Sprintf("P(X ≥ %d) for λ %g is gonum's P(%d, %g)", c, lambda, c, lambda), func(t *testing.T) {
				got := PoissonTail(c, lambda)
				if math.Abs(got-want) > 1e-9*want+1e-15 {
					t.Errorf("got %.12g, want %.12g", got, want)
				}
			})
		}
	}
	t.Run("nothing is at least 0, and λ 0 gives nothing above it", func(t *testing.T) {
		if got := PoissonTail(0, 3); got != 1 {
			t.Errorf("P(X ≥ 0) = %g, want 1", got)
		}
		if got := PoissonTail(1, 0); got != 0 {
			t.Errorf("P(X ≥ 1 | λ 0) = %g, want 0", got)
		}
	})
}

func TestAnswerKeyNamesTheOptionsInOrderAndNoText(t *testing.T) {
	for _, tc := range []struct {
		name    string
		options []string
		value   int
		text    string
		want    string
		ok      bool
	}{
		{"one option", []string{"b"}, 0, "", "q1=b", true},
		{"several options in any order give one key", []string{"c", "a"}, 0, "", "q1=a+c", true},
		{"no option chosen is an answer too", nil, 0, "", "q1=", true},
		{"a scale value", nil, 4, "", "q1=#4", true},
		{"free text has no key", nil, 0, "Nguyễn Văn A", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := AnswerKey("q1", tc.options, tc.value, tc.text)
			if got != tc.want || ok != tc.ok {
				t.Errorf("got %q, %v, want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// roundCounts is a round of entries answering 5 questions as the scale bench does: each
// right ("a") with p 3/4, else "b"; nobody gives "c".
func roundCounts(entries int64) AnswerCounts {
	c := AnswerCounts{Entries: entries, Answers: map[string]int64{}}
	for q := range 5 {
		c.Answers[fmt.Sprintf("q%d=a", q)] = entries * 3 / 4
		c.Answers[fmt.Sprintf("q%d=b", q)] = entries / 4
	}
	return c
}

// sequence gives one answer per question: "abbbb" is q0=a, q1=b, ….
func sequence(answers string) []string {
	var out []string
	for q, a := range answers {
		out = append(out, fmt.Sprintf("q%d=%c", q, a))
	}
	return out
}

func TestProbabilityIsTheProductOfSmoothedShares(t *testing.T) {
	c := roundCounts(10_000)
	for _, tc := range []struct {
		name string
		seq  string
		want float64
	}{
		{"a sequence of common answers", "abaaa", math.Pow(7500.5/10001, 4) * (2500.5 / 10001)},
		{"an answer nobody gave is unlikely but not impossible", "caaaa", math.Pow(7500.5/10001, 4) * (0.5 / 10001)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Probability(sequence(tc.seq)); math.Abs(got-tc.want) > 1e-12*tc.want {
				t.Errorf("got %g, want %g", got, tc.want)
			}
		})
	}
	t.Run("an empty round gives every answer an even chance", func(t *testing.T) {
		if got := (AnswerCounts{}).Probability(sequence("ab")); got != 0.25 {
			t.Errorf("got %g, want 0.25", got)
		}
	})
}

func TestIdenticalBurstFlagsOnlyImprobableCoincidences(t *testing.T) {
	at := func(n int, span time.Duration) []string { // n members within span
		var ms []string
		for i := range n {
			ms = append(ms, fmt.Sprintf("%d e%02d", flagT0.Add(span*time.Duration(i)/time.Duration(max(n, 1))).UnixMilli(), i))
		}
		return ms
	}
	for _, tc := range []struct {
		name    string
		round   int64 // entries of the round besides the group
		window  int64 // of them in the group's window
		seq     string
		members []string
		closed  int
		want    int // flags the last member's batch decides
	}{
		{"three of a rare wrong sequence in a window are flagged", 20_000, 400, "cbcbc", at(3, 5*time.Minute), 0, 3},
		{"four of the rarest sequence an honest round gives are flagged in a quiet window", 20_000, 40, "bbbbb", at(4, 5*time.Minute), 0, 4},
		{"the same four are not when the window holds a surge", 200_000, 20_000, "bbbbb", at(4, 5*time.Minute), 0, 0},
		{"three of a popular wrong sequence among many entries are not flagged", 200_000, 400, "abaaa", at(3, 5*time.Minute), 0, 0},
		{"thirty-five of a popular sequence are what 400 entries give", 200_000, 400, "abaaa", at(35, 9*time.Minute), 0, 0},
		{"fifty of a popular sequence in a window of 100 entries are flagged", 200_000, 100, "abaaa", at(50, 9*time.Minute), 0, 50},
		{"two of even an unseen sequence are never flagged", 20_000, 400, "ccccc", at(2, time.Minute), 0, 0},
		{"a window counted short still holds its group: three of a popular sequence are not flagged", 200_000, 0, "abaaa", at(3, 5*time.Minute), 0, 0},
		{"a ring of four that is half of a young round is judged by the other half", 4, 8, "ccccc", at(4, 5*time.Minute), 0, 4},
		{"three that are all of a young round are not", 0, 3, "ccccc", at(3, 5*time.Minute), 0, 0},
		{"a closed group of a rare sequence flags its later members", 20_000, 400, "cbcbc", at(1, 0), EvidenceCap, 1},
		{"a closed group of a popular sequence in a surge does not", 200_000, 2_000, "abaaa", at(1, 0), EvidenceCap, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := roundCounts(tc.round)
			size := int64(max(len(tc.members), tc.closed))
			c.Entries += size // the group is counted too
			for _, k := range sequence(tc.seq) {
				c.Answers[k] += size
			}
			st := GroupState{Expected: Expected(tc.window, max(len(tc.members), tc.closed), c, sequence(tc.seq)), Closed: tc.closed}
			if tc.closed == 0 {
				st.Members = tc.members
			}
			// The batch of the last member: it grows every member's burst, so a flagged
			// open group flags them all; a closed group, only the member added.
			v := Judge(FlagIdenticalBurst, st, tc.members[len(tc.members)-1:])
			if len(v.Flags) != tc.want {
				t.Errorf("λ %.3g: %d flags, want %d", st.Expected, len(v.Flags), tc.want)
			}
			for _, f := range v.Flags {
				if f.Kind != FlagIdenticalBurst {
					t.Errorf("flag %+v, want kind %s", f, FlagIdenticalBurst)
				}
			}
		})
	}
}

func TestImprobableNeedsTheThresholdAndTheTail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		c      int
		lambda float64
		want   bool
	}{
		{"below the threshold never, however rare", FlagThreshold - 1, 0, false},
		{"at the threshold when chance gives it less than once in a million", FlagThreshold, 0.01, true},
		{"at the threshold not when λ is 0.02 (P ≈ 1.3·10⁻⁶)", FlagThreshold, 0.02, false},
		{"as many as expected never", 32, 32, false},
		{"far beyond what is expected", 70, 32, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Improbable(tc.c, tc.lambda); got != tc.want {
				t.Errorf("Improbable(%d, %g) = %v (tail %.3g), want %v", tc.c, tc.lambda, got, PoissonTail(tc.c, tc.lambda), tc.want)
			}
		})
	}
}

func TestEvidenceOfABurstCarriesItsWindowAndAnswers(t *testing.T) {
	e := wrong("e0", "A", "h", 12) // slot of 09:10, windows of 09:00 and 09:10
	e.Answers = sequence("abaaa")
	var windows []int64
	for _, ev := range EvidenceOf(Config{}.Normalized(), e) {
		if ev.Kind != FlagIdenticalBurst {
			continue
		}
		windows = append(windows, ev.Window)
		if !slices.Equal(ev.Answers, e.Answers) {
			t.Errorf("answers %v, want %v", ev.Answers, e.Answers)
		}
		if slot := BurstSlot(e.SubmittedAt); !slices.Contains(WindowSlots(ev.Window), slot) {
			t.Errorf("window %d has slots %v, want its entry's slot %d among them", ev.Window, WindowSlots(ev.Window), slot)
		}
	}
	s := BurstSlot(e.SubmittedAt)
	if want := []int64{s - 1, s}; !slices.Equal(windows, want) {
		t.Errorf("windows %v, want %v", windows, want)
	}
}
