package sheets

import (
	"slices"
	"testing"

	"github.com/nq58/tracker/internal/quiz"
)

func TestTickedBoxesAreReadAsTheQuestionsOptions(t *testing.T) {
	single := quiz.Question{ID: "q1", Kind: quiz.Single, Options: []quiz.Option{{ID: "o1"}, {ID: "o2"}, {ID: "o3"}}}
	multiple := quiz.Question{ID: "q2", Kind: quiz.Multiple, Options: []quiz.Option{{ID: "m1"}, {ID: "m2"}, {ID: "m3"}}}
	trueFalse := quiz.Question{ID: "q3", Kind: quiz.TrueFalse, Options: []quiz.Option{{ID: "t"}, {ID: "f"}}}
	likert := quiz.Question{ID: "q4", Kind: quiz.Likert}
	text := quiz.Question{ID: "q5", Kind: quiz.Text}
	tests := []struct {
		name    string
		q       quiz.Question
		boxes   string
		options []string
		value   int
		bad     bool
	}{
		{"one letter picks its option", single, "b", []string{"o2"}, 0, false},
		{"two boxes on a single-choice question are refused", single, "AB", nil, 0, true},
		{"a letter past the options is refused", single, "D", nil, 0, true},
		{"several letters pick several options of a multiple-choice question", multiple, "A, C", []string{"m1", "m3"}, 0, false},
		{"a letter ticked twice counts once", multiple, "AA", []string{"m1"}, 0, false},
		{"Đ is true", trueFalse, "Đ", []string{"t"}, 0, false},
		{"S is false", trueFalse, "s", []string{"f"}, 0, false},
		{"a scale takes a number from 1 to 5", likert, "4", nil, 4, false},
		{"a scale refuses 6", likert, "6", nil, 0, true},
		{"free text is never taken from paper", text, "A", nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseBoxes(tt.q, tt.boxes)
			if (err != nil) != tt.bad {
				t.Fatalf("parseBoxes(%q) error = %v, want error %v", tt.boxes, err, tt.bad)
			}
			if tt.bad {
				return
			}
			if !slices.Equal(got.OptionIDs, tt.options) || got.Value != tt.value {
				t.Errorf("parseBoxes(%q) = %v / %d, want %v / %d", tt.boxes, got.OptionIDs, got.Value, tt.options, tt.value)
			}
		})
	}
}

func TestSheetCodesAreReadAsTyped(t *testing.T) {
	tests := []struct{ typed, want string }{
		{"mkzb9q3", "MKZB9Q3"},
		{"MKZ-B9Q 3", "MKZB9Q3"},
		{"MKZB9Q", ""},   // too short
		{"MKZB9Q0", ""},  // 0 is not in the alphabet (read as O)
		{"MKZB9QI", ""},  // nor I
		{"MKZB9Q33", ""}, // too long
	}
	for _, tt := range tests {
		t.Run("the code typed as "+tt.typed, func(t *testing.T) {
			if got := normCode(tt.typed); got != tt.want {
				t.Errorf("normCode(%q) = %q, want %q", tt.typed, got, tt.want)
			}
		})
	}
}
