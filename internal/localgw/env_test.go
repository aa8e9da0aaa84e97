package localgw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"
)

// The gateway's own tests (streams, dead letters, outage) need attempts to flow through
// it; these few helpers make them. The product's scenarios, with the full set of
// helpers, are in internal/e2e.

const (
	demoQuiz = "demo-nq58-quiz"
	village  = "xa-a-t01"
	village2 = "xa-b-t02"
)

// env is the stack served over HTTP by the local gateway on a fresh table with the demo data.
type env struct {
	t     *testing.T
	stack *localgw.Stack
	clock *testenv.Clock
	url   string
	bank  map[string]quiz.Quiz // demo quizzes with their keys, to answer correctly
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := testenv.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, quiz.VietnamTime))
	// Residents come from many addresses (none here set one), so the gateway keeps the
	// address a request carries, as in internal/e2e.
	stack := testenv.StackWith(t, clock.Now, func(o *localgw.StackOptions) { o.KeepViewerAddress = true })
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
	return &env{t: t, stack: stack, clock: clock, url: srv.URL, bank: bank}
}

// post sends a JSON body and returns the status and the body of the answer.
func (e *env) post(path string, body any) (int, []byte) {
	e.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.Post(e.url+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}

type startBody struct {
	Participant map[string]any `json:"participant"`
	Consent     bool           `json:"consent"`
	ClientID    string         `json:"clientId"`
}

// start begins an attempt and fails the test unless it is created.
func (e *env) start(quizID string, body startBody) attempts.StartResponse {
	e.t.Helper()
	status, raw := e.post("/v1/quizzes/"+quizID+"/attempts", body)
	if status != http.StatusCreated {
		e.t.Fatalf("start attempt: status %d, body %s", status, raw)
	}
	var s attempts.StartResponse
	if err := json.Unmarshal(raw, &s); err != nil {
		e.t.Fatalf("decode %s: %v", raw, err)
	}
	return s
}

func resident(unitID, phone, clientID string) startBody {
	p := map[string]any{"unitId": unitID}
	if phone != "" {
		p["name"], p["phone"] = "Nguyễn Thị Hoa", phone
	}
	return startBody{Participant: p, Consent: phone != "", ClientID: clientID}
}

// answers answers every question: correctly when right is true, else with a wrong option.
func (e *env) answers(quizID string, qs []attempts.PublicQuestion, right bool) []map[string]any {
	e.t.Helper()
	var out []map[string]any
	for _, pq := range qs {
		q, ok := e.bank[quizID].Question(pq.ID)
		if !ok {
			e.t.Fatalf("question %s not in the bank", pq.ID)
		}
		switch q.Kind {
		case quiz.Likert:
			out = append(out, map[string]any{"questionId": q.ID, "value": 4})
		case quiz.Text:
			out = append(out, map[string]any{"questionId": q.ID, "text": "Tăng thời lượng phát thanh ở thôn"})
		default:
			ids := q.CorrectOptionIDs
			if !right || len(ids) == 0 {
				ids = []string{wrongOption(q)}
			}
			out = append(out, map[string]any{"questionId": q.ID, "optionIds": ids})
		}
	}
	return out
}

func wrongOption(q quiz.Question) string {
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

func (e *env) submit(attemptID, token string, answers []map[string]any) (int, []byte) {
	e.t.Helper()
	return e.post("/v1/attempts/"+attemptID+"/submit", map[string]any{"attemptToken": token, "answers": answers})
}

// assertCounters fails the test unless the counters are the same, field by field.
func assertCounters(t *testing.T, got, want []aggregate.Counter) {
	t.Helper()
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("counters\n got %s\nwant %s", a, b)
	}
}
