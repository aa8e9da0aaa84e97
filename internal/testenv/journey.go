package testenv

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
)

// What the tests that play residents over HTTP share: the product on the demo data behind
// a test server, the body of a start, and answers right or wrong from the demo's keys.

// Demo is the product served over HTTP by the local gateway on a fresh table with the
// demo data loaded.
type Demo struct {
	Stack *localgw.Stack
	Clock *Clock
	URL   string
	Bank  map[string]quiz.Quiz // demo quizzes with their keys, to answer correctly
}

// NewDemo starts the product at 09:00 on 20 November 2026 (Vietnam time), with its
// options changed by edit (nil: none), and stops it when the test ends.
func NewDemo(t testing.TB, edit func(*localgw.StackOptions)) Demo {
	t.Helper()
	clock := NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, quiz.VietnamTime))
	stack := StackWith(t, clock.Now, edit)
	if _, err := demo.Load(context.Background(), stack.Store); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	srv := httptest.NewServer(stack.Gateway)
	t.Cleanup(srv.Close)
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	bank := map[string]quiz.Quiz{}
	for _, q := range qs {
		bank[q.ID] = q
	}
	return Demo{Stack: stack, Clock: clock, URL: srv.URL, Bank: bank}
}

// StartBody is the body of POST /v1/quizzes/{quizId}/attempts as the page sends it.
type StartBody struct {
	Participant map[string]any `json:"participant"`
	Consent     bool           `json:"consent"`
	ClientID    string         `json:"clientId"`
	// ClientToken is the previous start's clientToken, as the page sends it.
	ClientToken string `json:"clientToken,omitempty"`
}

// Resident is the start of a resident of a village: anonymous without a phone, else
// named, with the phone and consent.
func Resident(unitID, phone, clientID string) StartBody {
	p := map[string]any{"unitId": unitID}
	if phone != "" {
		p["name"], p["phone"] = "Nguyễn Thị Hoa", phone
	}
	return StartBody{Participant: p, Consent: phone != "", ClientID: clientID}
}

// Answers answers every question drawn from q: correctly when right is true, else with a
// wrong option; Likert and text questions get a fixed answer.
func Answers(t testing.TB, q quiz.Quiz, drawn []attempts.PublicQuestion, right bool) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, pq := range drawn {
		qu, ok := q.Question(pq.ID)
		if !ok {
			t.Fatalf("question %s not in the bank", pq.ID)
		}
		switch qu.Kind {
		case quiz.Likert:
			out = append(out, map[string]any{"questionId": qu.ID, "value": 4})
		case quiz.Text:
			out = append(out, map[string]any{"questionId": qu.ID, "text": "Tăng thời lượng phát thanh ở thôn"})
		default:
			ids := qu.CorrectOptionIDs
			if !right || len(ids) == 0 {
				ids = []string{WrongOption(qu)}
			}
			out = append(out, map[string]any{"questionId": qu.ID, "optionIds": ids})
		}
	}
	return out
}

// WrongOption is the first option of q that is not in its key.
func WrongOption(q quiz.Question) string {
	for _, o := range q.Options {
		isKey := false
		for _, c := range q.CorrectOptionIDs {
			isKey = isKey || c == o.ID
		}
		if !isKey {
			return o.ID
		}
	}
	return q.Options[0].ID
}

// AssertCounters fails the test unless the counters are the same, field by field.
func AssertCounters(t testing.TB, got, want []aggregate.Counter) {
	t.Helper()
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("counters\n got %s\nwant %s", a, b)
	}
}
