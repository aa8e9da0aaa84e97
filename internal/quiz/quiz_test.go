package quiz

// Tests of the quiz definition (quiz.go): validation and its small helpers.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
	"github.com/nq58/tracker/internal/contest"
)

func TestQuizValidateAcceptsValidQuizzes(t *testing.T) {
	tests := []struct {
		name   string
		modify func(q *Quiz)
	}{
		{"a quiz with one question of every kind passes", func(q *Quiz) {}},
		{"a contest passes", func(q *Quiz) {
			q.Kind = KindContest
			q.Contest = &contest.Config{Rounds: []contest.Round{{ID: "r1", OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour)}},
				Prizes: []contest.Prize{{Tier: "Nhất", Count: 1}}}
			q.Contest.Prediction.Text = "Bao nhiêu lượt dự thi?"
		}},
		{"a quiz with no dates passes", func(q *Quiz) { q.OpensAt, q.ClosesAt = time.Time{}, time.Time{} }},
		{"a quiz with only a closing date passes", func(q *Quiz) { q.OpensAt = time.Time{} }},
		{"a quiz drawing every question of its bank passes", func(q *Quiz) { q.DrawCount = len(q.Questions) }},
		{"a pass mark of 0 (the default) passes", func(q *Quiz) { q.PassPercent = 0 }},
		{"a survey without correct answers or points passes", func(q *Quiz) {
			q.Kind = KindSurvey
			for i := range q.Questions {
				q.Questions[i].CorrectOptionIDs = nil
				q.Questions[i].Points = 0
				q.Questions[i].Topic = ""
			}
		}},
		{"a title of exactly 300 Vietnamese characters passes", func(q *Quiz) { q.Title = strings.Repeat("ệ", 300) }},
		{"a draft without questions yet passes (they come by import)", func(q *Quiz) { q.Status, q.Questions, q.DrawCount = Draft, nil, 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := validQuiz()
			tt.modify(&q)
			if err := q.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestQuizValidateRejectsInvalidQuizzes(t *testing.T) {
	// question returns the fixture's question with the given id, to change in place.
	question := func(q *Quiz, id string) *Question {
		return &q.Questions[slices.IndexFunc(q.Questions, func(qu Question) bool { return qu.ID == id })]
	}
	tests := []struct {
		name   string
		modify func(q *Quiz)
	}{
		{"a quiz without id fails", func(q *Quiz) { q.ID = "" }},
		{"a contest round named with a control character fails", func(q *Quiz) {
			q.Kind = KindContest
			q.Contest = &contest.Config{Rounds: []contest.Round{{ID: "r1", Name: "Vòng\u00071", OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour)}}}
			q.Contest.Prediction.Text = "Bao nhiêu lượt dự thi?"
		}},
		{"a quiz of an unknown kind fails", func(q *Quiz) { q.Kind = "exam" }},
		{"a quiz without title fails", func(q *Quiz) { q.Title = "" }},
		{"a title of 301 characters fails", func(q *Quiz) { q.Title = strings.Repeat("ệ", 301) }},
		{"a quiz without questions fails", func(q *Quiz) { q.Questions = nil }},
		{"a published quiz without questions fails", func(q *Quiz) { q.Status, q.Questions, q.DrawCount = Published, nil, 0 }},
		{"a quiz with two questions of the same id fails", func(q *Quiz) { question(q, "s2").ID = "s1" }},
		{"a question without id fails", func(q *Quiz) { question(q, "s2").ID = "" }},
		{"a drawCount above the number of questions fails", func(q *Quiz) { q.DrawCount = len(q.Questions) + 1 }},
		{"a negative drawCount fails", func(q *Quiz) { q.DrawCount = -1 }},
		{"a negative time limit fails", func(q *Quiz) { q.TimeLimitSec = -1 }},
		{"a pass mark above 100 fails", func(q *Quiz) { q.PassPercent = 101 }},
		{"a negative pass mark fails", func(q *Quiz) { q.PassPercent = -1 }},
		{"closesAt before opensAt fails", func(q *Quiz) { q.ClosesAt = q.OpensAt.Add(-time.Hour) }},
		{"closesAt equal to opensAt fails", func(q *Quiz) { q.ClosesAt = q.OpensAt }},
		{"a question without text fails", func(q *Quiz) { question(q, "s1").Text = "" }},
		{"a question of an unknown kind fails", func(q *Quiz) { question(q, "s1").Kind = "essay" }},
		{"a single question with two correct options fails", func(q *Quiz) { question(q, "s1").CorrectOptionIDs = []string{"a", "b"} }},
		{"a single question with no correct option fails", func(q *Quiz) { question(q, "s1").CorrectOptionIDs = nil }},
		{"a true/false question with two correct options fails", func(q *Quiz) { question(q, "t1").CorrectOptionIDs = []string{"true", "false"} }},
		{"a multiple question with no correct option fails", func(q *Quiz) { question(q, "m1").CorrectOptionIDs = nil }},
		{"a correct option that is not an option fails", func(q *Quiz) { question(q, "s1").CorrectOptionIDs = []string{"z"} }},
		{"topic f (the plan has none) fails", func(q *Quiz) { question(q, "s1").Topic = "f" }},
		{"a scored question without topic fails", func(q *Quiz) { question(q, "s1").Topic = "" }},
		{"a scored question without points fails", func(q *Quiz) { question(q, "s1").Points = 0 }},
		{"a single question with one option fails", func(q *Quiz) {
			s := question(q, "s1")
			s.Options = opts("b")
		}},
		{"a single question with 13 options fails", func(q *Quiz) {
			s := question(q, "s1")
			s.Options = opts("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m")
		}},
		{"two options with the same id fail", func(q *Quiz) { question(q, "s1").Options = opts("a", "b", "b") }},
		{"an option without text fails", func(q *Quiz) { question(q, "s1").Options[0].Text = "" }},
		{"an option without id fails", func(q *Quiz) { question(q, "l1").Options[0].ID = "" }},
		{"a likert question with 4 options fails", func(q *Quiz) { question(q, "l1").Options = opts("1", "2", "3", "4") }},
		{"a likert question with 6 options fails", func(q *Quiz) { question(q, "l1").Options = opts("1", "2", "3", "4", "5", "6") }},
		{"a text question with options fails", func(q *Quiz) { question(q, "x1").Options = opts("a", "b") }},
		{"a survey question with a correct answer fails", func(q *Quiz) {
			q.Kind = KindSurvey
			for i := range q.Questions {
				if q.Questions[i].ID != "s1" {
					q.Questions[i].CorrectOptionIDs = nil
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := validQuiz()
			tt.modify(&q)
			apperrtest.WantCode(t, q.Validate(), apperr.Validation, "Validate()")
		})
	}
}

func TestQuizHelpers(t *testing.T) {
	t.Run("the pass mark defaults to 50 and is kept otherwise", func(t *testing.T) {
		for _, tt := range []struct{ in, want int }{{0, 50}, {-3, 50}, {1, 1}, {80, 80}, {100, 100}} {
			q := Quiz{PassPercent: tt.in}
			if got := q.Pass(); got != tt.want {
				t.Errorf("Quiz{PassPercent: %d}.Pass() = %d, want %d", tt.in, got, tt.want)
			}
		}
	})
	t.Run("the question count is drawCount when it draws a subset, else the bank size", func(t *testing.T) {
		for _, tt := range []struct{ draw, want int }{{0, 20}, {10, 10}, {20, 20}, {25, 20}} {
			q := bank(20, false, tt.draw)
			if got := q.QuestionCount(); got != tt.want {
				t.Errorf("QuestionCount() with drawCount %d of 20 = %d, want %d", tt.draw, got, tt.want)
			}
		}
	})
	t.Run("a quiz is open from opensAt up to but not including closesAt, when published", func(t *testing.T) {
		q := validQuiz()
		tests := []struct {
			name   string
			status Status
			at     time.Time
			want   bool
		}{
			{"just before opening", Published, q.OpensAt.Add(-time.Second), false},
			{"at opening", Published, q.OpensAt, true},
			{"in the middle", Published, q.OpensAt.Add(24 * time.Hour), true},
			{"at closing", Published, q.ClosesAt, false},
			{"a draft in the middle", Draft, q.OpensAt.Add(24 * time.Hour), false},
			{"a closed quiz in the middle", Closed, q.OpensAt.Add(24 * time.Hour), false},
		}
		for _, tt := range tests {
			q.Status = tt.status
			if got := q.IsOpen(tt.at); got != tt.want {
				t.Errorf("%s: IsOpen(%v) = %v, want %v", tt.name, tt.at, got, tt.want)
			}
		}
	})
}

func TestEveryTopicHasALabel(t *testing.T) {
	for _, code := range Topics {
		if TopicLabels[code] == "" {
			t.Errorf("topic %q has no label", code)
		}
	}
	if len(TopicLabels) != len(Topics) {
		t.Errorf("TopicLabels has %d entries, Topics %d", len(TopicLabels), len(Topics))
	}
}

func TestQuizPhaseAt(t *testing.T) {
	at := time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	h := time.Hour
	contestOf := func(rounds ...[2]time.Duration) Quiz {
		q := Quiz{Kind: KindContest, Status: Published, Contest: &contest.Config{}}
		for i, r := range rounds {
			q.Contest.Rounds = append(q.Contest.Rounds, contest.Round{ID: "r" + string(rune('1'+i)), OpensAt: at.Add(r[0]), ClosesAt: at.Add(r[1])})
		}
		return q
	}
	tests := []struct {
		name string
		q    Quiz
		want Phase
	}{
		{"a quiz with no dates is open", Quiz{Kind: KindQuiz, Status: Published}, PhaseOpen},
		{"a quiz before its opening is upcoming", Quiz{Kind: KindQuiz, Status: Published, OpensAt: at.Add(h)}, PhaseUpcoming},
		{"a quiz past its closing has ended", Quiz{Kind: KindQuiz, Status: Published, ClosesAt: at.Add(-h)}, PhaseEnded},
		{"a quiz its organiser closed has ended", Quiz{Kind: KindQuiz, Status: Closed}, PhaseEnded},
		{"a contest in its round is open", contestOf([2]time.Duration{-h, h}), PhaseOpen},
		{"a contest before its first round is upcoming", contestOf([2]time.Duration{h, 2 * h}), PhaseUpcoming},
		{"a contest between two rounds is upcoming", contestOf([2]time.Duration{-2 * h, -h}, [2]time.Duration{h, 2 * h}), PhaseUpcoming},
		{"a contest after its last round has ended", contestOf([2]time.Duration{-2 * h, -h}), PhaseEnded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.PhaseAt(at); got != tt.want {
				t.Errorf("PhaseAt = %q, want %q", got, tt.want)
			}
		})
	}
}
