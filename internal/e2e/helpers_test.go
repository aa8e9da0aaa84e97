package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"
)

const (
	demoQuiz   = "demo-nq58-quiz"
	demoSurvey = "demo-nq58-survey"
	village    = "xa-a-t01"
	village2   = "xa-b-t02"
)

// env is the product served over HTTP by the local gateway on a fresh table.
type env struct {
	t *testing.T
	testenv.Demo
}

func newEnv(t *testing.T) *env {
	t.Helper()
	// The tests act as many residents, each from its own address (env.from sets
	// CloudFront-Viewer-Address), so the gateway keeps the address a request carries.
	return newEnvWith(t, func(o *localgw.StackOptions) { o.KeepViewerAddress = true })
}

// newEnvAsCloudFront is newEnv with a gateway that sets the viewer address from the
// connection whatever the client wrote, as CloudFront does (and `make run`).
func newEnvAsCloudFront(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

func newEnvWith(t *testing.T, edit func(*localgw.StackOptions)) *env {
	t.Helper()
	d := testenv.NewDemo(t, edit)
	return &env{t: t, Demo: d}
}

// call sends a request with a JSON (or raw []byte / string) body and returns status and body.
func (e *env) call(method, path string, body any) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}

func decodeJSON[T any](t *testing.T, raw []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

type startBody = testenv.StartBody

// start begins an attempt and fails the test unless it is created.
func (e *env) start(quizID string, body startBody) attempts.StartResponse {
	e.t.Helper()
	status, raw := e.call("POST", "/v1/quizzes/"+quizID+"/attempts", body)
	if status != http.StatusCreated {
		e.t.Fatalf("start attempt: status %d, body %s", status, raw)
	}
	return decodeJSON[attempts.StartResponse](e.t, raw)
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
	return e.call("POST", "/v1/attempts/"+attemptID+"/submit", map[string]any{"attemptToken": token, "answers": answers})
}

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

// signIn uses the development sign-in as the staff page does.
func signIn(t *testing.T, base, user string) string {
	t.Helper()
	resp, err := http.Post(base+"/local/signin", "application/json", strings.NewReader(`{"username":"`+user+`","password":"demo1234"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.Token == "" {
		t.Fatalf("sign in as %s: status %d, %v", user, resp.StatusCode, err)
	}
	return out.Token
}

// typed is a request body sent as it is, with its content type ("" sends none): a CSV or
// XLSX file, or a body the JSON encoding would not make.
type typed struct {
	contentType string
	body        []byte
}

// staffRequest sends a request with a staff token (none when token is "") and, unless
// body is nil, a body: typed as it is, anything else as JSON. It returns the status, the
// body and the headers of the answer.
func staffRequest(t *testing.T, base, token, method, path string, body any) (int, []byte, http.Header) {
	t.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case typed:
		rd, contentType = bytes.NewReader(b.body), b.contentType
	default:
		rd, contentType = jsonBody(b), "application/json" // as api/openapi.yaml requires
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, raw, resp.Header
}
