package publicapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/publicapi"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/throttle"
)

// resident drives the public handler as API Gateway does, on a table of its own with the
// demo data, the start limits on and a clock the test moves.
type resident struct {
	t     *testing.T
	h     *publicapi.Handler
	store *dynamo.Store
	clock *testenv.Clock
	bank  map[string]quiz.Quiz
}

func newResident(t *testing.T) *resident {
	t.Helper()
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	if _, err := demo.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	bank := map[string]quiz.Quiz{}
	for _, q := range qs {
		bank[q.ID] = q
	}
	clock := testenv.NewClock(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	svc := attempts.NewService(store, clock.Now).WithThrottle(store, throttle.DefaultLimits())
	return &resident{t: t, h: publicapi.New(svc, nil, slog.Default()), store: store, clock: clock, bank: bank}
}

func (r *resident) do(ev events.APIGatewayV2HTTPRequest) (int, string) {
	r.t.Helper()
	ev.RequestContext.HTTP.SourceIP = "198.51.100.7"
	resp, err := r.h.Handle(context.Background(), ev)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp.StatusCode, resp.Body
}

func (r *resident) start(quizID string) attempts.StartResponse {
	r.t.Helper()
	status, body := r.do(events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/quizzes/{quizId}/attempts",
		PathParameters: map[string]string{"quizId": quizID},
		Body:           `{"participant":{"name":"Phạm Thị Lan","phone":"0912345678","unitId":"xa-a-t01"},"consent":true,"clientId":"dev"}`})
	var s attempts.StartResponse
	if status != http.StatusCreated || json.Unmarshal([]byte(body), &s) != nil {
		r.t.Fatalf("start = %d %s, want 201", status, body)
	}
	return s
}

func (r *resident) submit(attemptID, token string, answers []quiz.Answer) (int, string) {
	r.t.Helper()
	b, err := json.Marshal(attempts.SubmitRequest{AttemptToken: token, Answers: answers})
	if err != nil {
		r.t.Fatal(err)
	}
	return r.do(events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/attempts/{attemptId}/submit",
		PathParameters: map[string]string{"attemptId": attemptID}, Body: string(b)})
}

func (r *resident) get(attemptID, token string) (int, string) {
	r.t.Helper()
	return r.do(events.APIGatewayV2HTTPRequest{RouteKey: "GET /v1/attempts/{attemptId}",
		PathParameters: map[string]string{"attemptId": attemptID}, QueryStringParameters: map[string]string{"token": token}})
}

// answers answers every question asked: the first option (a wrong or right guess) or,
// with right, the key; likert 4 and a short text for the others.
func (r *resident) answers(quizID string, asked []attempts.PublicQuestion, right bool) []quiz.Answer {
	r.t.Helper()
	var out []quiz.Answer
	for _, pq := range asked {
		q, ok := r.bank[quizID].Question(pq.ID)
		if !ok {
			r.t.Fatalf("question %s not in the bank", pq.ID)
		}
		switch {
		case q.Kind == quiz.Likert:
			out = append(out, quiz.Answer{QuestionID: q.ID, Value: 4})
		case q.Kind == quiz.Text:
			out = append(out, quiz.Answer{QuestionID: q.ID, Text: "Cần tuyên truyền thêm ở nhà văn hoá thôn."})
		case right && len(q.CorrectOptionIDs) > 0:
			out = append(out, quiz.Answer{QuestionID: q.ID, OptionIDs: q.CorrectOptionIDs})
		default:
			out = append(out, quiz.Answer{QuestionID: q.ID, OptionIDs: []string{pq.Options[0].ID}})
		}
	}
	return out
}

// errorCode is the code of a JSON error answer.
func errorCode(t *testing.T, body string) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Message == "" {
		t.Fatalf("answer %s is not a JSON error with a message", body)
	}
	return e.Error.Code
}

// TestOneCompletedAttemptCostsAtMostTwoWriteUnits measures the resident path's writes
// from ReturnConsumedCapacity (indexes included): the source's start count and the
// submit's one put, with no index entry (a quiz's ledgers list its attempts for
// regrades, purges and rebuilds). A third unit is a regression.
func TestOneCompletedAttemptCostsAtMostTwoWriteUnits(t *testing.T) {
	tests := []struct {
		name, quizID string
	}{
		{"a quiz of ten drawn questions, all answered", "demo-nq58-quiz"},
		{"a survey with likert scales and a text answer", "demo-nq58-survey"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newResident(t)
			before := r.store.WriteUnits()
			s := r.start(tc.quizID)
			atStart := r.store.WriteUnits() - before
			if status, body := r.submit(s.AttemptID, s.AttemptToken, r.answers(tc.quizID, s.Questions, true)); status != http.StatusOK {
				t.Fatalf("submit = %d %s", status, body)
			}
			total := r.store.WriteUnits() - before
			t.Logf("write units: start %.2f, submit %.2f, in all %.2f", atStart, total-atStart, total)
			if atStart != 1 {
				t.Errorf("the start consumed %v write units, want 1 (the source's count only)", atStart)
			}
			if got, want := total, 2.0; got > want {
				t.Errorf("one completed attempt consumed %v write units, want at most %v", got, want)
			}
		})
	}
}

