package e2e

import (
	"context"
	"fmt"

	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
)

func TestResidentJourneyOverHTTP(t *testing.T) {
	e := newEnv(t)

	status, raw := e.call("GET", "/v1/units", nil)
	units := decodeJSON[attempts.UnitsResponse](t, raw)
	if status != http.StatusOK || len(units.Units) != 18 {
		t.Fatalf("GET /v1/units = %d with %d units, want 200 with 18", status, len(units.Units))
	}
	status, raw = e.call("GET", "/v1/quizzes", nil)
	list := decodeJSON[attempts.QuizzesResponse](t, raw)
	if status != http.StatusOK || len(list.Quizzes) != 2 {
		t.Fatalf("GET /v1/quizzes = %d with %d quizzes, want 200 with 2", status, len(list.Quizzes))
	}
	var summary attempts.QuizSummary
	for _, q := range list.Quizzes {
		if q.ID == demoQuiz {
			summary = q
		}
	}
	if got, want := summary.QuestionCount, 10; got != want {
		t.Errorf("quiz questionCount = %d, want %d (10 drawn from a bank of 20)", got, want)
	}

	started := e.start(demoQuiz, resident(village, "0912 345 678", "device-1"))
	if got, want := len(started.Questions), 10; got != want {
		t.Fatalf("attempt has %d questions, want %d", got, want)
	}
	if got, want := started.ExpiresAt.Sub(started.StartedAt), 15*time.Minute; got != want {
		t.Errorf("attempt lasts %v, want %v", got, want)
	}
	e.Clock.Advance(95 * time.Second)
	status, raw = e.submit(started.AttemptID, started.AttemptToken, e.answers(demoQuiz, started.Questions, true))
	if status != http.StatusOK {
		t.Fatalf("submit = %d %s, want 200", status, raw)
	}
	res := decodeJSON[attempts.Result](t, raw)
	if res.Score != res.MaxScore || res.MaxScore == 0 || res.CorrectCount != 10 || res.QuestionCount != 10 {
		t.Errorf("all-correct result = %+v, want full score and 10/10 correct", res)
	}
	if got, want := res.DurationMs, int64(95000); got != want {
		t.Errorf("durationMs = %d, want %d (server clock)", got, want)
	}
	if len(res.Review) != 10 || !res.Review[0].Correct || len(res.Review[0].CorrectOptionIDs) == 0 {
		t.Errorf("review = %+v, want 10 correct items with their keys", res.Review)
	}

	status, again := e.call("GET", "/v1/attempts/"+started.AttemptID+"?token="+started.AttemptToken, nil)
	if status != http.StatusOK || string(again) != string(raw) {
		t.Errorf("GET attempt = %d %s, want 200 and the submit response %s", status, again, raw)
	}

	// The village's counter follows, through the table's stream.
	if err := e.Stack.DrainStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
	counters, err := e.Stack.Store.Counters(context.Background(), demoQuiz, []string{village})
	if err != nil {
		t.Fatal(err)
	}
	if len(counters) != 1 || counters[0].Participants != 1 || counters[0].ScoreSum != 100000 || counters[0].Passes != 1 {
		t.Errorf("village counters = %+v, want one participant with 100%% and a pass", counters)
	}
	if got, want := counters[0].Month, "2026-11"; got != want {
		t.Errorf("counter month = %q, want %q", got, want)
	}
}

func TestSurveyAttemptIsUnscoredAndCounted(t *testing.T) {
	e := newEnv(t)
	started := e.start(demoSurvey, resident(village2, "", "device-2"))
	if got, want := len(started.Questions), 8; got != want {
		t.Fatalf("survey has %d questions, want %d", got, want)
	}
	status, raw := e.submit(started.AttemptID, started.AttemptToken, e.answers(demoSurvey, started.Questions, true))
	res := decodeJSON[attempts.Result](t, raw)
	if status != http.StatusOK || res.MaxScore != 0 || len(res.Review) != 0 {
		t.Fatalf("survey submit = %d %s, want 200, no score and no review", status, raw)
	}
	if err := e.Stack.DrainStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
	counters, err := e.Stack.Store.Counters(context.Background(), demoSurvey, []string{village2})
	if err != nil {
		t.Fatal(err)
	}
	if len(counters) != 1 || counters[0].Participants != 1 || counters[0].Scored != 0 {
		t.Errorf("survey counters = %+v, want one unscored participant", counters)
	}
}

