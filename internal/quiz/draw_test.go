package quiz

// Tests of Draw (attempt.go): which questions an attempt gets and in what order.

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func TestDrawIsDeterministic(t *testing.T) {
	q := bank(20, true, 0)
	for _, seed := range []uint64{0, 1, 42, 1 << 63} {
		first, second := Draw(q, seed), Draw(q, seed)
		if !reflect.DeepEqual(first, second) {
			t.Errorf("Draw(seed %d) twice gave different questions or option orders:\n%v\n%v", seed, first, second)
		}
	}
}

func TestDrawShufflesWithTheSeed(t *testing.T) {
	q := bank(20, true, 0)
	base := Draw(q, 1)
	t.Run("a shuffled draw of every question is a permutation of the bank", func(t *testing.T) {
		got := questionIDs(base)
		slices.Sort(got)
		if want := questionIDs(q.Questions); !slices.Equal(got, want) {
			t.Errorf("sorted Draw(seed 1) ids = %v, want %v", got, want)
		}
	})
	t.Run("different seeds give a different question order for at least one seed", func(t *testing.T) {
		for seed := uint64(2); seed <= 6; seed++ {
			if !slices.Equal(questionIDs(Draw(q, seed)), questionIDs(base)) {
				return
			}
		}
		t.Errorf("Draw gave question order %v for seeds 1 to 6, want some seed to differ", questionIDs(base))
	})
	t.Run("a shuffled draw reorders the options of some question", func(t *testing.T) {
		for _, qu := range base {
			if !slices.Equal(optionIDs(qu.Options), []string{"a", "b", "c", "d"}) {
				return
			}
		}
		t.Errorf("Draw(seed 1) kept the option order a, b, c, d for all 20 questions")
	})
	t.Run("a shuffled draw keeps each question's own options", func(t *testing.T) {
		for _, qu := range base {
			got := optionIDs(qu.Options)
			slices.Sort(got)
			if want := []string{"a", "b", "c", "d"}; !slices.Equal(got, want) {
				t.Errorf("question %s: sorted options = %v, want %v", qu.ID, got, want)
			}
		}
	})
}

func TestDrawSubset(t *testing.T) {
	for _, shuffle := range []bool{false, true} {
		t.Run(fmt.Sprintf("drawCount 10 of 20 with shuffle=%v gives 10 distinct bank questions", shuffle), func(t *testing.T) {
			q := bank(20, shuffle, 10)
			for seed := range uint64(20) {
				got := Draw(q, seed)
				if len(got) != 10 {
					t.Fatalf("len(Draw(seed %d)) = %d, want 10", seed, len(got))
				}
				seen := map[string]bool{}
				for _, qu := range got {
					if _, ok := q.Question(qu.ID); !ok {
						t.Errorf("Draw(seed %d) returned %q, which is not in the bank", seed, qu.ID)
					}
					if seen[qu.ID] {
						t.Errorf("Draw(seed %d) returned %q twice", seed, qu.ID)
					}
					seen[qu.ID] = true
				}
				if ids := questionIDs(got); !shuffle && !slices.IsSorted(ids) {
					t.Errorf("Draw(seed %d) without shuffle = %v, want the bank's order", seed, ids)
				}
			}
		})
	}
	t.Run("different seeds draw different subsets", func(t *testing.T) {
		q := bank(20, false, 10)
		base := questionIDs(Draw(q, 1))
		for seed := uint64(2); seed <= 6; seed++ {
			if !slices.Equal(questionIDs(Draw(q, seed)), base) {
				return
			}
		}
		t.Errorf("Draw drew %v for seeds 1 to 6, want some seed to differ", base)
	})
}

func TestDrawWithoutShuffleKeepsBankOrder(t *testing.T) {
	q := validQuiz()
	q.Shuffle = false
	for _, seed := range []uint64{0, 7, 99} {
		got := Draw(q, seed)
		if !reflect.DeepEqual(got, q.Questions) {
			t.Errorf("Draw(seed %d) without shuffle = %v, want the bank unchanged %v", seed, got, q.Questions)
		}
	}
}

func TestDrawNeverShufflesTrueFalseOrLikertOptions(t *testing.T) {
	q := validQuiz()
	q.Shuffle = true
	choiceShuffled := false
	for seed := range uint64(50) {
		for _, qu := range Draw(q, seed) {
			got := optionIDs(qu.Options)
			switch qu.Kind {
			case TrueFalse:
				if want := []string{"true", "false"}; !slices.Equal(got, want) {
					t.Errorf("Draw(seed %d) true/false options = %v, want %v", seed, got, want)
				}
			case Likert:
				if want := []string{"1", "2", "3", "4", "5"}; !slices.Equal(got, want) {
					t.Errorf("Draw(seed %d) likert options = %v, want %v", seed, got, want)
				}
			case Multiple:
				if !slices.Equal(got, []string{"a", "b", "c", "d"}) {
					choiceShuffled = true
				}
			}
		}
	}
	if !choiceShuffled {
		t.Errorf("Draw never shuffled the multiple question's options in 50 seeds, want shuffling for choice questions")
	}
}

func TestDrawDoesNotModifyTheQuiz(t *testing.T) {
	q := validQuiz()
	q.Shuffle = true
	wantIDs := questionIDs(q.Questions)
	wantOptions := make([][]string, len(q.Questions))
	for i, qu := range q.Questions {
		wantOptions[i] = optionIDs(qu.Options)
	}
	for seed := range uint64(20) {
		drawn := Draw(q, seed)
		// Writing to what Draw returned must not reach the quiz either.
		for i := range drawn {
			for j := range drawn[i].Options {
				drawn[i].Options[j].ID = "changed"
			}
		}
	}
	if got := questionIDs(q.Questions); !slices.Equal(got, wantIDs) {
		t.Errorf("after Draw, quiz question ids = %v, want %v", got, wantIDs)
	}
	for i, qu := range q.Questions {
		if got := optionIDs(qu.Options); !slices.Equal(got, wantOptions[i]) {
			t.Errorf("after Draw, question %s options = %v, want %v", qu.ID, got, wantOptions[i])
		}
	}
}