func TestTheStartTokenIsChecked(t *testing.T) {
	r := newResident(t)
	a, b := r.start("demo-nq58-quiz"), r.start("demo-nq58-quiz")
	survey := r.start("demo-nq58-survey")
	flip := func(tok string, i int) string {
		c := byte('A')
		if tok[i] == 'A' {
			c = 'B'
		}
		return tok[:i] + string(c) + tok[i+1:]
	}
	tests := []struct {
		name     string
		id       string
		token    string
		answers  []quiz.Answer
		advance  time.Duration
		status   int
		code     string
		attempts []string // attempts that must stay unstored
	}{
		{"a token with a changed byte in its middle is forbidden", a.AttemptID, flip(a.AttemptToken, len(a.AttemptToken)/2), nil, 0, 403, "forbidden", nil},
		{"a token with a changed last byte is forbidden", a.AttemptID, flip(a.AttemptToken, len(a.AttemptToken)-1), nil, 0, 403, "forbidden", nil},
		{"a token cut short is forbidden", a.AttemptID, a.AttemptToken[:20], nil, 0, 403, "forbidden", nil},
		{"another attempt's token is forbidden", a.AttemptID, b.AttemptToken, nil, 0, 403, "forbidden", nil},
		{"another quiz's token is forbidden", a.AttemptID, survey.AttemptToken, nil, 0, 403, "forbidden", nil},
		{"a missing token is unauthorized", a.AttemptID, "", nil, 0, 401, "unauthorized", nil},
		{"answers to questions not drawn for this attempt are refused", a.AttemptID, a.AttemptToken,
			[]quiz.Answer{{QuestionID: "no-such-question", OptionIDs: []string{"a"}}}, 0, 422, "validation", nil},
		{"a submit past the time limit and its grace is expired", a.AttemptID, a.AttemptToken, nil,
			900*time.Second + quiz.SubmitGrace + time.Second, 410, "expired", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r.clock.Advance(tc.advance)
			answers := tc.answers
			if answers == nil {
				answers = r.answers("demo-nq58-quiz", a.Questions, true)
			}
			status, body := r.submit(tc.id, tc.token, answers)
			if status != tc.status || errorCode(t, body) != tc.code {
				t.Errorf("submit = %d %s, want %d %s", status, body, tc.status, tc.code)
			}
			if strings.Contains(body, "cipher") || strings.Contains(body, "base64") {
				t.Errorf("answer leaks internal text: %s", body)
			}
			if got, body := r.get(a.AttemptID, a.AttemptToken); got != http.StatusNotFound {
				t.Errorf("after a refused submit GET = %d %s, want 404 (nothing stored)", got, body)
			}
		})
	}
}

func TestASubmitIsStoredOnceAndResendsGetTheSameResult(t *testing.T) {
	r := newResident(t)
	s := r.start("demo-nq58-quiz")
	right, wrong := r.answers("demo-nq58-quiz", s.Questions, true), r.answers("demo-nq58-quiz", s.Questions, false)

	t.Run("before the submit the attempt is not found", func(t *testing.T) {
		if status, body := r.get(s.AttemptID, s.AttemptToken); status != http.StatusNotFound || errorCode(t, body) != "not_found" {
			t.Errorf("GET before submit = %d %s, want 404 not_found", status, body)
		}
	})
	r.clock.Advance(90 * time.Second)
	status, first := r.submit(s.AttemptID, s.AttemptToken, right)
	if status != http.StatusOK {
		t.Fatalf("submit = %d %s", status, first)
	}
	var res attempts.Result
	if err := json.Unmarshal([]byte(first), &res); err != nil {
		t.Fatal(err)
	}
	if res.DurationMs != 90000 || res.Score != res.MaxScore || res.MaxScore == 0 || res.QuestionCount != len(s.Questions) {
		t.Errorf("result = %+v, want full marks over %d questions in 90 s (server clock)", res, len(s.Questions))
	}
	unitsAfterSubmit := r.store.WriteUnits()

	t.Run("the same answers resent get the stored result and write nothing", func(t *testing.T) {
		r.clock.Advance(time.Minute)
		status, again := r.submit(s.AttemptID, s.AttemptToken, right)
		if status != http.StatusOK || again != first {
			t.Errorf("resend = %d %s, want 200 %s", status, again, first)
		}
		if got := r.store.WriteUnits(); got != unitsAfterSubmit {
			t.Errorf("write units grew from %v to %v on a resend", unitsAfterSubmit, got)
		}
	})
	t.Run("other answers for the same attempt are a conflict and change nothing", func(t *testing.T) {
		status, body := r.submit(s.AttemptID, s.AttemptToken, wrong)
		if status != http.StatusConflict || errorCode(t, body) != "already_submitted" {
			t.Errorf("replay with other answers = %d %s, want 409 already_submitted", status, body)
		}
		if status, body := r.get(s.AttemptID, s.AttemptToken); status != http.StatusOK || body != first {
			t.Errorf("GET = %d %s, want the first result %s", status, body, first)
		}
	})
	t.Run("the same answers resent after the deadline still get the result", func(t *testing.T) {
		r.clock.Advance(time.Hour)
		if status, again := r.submit(s.AttemptID, s.AttemptToken, right); status != http.StatusOK || again != first {
			t.Errorf("late resend = %d %s, want 200 %s", status, again, first)
		}
	})
	t.Run("the result is read with the start token only", func(t *testing.T) {
		other := r.start("demo-nq58-quiz")
		if status, body := r.get(s.AttemptID, other.AttemptToken); status != http.StatusForbidden {
			t.Errorf("GET with another attempt's token = %d %s, want 403", status, body)
		}
	})
}