// forbidden are names that would reveal the answer key or server secrets.
var forbidden = []string{"correctOptionIds", "correctOptionIndexes", "correct", "points", "seed", "tok", "tokenHash", "answersHash"}

func findForbidden(v any, path string) []string {
	var found []string
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if slices.Contains(forbidden, k) {
				found = append(found, path+"."+k)
			}
			found = append(found, findForbidden(child, path+"."+k)...)
		}
	case []any:
		for _, child := range x {
			found = append(found, findForbidden(child, path+"[]")...)
		}
	}
	return found
}

func TestPublicResponsesBeforeSubmitCarryNoAnswerKey(t *testing.T) {
	e := newEnv(t)
	responses := map[string][]byte{}
	_, responses["GET /v1/units"] = e.call("GET", "/v1/units", nil)
	_, responses["GET /v1/quizzes"] = e.call("GET", "/v1/quizzes", nil)
	for _, id := range []string{demoQuiz, demoSurvey} {
		_, responses["POST attempts "+id] = e.call("POST", "/v1/quizzes/"+id+"/attempts", resident(village, "", "device-3"))
	}
	for name, raw := range responses {
		t.Run(name+" has no key fields", func(t *testing.T) {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("decode: %v (%s)", err, raw)
			}
			if found := findForbidden(v, ""); len(found) > 0 {
				t.Errorf("response carries %v: %s", found, raw)
			}
		})
	}
	t.Run("an attempt's options are not in key-revealing order", func(t *testing.T) {
		// Over many attempts the correct option of a shuffled single-choice question
		// must not always sit at the same position.
		positions := map[int]bool{}
		for i := 0; i < 12; i++ {
			// A device each: one device is limited to 10 starts in 10 minutes.
			s := e.start(demoQuiz, resident(village, "", fmt.Sprintf("device-order-%d", i)))
			for _, pq := range s.Questions {
				q, _ := e.Bank[demoQuiz].Question(pq.ID)
				if q.Kind != quiz.Single {
					continue
				}
				for pos, o := range pq.Options {
					if o.ID == q.CorrectOptionIDs[0] {
						positions[pos] = true
					}
				}
			}
		}
		if len(positions) < 2 {
			t.Errorf("correct options appeared only at positions %v", positions)
		}
	})
}

func TestResendingTheSameAnswersCountsOnce(t *testing.T) {
	e := newEnv(t)
	started := e.start(demoQuiz, resident(village, "0987654321", "device-4"))
	answers := e.answers(demoQuiz, started.Questions, false)

	const n = 50
	var wg sync.WaitGroup
	statuses := make([]int, n)
	bodies := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s, b := e.submit(started.AttemptID, started.AttemptToken, answers)
			statuses[i], bodies[i] = s, string(b)
		}(i)
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != http.StatusOK || bodies[i] != bodies[0] {
			t.Fatalf("submit %d = %d %s, want 200 and the same body as the first (%s)", i, statuses[i], bodies[i], bodies[0])
		}
	}
	attempts, err := e.Stack.Store.SubmittedAttempts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(attempts), 1; got != want {
		t.Fatalf("stored submitted attempts = %d, want %d", got, want)
	}
	if err := e.Stack.DrainStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
	counters, err := e.Stack.Store.Counters(context.Background(), demoQuiz, []string{village})
	if err != nil {
		t.Fatal(err)
	}
	if len(counters) != 1 || counters[0].Submissions != 1 || counters[0].Participants != 1 {
		t.Errorf("counters after 50 identical submits = %+v, want one submission of one participant", counters)
	}
}

