package quiz_test

import (
	"testing"

	"github.com/nq58/tracker/internal/quiz"
)

func TestAQuizIsStoredInNFC(t *testing.T) {
	nfd := "Nghi\u0323 quye\u0302\u0301t"
	q := quiz.Quiz{Title: nfd, Description: nfd, Questions: []quiz.Question{{Text: nfd, Options: []quiz.Option{{ID: "a", Text: nfd}}}}}
	got := q.InNFC()
	want := "Nghị quyết"
	if got.Title != want || got.Description != want || got.Questions[0].Text != want || got.Questions[0].Options[0].Text != want {
		t.Errorf("InNFC = %+v, want every text %+q", got, want)
	}
	if q.Questions[0].Options[0].Text != nfd {
		t.Errorf("InNFC changed the caller's quiz: %+q", q.Questions[0].Options[0].Text)
	}
}
