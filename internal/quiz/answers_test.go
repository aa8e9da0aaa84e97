package quiz

// Tests of CheckAnswers and HashAnswers (attempt.go): answers are checked, put in
// canonical form and hashed.

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
)

func TestCheckAnswersRejects(t *testing.T) {
	questions := validQuiz().Questions
	tests := []struct {
		name    string
		answers []Answer
	}{
		{"a question not in the attempt is rejected", []Answer{{QuestionID: "zz", OptionIDs: []string{"a"}}}},
		{"an option not in the question is rejected", []Answer{{QuestionID: "s1", OptionIDs: []string{"z"}}}},
		{"two options on a single question are rejected", []Answer{{QuestionID: "s1", OptionIDs: []string{"a", "b"}}}},
		{"two options on a true/false question are rejected", []Answer{{QuestionID: "t1", OptionIDs: []string{"true", "false"}}}},
		{"a value on a single question is rejected", []Answer{{QuestionID: "s1", Value: 2}}},
		{"a text on a multiple question is rejected", []Answer{{QuestionID: "m1", Text: "a"}}},
		{"likert value 0 is rejected", []Answer{{QuestionID: "l1", Value: 0}}},
		{"likert value 6 is rejected", []Answer{{QuestionID: "l1", Value: 6}}},
		{"likert option ids are rejected", []Answer{{QuestionID: "l1", Value: 3, OptionIDs: []string{"3"}}}},
		{"text of 501 characters is rejected", []Answer{{QuestionID: "x1", Text: strings.Repeat("ệ", 501)}}},
		{"text that is not UTF-8 is rejected", []Answer{{QuestionID: "x1", Text: "bad \xff byte"}}},
		{"a value on a text question is rejected", []Answer{{QuestionID: "x1", Value: 1, Text: "ok"}}},
		{"two answers to one question are rejected", []Answer{
			{QuestionID: "s1", OptionIDs: []string{"a"}},
			{QuestionID: "s1", OptionIDs: []string{"a"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckAnswers(questions, tt.answers)
			if got != nil {
				t.Errorf("CheckAnswers(%v) = %v, want nil", tt.answers, got)
			}
			apperrtest.WantCode(t, err, apperr.Validation, fmt.Sprintf("CheckAnswers(%v)", tt.answers))
		})
	}
}

func TestCheckAnswersCanonicalForm(t *testing.T) {
	questions := validQuiz().Questions
	t.Run("exactly 500 Vietnamese characters of text pass", func(t *testing.T) {
		text := strings.Repeat("ệ", MaxTextAnswer)
		got, err := CheckAnswers(questions, []Answer{{QuestionID: "x1", Text: text}})
		if err != nil {
			t.Fatalf("CheckAnswers(500 × ệ) error = %v, want nil", err)
		}
		if want := []Answer{{QuestionID: "x1", Text: text}}; !reflect.DeepEqual(got, want) {
			t.Errorf("CheckAnswers(500 × ệ) = %v, want the text unchanged", got)
		}
	})
	t.Run("options are sorted and de-duplicated, answers follow question order and blanks are dropped", func(t *testing.T) {
		in := []Answer{
			{QuestionID: "x1", Text: "  cảm ơn  "},
			{QuestionID: "l1", Value: 4},
			{QuestionID: "t1"},
			{QuestionID: "m1", OptionIDs: []string{"c", "a", "c"}},
			{QuestionID: "s2", OptionIDs: []string{"a", "a"}},
			{QuestionID: "s1", OptionIDs: []string{"b"}},
		}
		want := []Answer{
			{QuestionID: "s1", OptionIDs: []string{"b"}},
			{QuestionID: "m1", OptionIDs: []string{"a", "c"}},
			{QuestionID: "s2", OptionIDs: []string{"a"}},
			{QuestionID: "l1", Value: 4},
			{QuestionID: "x1", Text: "cảm ơn"},
		}
		got, err := CheckAnswers(questions, in)
		if err != nil {
			t.Fatalf("CheckAnswers error = %v, want nil", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("CheckAnswers =\n%v\nwant\n%v", got, want)
		}
		if got, want := in[3].OptionIDs, []string{"c", "a", "c"}; !slices.Equal(got, want) {
			t.Errorf("CheckAnswers changed its input's option ids to %v, want %v", got, want)
		}
	})
	t.Run("a text of spaces only is dropped as blank", func(t *testing.T) {
		got, err := CheckAnswers(questions, []Answer{{QuestionID: "x1", Text: "   "}, {QuestionID: "s1", OptionIDs: []string{}}})
		if err != nil {
			t.Fatalf("CheckAnswers error = %v, want nil", err)
		}
		if len(got) != 0 {
			t.Errorf("CheckAnswers(blank answers) = %v, want none", got)
		}
	})
	t.Run("no answers at all is valid and empty", func(t *testing.T) {
		got, err := CheckAnswers(questions, nil)
		if err != nil || len(got) != 0 {
			t.Errorf("CheckAnswers(nil) = %v, %v, want empty, nil", got, err)
		}
	})
}

func TestHashAnswers(t *testing.T) {
	base := func() []Answer {
		return []Answer{
			{QuestionID: "s1", OptionIDs: []string{"b"}},
			{QuestionID: "m1", OptionIDs: []string{"a", "c"}},
			{QuestionID: "l1", Value: 4},
			{QuestionID: "x1", Text: "cảm ơn"},
		}
	}
	want := HashAnswers(base())
	t.Run("the same canonical answers hash the same", func(t *testing.T) {
		if got := HashAnswers(base()); got != want {
			t.Errorf("HashAnswers(same answers) = %q, want %q", got, want)
		}
		if len(want) != 64 {
			t.Errorf("len(HashAnswers) = %d, want 64 hex characters", len(want))
		}
	})
	t.Run("answers equal after canonicalisation hash the same", func(t *testing.T) {
		questions := validQuiz().Questions
		a, errA := CheckAnswers(questions, []Answer{{QuestionID: "m1", OptionIDs: []string{"c", "a"}}, {QuestionID: "s1", OptionIDs: []string{"b"}}})
		b, errB := CheckAnswers(questions, []Answer{{QuestionID: "s1", OptionIDs: []string{"b"}}, {QuestionID: "m1", OptionIDs: []string{"a", "c", "a"}}})
		if errA != nil || errB != nil {
			t.Fatalf("CheckAnswers errors = %v, %v", errA, errB)
		}
		if ha, hb := HashAnswers(a), HashAnswers(b); ha != hb {
			t.Errorf("HashAnswers(%v) = %q, HashAnswers(%v) = %q, want equal", a, ha, b, hb)
		}
	})
	changes := []struct {
		name   string
		modify func(a []Answer) []Answer
	}{
		{"a different option changes the hash", func(a []Answer) []Answer { a[0].OptionIDs = []string{"c"}; return a }},
		{"an extra option changes the hash", func(a []Answer) []Answer { a[1].OptionIDs = []string{"a", "b", "c"}; return a }},
		{"option ids joined differently change the hash", func(a []Answer) []Answer { a[1].OptionIDs = []string{"ac"}; return a }},
		{"a missing option changes the hash", func(a []Answer) []Answer { a[1].OptionIDs = []string{"a"}; return a }},
		{"options moved between questions change the hash", func(a []Answer) []Answer {
			a[0].OptionIDs = []string{"b", "a"}
			a[1].OptionIDs = []string{"c"}
			return a
		}},
		{"a different likert value changes the hash", func(a []Answer) []Answer { a[2].Value = 5; return a }},
		{"a different question id changes the hash", func(a []Answer) []Answer { a[0].QuestionID = "s2"; return a }},
		{"a dropped answer changes the hash", func(a []Answer) []Answer { return a[:3] }},
		{"no answers changes the hash", func(a []Answer) []Answer { return nil }},
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			changed := tt.modify(base())
			if got := HashAnswers(changed); got == want {
				t.Errorf("HashAnswers(%v) = %q, the same as for %v", changed, got, base())
			}
		})
	}
}

func TestTheAnswersDigestLeavesFreeTextOut(t *testing.T) {
	choices := []Answer{{QuestionID: "s1", OptionIDs: []string{"b"}}, {QuestionID: "m1", OptionIDs: []string{"a", "c"}}, {QuestionID: "l1", Value: 4}}
	withPhone := []Answer{{QuestionID: "s1", OptionIDs: []string{"b"}}, {QuestionID: "x1", Text: "0912345678"}}
	// Digests as commit 0ff33b6 stored them (unkeyed SHA-256 over the text too).
	const storedChoices = "4587443734f2420f9c28dfc93815fd4d3e137c565bfa804cf3dd4ae4a30d01df"
	const storedWithPhone = "ab0935d06b1bf96245fa602b4be09924e695fe2ed677aa967196ebf26534b3bd"

	t.Run("answers without free text keep the digest stored before", func(t *testing.T) {
		if got := HashAnswers(choices); got != storedChoices {
			t.Errorf("HashAnswers = %s, want the stored %s", got, storedChoices)
		}
	})
	t.Run("a phone typed into a free-text answer is not in the digest", func(t *testing.T) {
		other := slices.Clone(withPhone)
		other[1].Text = "0987654321"
		if a, b := HashAnswers(withPhone), HashAnswers(other); a != b || a == storedWithPhone {
			t.Errorf("digests %s and %s (stored before: %s): want equal, and not the one over the text", a, b, storedWithPhone)
		}
	})
	cases := []struct {
		name    string
		stored  Attempt
		answers []Answer
		same    bool
	}{
		{"a resend of an attempt stored before, with its text, is the same", Attempt{AnswersHash: storedWithPhone, Answers: withPhone}, withPhone, true},
		{"a resend of an attempt stored now, with its text, is the same", Attempt{AnswersHash: HashAnswers(withPhone), Answers: withPhone}, withPhone, true},
		{"another text is not the same", Attempt{AnswersHash: HashAnswers(withPhone), Answers: withPhone},
			[]Answer{withPhone[0], {QuestionID: "x1", Text: "khác"}}, false},
		{"a text dropped is not the same", Attempt{AnswersHash: HashAnswers(withPhone), Answers: withPhone}, withPhone[:1], false},
		{"other choices are not the same", Attempt{AnswersHash: storedChoices, Answers: choices}, withPhone[:1], false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SameAnswers(c.stored, c.answers); got != c.same {
				t.Errorf("sameAnswers = %v, want %v", got, c.same)
			}
		})
	}
}