func TestCountersEqualARebuildAfterRedeliveredBatches(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Residents of two villages; one phone answers twice (the second attempt is practice),
	// one resident without a phone is known by device.
	plan := []struct {
		unit, phone, device string
		right               bool
	}{
		{village, "0911111111", "d1", false},
		{village, "0911111111", "d1", true},
		{village, "0922222222", "d2", true},
		{village2, "", "d3", true},
		{village2, "0933333333", "d4", false},
		{village2, "", "d3", false},
	}
	for _, p := range plan {
		s := e.start(demoQuiz, resident(p.unit, p.phone, p.device))
		e.Clock.Advance(time.Minute)
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, p.right)); status != http.StatusOK {
			t.Fatalf("submit = %d %s", status, raw)
		}
	}
	// Every batch is delivered twice, and then a second event source mapping replays the
	// whole stream from its start: each record reaches the aggregator at least three times.
	src := e.Stack.Sources[0]
	src.BatchSize = 3
	handler := e.Stack.StreamFunctions[src.Function]
	twice := func(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
		if _, err := handler(ctx, ev); err != nil {
			return events.DynamoDBTimeWindowEventResponse{}, err
		}
		return handler(ctx, ev)
	}
	for _, h := range []localgw.StreamHandler{twice, handler} {
		p := newPoller(e, src, h)
		if err := p.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	attempts, err := e.Stack.Store.SubmittedAttempts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := aggregate.Rebuild(attempts)
	got, err := e.Stack.Store.Counters(ctx, demoQuiz, []string{village, village2})
	if err != nil {
		t.Fatal(err)
	}
	testenv.AssertCounters(t, got, want)
	if got[0].Participants+got[1].Participants != 4 || got[0].Submissions+got[1].Submissions != 6 {
		t.Errorf("counters %+v, want 4 participants and 6 submissions in all", got)
	}

	rebuilds := []struct {
		name    string
		rebuild func() (int, error)
	}{
		{"the rebuild command (one scan of the attempts) writes the same counters", func() (int, error) {
			return aggregate.RebuildStored(ctx, e.Stack.Store)
		}},
		{"a rebuild quiz by quiz from the ledgers writes the same counters", func() (int, error) {
			return aggregate.RebuildAll(ctx, e.Stack.Store)
		}},
	}
	for _, r := range rebuilds {
		t.Run(r.name, func(t *testing.T) {
			if _, err := r.rebuild(); err != nil {
				t.Fatal(err)
			}
			again, err := e.Stack.Store.Counters(ctx, demoQuiz, []string{village, village2})
			if err != nil {
				t.Fatal(err)
			}
			testenv.AssertCounters(t, again, want)
		})
	}
}

