package quiz

// Fixtures and checks shared by the quiz package tests.

import (
	"fmt"
	"time"
)

func opts(ids ...string) []Option {
	out := make([]Option, len(ids))
	for i, id := range ids {
		out[i] = Option{ID: id, Text: "option " + id}
	}
	return out
}

func likertOptions() []Option { return opts("1", "2", "3", "4", "5") }

func questionIDs(qs []Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func optionIDs(options []Option) []string {
	out := make([]string, len(options))
	for i, o := range options {
		out[i] = o.ID
	}
	return out
}

// validQuiz returns a fresh quiz that passes Validate, with one question of every kind.
// The multiple question lists its correct options out of order on purpose.
func validQuiz() Quiz {
	return Quiz{
		ID:          "q1",
		Kind:        KindQuiz,
		Title:       "Hiểu biết về Nghị quyết 58",
		OpensAt:     time.Date(2026, 1, 1, 0, 0, 0, 0, VietnamTime),
		ClosesAt:    time.Date(2026, 12, 31, 0, 0, 0, 0, VietnamTime),
		PassPercent: 50,
		Status:      Published,
		Questions: []Question{
			{ID: "s1", Kind: Single, Text: "Single", Topic: "a", Points: 1, Options: opts("a", "b", "c"), CorrectOptionIDs: []string{"b"}},
			{ID: "m1", Kind: Multiple, Text: "Multiple", Topic: "b", Points: 2, Options: opts("a", "b", "c", "d"), CorrectOptionIDs: []string{"c", "a"}},
			{ID: "t1", Kind: TrueFalse, Text: "True or false", Topic: "c", Points: 1, Options: opts("true", "false"), CorrectOptionIDs: []string{"true"}},
			{ID: "s2", Kind: Single, Text: "Single 2", Topic: "a", Points: 3, Options: opts("a", "b"), CorrectOptionIDs: []string{"a"}},
			{ID: "l1", Kind: Likert, Text: "How much do you agree", Options: likertOptions()},
			{ID: "x1", Kind: Text, Text: "Anything to add"},
		},
	}
}

// bank returns a quiz of n single-choice questions q01…qNN with options a–d each.
func bank(n int, shuffle bool, drawCount int) Quiz {
	q := Quiz{ID: "bank", Kind: KindQuiz, Title: "Bank", Shuffle: shuffle, DrawCount: drawCount, Status: Published}
	for i := range n {
		q.Questions = append(q.Questions, Question{
			ID: fmt.Sprintf("q%02d", i+1), Kind: Single, Text: "Q", Topic: "a", Points: 1,
			Options: opts("a", "b", "c", "d"), CorrectOptionIDs: []string{"a"},
		})
	}
	return q
}
