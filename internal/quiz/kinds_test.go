package quiz

import (
	"slices"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
)

func TestEveryKindAnswersEachRule(t *testing.T) {
	type facts struct {
		label                                      string
		answer                                     AnswerForm
		scored, options, multiple, shuffles, paper bool
		lo, hi                                     int
		defaults                                   []string // default option ids
		ids                                        []string // ids of 2 written options
		written                                    map[int]bool
		stored                                     map[int]bool
	}
	want := map[QuestionKind]facts{
		Single: {"Một đáp án", AnswerOptions, true, true, false, true, true, 0, 0, nil, []string{"a", "b"},
			map[int]bool{0: false, 1: false, 2: true, 5: true}, map[int]bool{0: false, 2: true, 12: true, 13: false}},
		Multiple: {"Nhiều đáp án", AnswerOptions, true, true, true, true, true, 0, 0, nil, []string{"a", "b"},
			map[int]bool{0: false, 1: false, 2: true, 5: true}, map[int]bool{0: false, 2: true, 12: true, 13: false}},
		TrueFalse: {"Đúng/sai", AnswerOptions, true, true, false, false, true, 0, 0, []string{"t", "f"}, []string{"t", "f"},
			map[int]bool{0: true, 1: false, 2: true, 3: false}, map[int]bool{0: false, 2: true, 12: true, 13: false}},
		Likert: {"Thang 5 mức", AnswerValue, false, true, false, false, true, 1, 5, []string{"1", "2", "3", "4", "5"}, []string{"1", "2"},
			map[int]bool{0: true, 2: false, 5: true, 6: false}, map[int]bool{0: false, 4: false, 5: true, 6: false}},
		Text: {"Tự luận", AnswerText, false, false, false, false, false, 0, 0, nil, []string{"a", "b"},
			map[int]bool{0: true, 1: false, 2: false}, map[int]bool{0: true, 1: false}},
	}
	if got := QuestionKinds(); len(got) != len(want) {
		t.Fatalf("QuestionKinds() = %v, want the %d kinds tested here", got, len(want))
	}
	for _, k := range QuestionKinds() {
		w, ok := want[k]
		if !ok {
			t.Fatalf("kind %q has no facts in this test", k)
		}
		t.Run("a "+string(k)+" question follows its kind's rules", func(t *testing.T) {
			if !k.Valid() {
				t.Errorf("Valid() = false")
			}
			if got := k.Label(); got != w.label {
				t.Errorf("Label() = %q, want %q", got, w.label)
			}
			if got := k.Answer(); got != w.answer {
				t.Errorf("Answer() = %q, want %q", got, w.answer)
			}
			if got := k.Scored(); got != w.scored {
				t.Errorf("Scored() = %v, want %v", got, w.scored)
			}
			if got := (Question{Kind: k}).Scored(); got != w.scored {
				t.Errorf("Question.Scored() = %v, want %v", got, w.scored)
			}
			if got := k.HasOptions(); got != w.options {
				t.Errorf("HasOptions() = %v, want %v", got, w.options)
			}
			if got := k.MultiplePicks(); got != w.multiple {
				t.Errorf("MultiplePicks() = %v, want %v", got, w.multiple)
			}
			if got := k.Shuffles(); got != w.shuffles {
				t.Errorf("Shuffles() = %v, want %v", got, w.shuffles)
			}
			if got := k.OnPaper(); got != w.paper {
				t.Errorf("OnPaper() = %v, want %v", got, w.paper)
			}
			if lo, hi := k.ValueRange(); lo != w.lo || hi != w.hi {
				t.Errorf("ValueRange() = %d, %d, want %d, %d", lo, hi, w.lo, w.hi)
			}
			if got := optionIDs(k.DefaultOptions()); !slices.Equal(got, w.defaults) && len(got)+len(w.defaults) > 0 {
				t.Errorf("DefaultOptions() ids = %v, want %v", got, w.defaults)
			}
			if got := []string{k.OptionID(0, 2), k.OptionID(1, 2)}; !slices.Equal(got, w.ids) {
				t.Errorf("OptionID(0..1, 2) = %v, want %v", got, w.ids)
			}
			for n, ok := range w.written {
				if got := k.CheckWrittenOptions(n) == ""; got != ok {
					t.Errorf("CheckWrittenOptions(%d) accepts = %v, want %v", n, got, ok)
				}
			}
			for n, ok := range w.stored {
				if got := k.checkOptions(n) == nil; got != ok {
					t.Errorf("checkOptions(%d) accepts = %v, want %v", n, got, ok)
				}
			}
		})
	}
}