func TestErrorsAreClearJSONAndLoseNothing(t *testing.T) {
	e := newEnv(t)
	notOpen := e.Bank[demoQuiz]
	notOpen.ID, notOpen.OpensAt = "future-quiz", e.Clock.Now().Add(48*time.Hour)
	if err := e.Stack.Store.PutQuiz(context.Background(), notOpen); err != nil {
		t.Fatal(err)
	}
	s := e.start(demoQuiz, resident(village, "", "device-5"))
	path := "/v1/attempts/" + s.AttemptID + "/submit"
	q0 := s.Questions[0]
	submitted := e.start(demoQuiz, resident(village, "", "device-6"))
	if status, raw := e.submit(submitted.AttemptID, submitted.AttemptToken, e.answers(demoQuiz, submitted.Questions, true)); status != 200 {
		t.Fatalf("submit: %d %s", status, raw)
	}
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"malformed JSON is a bad request", "POST", path, `{"attemptToken":`, 400, "invalid"},
		{"an unknown field is a bad request", "POST", path, map[string]any{"attemptToken": s.AttemptToken, "answers": []any{}, "score": 10}, 400, "invalid"},
		{"a body over 64 KiB is a bad request", "POST", path, `{"attemptToken":"` + strings.Repeat("x", 70<<10) + `"}`, 400, "too_large"},
		{"an unknown quiz is not found", "POST", "/v1/quizzes/no-such-quiz/attempts", resident(village, "", "d"), 404, "not_found"},
		{"an attempt id that is no attempt's is not found", "POST", "/v1/attempts/no-such-attempt/submit", map[string]any{"attemptToken": s.AttemptToken, "answers": []any{}}, 404, "not_found"},
		{"a token on another attempt's id is forbidden", "POST", "/v1/attempts/00000000-0000-4000-8000-000000000000/submit", map[string]any{"attemptToken": s.AttemptToken, "answers": []any{}}, 403, "forbidden"},
		{"a missing attempt token is unauthorized", "POST", path, map[string]any{"answers": []any{}}, 401, "unauthorized"},
		{"a wrong attempt token is forbidden", "POST", path, map[string]any{"attemptToken": "wrong", "answers": []any{}}, 403, "forbidden"},
		{"a wrong token on the result is forbidden", "GET", "/v1/attempts/" + s.AttemptID + "?token=wrong", nil, 403, "forbidden"},
		{"other answers after a submit conflict", "POST", "/v1/attempts/" + submitted.AttemptID + "/submit", map[string]any{"attemptToken": submitted.AttemptToken, "answers": e.answers(demoQuiz, submitted.Questions, false)}, 409, "already_submitted"},
		{"a quiz not open yet conflicts", "POST", "/v1/quizzes/future-quiz/attempts", resident(village, "", "d"), 409, "not_open"},
		{"an unknown unit is invalid", "POST", "/v1/quizzes/" + demoQuiz + "/attempts", resident("no-such-unit", "", "d"), 422, "validation"},
		{"a commune is not a village", "POST", "/v1/quizzes/" + demoQuiz + "/attempts", resident("xa-a", "", "d"), 422, "validation"},
		{"a phone without consent is invalid", "POST", "/v1/quizzes/" + demoQuiz + "/attempts", startBody{Participant: map[string]any{"unitId": village, "phone": "0912345678"}, ClientID: "d"}, 422, "validation"},
		{"a malformed phone is invalid", "POST", "/v1/quizzes/" + demoQuiz + "/attempts", startBody{Participant: map[string]any{"unitId": village, "phone": "12345"}, Consent: true, ClientID: "d"}, 422, "validation"},
		{"a question not in the attempt is invalid", "POST", path, map[string]any{"attemptToken": s.AttemptToken, "answers": []any{map[string]any{"questionId": "q99", "optionIds": []string{"a"}}}}, 422, "validation"},
		{"an option not in the question is invalid", "POST", path, map[string]any{"attemptToken": s.AttemptToken, "answers": []any{map[string]any{"questionId": q0.ID, "optionIds": []string{"zz"}}}}, 422, "validation"},
		{"a token altered (to claim a later start, say) is forbidden", "POST", path, map[string]any{"attemptToken": alterToken(t, s.AttemptToken), "answers": e.answers(demoQuiz, s.Questions, true)}, 403, "forbidden"},
		{"a route that does not exist is not found", "GET", "/v1/nothing", nil, 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, raw := e.call(tc.method, tc.path, tc.body)
			if status != tc.status {
				t.Fatalf("status = %d (%s), want %d", status, raw, tc.status)
			}
			if tc.code == "" {
				return
			}
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("error body is not JSON: %s", raw)
			}
			if body.Error.Code != tc.code || body.Error.Message == "" {
				t.Errorf("error = %+v, want code %q and a message", body.Error, tc.code)
			}
			if strings.Contains(string(raw), "goroutine") || strings.Contains(string(raw), ".go:") {
				t.Errorf("error body leaks internals: %s", raw)
			}
		})
	}

	t.Run("the failed submits stored nothing and a valid submit still works", func(t *testing.T) {
		if a, err := e.Stack.Store.GetAttempt(context.Background(), s.AttemptID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("attempt after rejected submits = %s with %d answers (%v), want none stored", a.Status, len(a.Answers), err)
		}
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, true)); status != 200 {
			t.Errorf("valid submit after errors = %d %s, want 200", status, raw)
		}
	})

	t.Run("a submit past the time limit and grace is gone", func(t *testing.T) {
		late := e.start(demoQuiz, resident(village, "", "device-7"))
		e.Clock.Advance(15*time.Minute + quiz.SubmitGrace + time.Second)
		status, raw := e.submit(late.AttemptID, late.AttemptToken, e.answers(demoQuiz, late.Questions, true))
		if status != http.StatusGone || !strings.Contains(string(raw), `"expired"`) {
			t.Errorf("late submit = %d %s, want 410 expired", status, raw)
		}
	})
}

// alterToken flips one bit of a start token's sealed claims, as a cheat who wants a later
// start (a shorter duration) would have to: the claims are encrypted, so any change is
// a guess, and the seal must refuse every one.
func alterToken(t *testing.T, token string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 40 {
		t.Fatalf("start token %q is not base64url of a sealed token", token)
	}
	raw[1+12+5] ^= 0x01 // past the version byte and the nonce: inside the claims
	return base64.RawURLEncoding.EncodeToString(raw)
}
