package localgw_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/nq58/tracker/internal/localgw"
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
	t *testing.T
	testenv.Demo
}

func newEnv(t *testing.T) *env {
	t.Helper()
	// Residents come from many addresses (none here set one), so the gateway keeps the
	// address a request carries, as in internal/e2e.
	d := testenv.NewDemo(t, func(o *localgw.StackOptions) { o.KeepViewerAddress = true })
	return &env{t: t, Demo: d}
}

// post sends a JSON body and returns the status and the body of the answer.
func (e *env) post(path string, body any) (int, []byte) {
	e.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.Post(e.URL+path, "application/json", bytes.NewReader(raw))
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

type startBody = testenv.StartBody

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
	return testenv.Resident(unitID, phone, clientID)
}

// answers answers every question: correctly when right is true, else with a wrong option.
func (e *env) answers(quizID string, qs []attempts.PublicQuestion, right bool) []map[string]any {
	e.t.Helper()
	return testenv.Answers(e.t, e.Bank[quizID], qs, right)
}

func (e *env) submit(attemptID, token string, answers []map[string]any) (int, []byte) {
	e.t.Helper()
	return e.post("/v1/attempts/"+attemptID+"/submit", map[string]any{"attemptToken": token, "answers": answers})
}