func TestKindNamesAreReadAndListed(t *testing.T) {
	tests := []struct {
		name, in string
		want     QuestionKind
		ok       bool
	}{
		{"a lower-case name is read", "likert", Likert, true},
		{"an upper-case name with spaces is read", " TrueFalse ", TrueFalse, true},
		{"an unknown name is refused", "ordering", "ordering", false},
		{"an empty name is refused", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseQuestionKind(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseQuestionKind(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	if got, want := KindNames("or"), "single, multiple, truefalse, likert or text"; got != want {
		t.Errorf("KindNames(or) = %q, want %q", got, want)
	}
}

func TestTickedBoxesAreReadAsTheQuestionsOptions(t *testing.T) {
	single := Question{ID: "q1", Kind: Single, Options: []Option{{ID: "o1"}, {ID: "o2"}, {ID: "o3"}}}
	multiple := Question{ID: "q2", Kind: Multiple, Options: []Option{{ID: "m1"}, {ID: "m2"}, {ID: "m3"}}}
	trueFalse := Question{ID: "q3", Kind: TrueFalse, Options: []Option{{ID: "t"}, {ID: "f"}}}
	likert := Question{ID: "q4", Kind: Likert}
	text := Question{ID: "q5", Kind: Text}
	tests := []struct {
		name    string
		q       Question
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
			got, err := tt.q.Kind.ParseBox(tt.q, tt.boxes)
			if (err != nil) != tt.bad {
				t.Fatalf("ParseBox(%q) error = %v, want error %v", tt.boxes, err, tt.bad)
			}
			if tt.bad {
				return
			}
			if !slices.Equal(got.OptionIDs, tt.options) || got.Value != tt.value {
				t.Errorf("ParseBox(%q) = %v / %d, want %v / %d", tt.boxes, got.OptionIDs, got.Value, tt.options, tt.value)
			}
		})
	}
}

func TestEachKindKeepsItsCanonicalAnswer(t *testing.T) {
	single := Question{ID: "q1", Kind: Single, Options: opts("a", "b", "c")}
	multiple := Question{ID: "q2", Kind: Multiple, Options: opts("a", "b", "c")}
	likert := Question{ID: "q3", Kind: Likert, Options: likertOptions()}
	text := Question{ID: "q4", Kind: Text}
	tests := []struct {
		name string
		q    Question
		in   Answer
		want Answer
		bad  bool
	}{
		{"a single choice keeps its option", single, Answer{OptionIDs: []string{"b"}}, Answer{OptionIDs: []string{"b"}}, false},
		{"a single choice refuses two options", single, Answer{OptionIDs: []string{"a", "b"}}, Answer{}, true},
		{"a choice refuses a value", single, Answer{Value: 2}, Answer{}, true},
		{"a choice refuses an option it lacks", single, Answer{OptionIDs: []string{"z"}}, Answer{}, true},
		{"a multiple choice sorts and dedupes its options", multiple, Answer{OptionIDs: []string{"c", "a", "c"}}, Answer{OptionIDs: []string{"a", "c"}}, false},
		{"a scale keeps its value", likert, Answer{Value: 5}, Answer{Value: 5}, false},
		{"a scale refuses 0 and 6", likert, Answer{Value: 6}, Answer{}, true},
		{"a scale refuses options", likert, Answer{OptionIDs: []string{"1"}, Value: 1}, Answer{}, true},
		{"free text is trimmed", text, Answer{Text: "  góp ý  "}, Answer{Text: "góp ý"}, false},
		{"free text refuses a value", text, Answer{Value: 1}, Answer{}, true},
		{"free text refuses more than the limit", text, Answer{Text: strings.Repeat("a", MaxTextAnswer+1)}, Answer{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.QuestionID, tt.want.QuestionID = tt.q.ID, tt.q.ID
			got, err := tt.q.Kind.Canonical(tt.q, tt.in)
			if (err != nil) != tt.bad {
				t.Fatalf("Canonical(%+v) error = %v, want error %v", tt.in, err, tt.bad)
			}
			if err != nil {
				if apperr.CodeOf(err) != apperr.Validation {
					t.Errorf("Canonical(%+v) error code = %v, want validation", tt.in, apperr.CodeOf(err))
				}
				return
			}
			if !slices.Equal(got.OptionIDs, tt.want.OptionIDs) || got.Value != tt.want.Value || got.Text != tt.want.Text {
				t.Errorf("Canonical(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestEachKindGradesOneAnswer(t *testing.T) {
	multiple := Question{ID: "q1", Kind: Multiple, Options: opts("a", "b", "c"), CorrectOptionIDs: []string{"c", "a"}}
	void := multiple
	void.Void = true
	likert := Question{ID: "q2", Kind: Likert, Options: likertOptions(), CorrectOptionIDs: []string{"5"}}
	tests := []struct {
		name            string
		q               Question
		a               Answer
		scored, correct bool
		key             []string
	}{
		{"exactly the correct options are right", multiple, Answer{OptionIDs: []string{"a", "c"}}, true, true, []string{"a", "c"}},
		{"part of the correct options is wrong", multiple, Answer{OptionIDs: []string{"a"}}, true, false, []string{"a", "c"}},
		{"a void question is right whatever the answer", void, Answer{}, true, true, []string{"a", "c"}},
		{"a scale is not scored even with a key", likert, Answer{Value: 5}, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scored, correct, key := tt.q.Kind.Grade(tt.q, tt.a)
			if scored != tt.scored || correct != tt.correct || !slices.Equal(key, tt.key) {
				t.Errorf("Grade(%+v) = %v, %v, %v, want %v, %v, %v", tt.a, scored, correct, key, tt.scored, tt.correct, tt.key)
			}
		})
	}
}

func TestAnImportRowsKeyIsReadByItsKind(t *testing.T) {
	tests := []struct {
		name string
		k    QuestionKind
		cell string
		cols []int
		want []int
		bad  bool
	}{
		{"a single choice names its option's column", Single, "3", []int{1, 2, 3}, []int{2}, false},
		{"a column past a blank one maps to its option", Single, "4", []int{1, 2, 4}, []int{2}, false},
		{"a single choice refuses two columns", Single, "1,3", []int{1, 2, 3}, nil, true},
		{"a multiple choice takes several columns", Multiple, "1;3", []int{1, 2, 3}, []int{0, 2}, false},
		{"a column written twice is refused", Multiple, "1,1", []int{1, 2}, nil, true},
		{"a blank column is refused", Multiple, "3", []int{1, 2}, nil, true},
		{"a word is refused for a choice", Single, "hai", []int{1, 2}, nil, true},
		{"Đúng is the first option of a true/false pair", TrueFalse, "Đúng", nil, []int{0}, false},
		{"sai is the second", TrueFalse, "sai", nil, []int{1}, false},
		{"a true/false key other than Đúng or Sai is refused", TrueFalse, "có", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := tt.k.ParseKey(tt.cell, tt.cols)
			if (msg != "") != tt.bad {
				t.Fatalf("ParseKey(%q) message = %q, want a message %v", tt.cell, msg, tt.bad)
			}
			if !tt.bad && !slices.Equal(got, tt.want) {
				t.Errorf("ParseKey(%q) = %v, want %v", tt.cell, got, tt.want)
			}
		})
	}
}
