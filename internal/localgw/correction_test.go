package localgw_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/contests"
	"github.com/nq58/tracker/internal/quiz"
)

func TestAKeyCorrectionRegradesAttemptsAndTheCountersFollow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.stack.Handler())
	t.Cleanup(srv.Close)
	var started []quiz.StartResponse
	for i, unit := range []string{village, village, village2, "xa-a-t02"} {
		s := e.start(demoQuiz, resident(unit, "", "device-corr-"+string(rune('a'+i))))
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, i%2 == 0)); status != 200 {
			t.Fatalf("submit: %d %s", status, raw)
		}
		started = append(started, s)
	}
	if err := e.stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	// The question the first resident answered correctly gets another key.
	target := started[0].Questions[0].ID
	q := e.bank[demoQuiz]
	bankQ, _ := q.Question(target)
	newKey := []string{wrongOption(bankQ)}
	before, err := e.stack.Store.GetAttempt(ctx, started[0].AttemptID)
	if err != nil {
		t.Fatal(err)
	}

	admin := signIn(t, srv.URL, "admin")
	correct := func(body any) contests.CorrectionResult {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+"/v1/admin/quizzes/"+demoQuiz+"/questions/"+target+"/correction", jsonBody(body))
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out contests.CorrectionResult
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&out) != nil {
			t.Fatalf("correction = %d", resp.StatusCode)
		}
		return out
	}
	res := correct(map[string]any{"correctOptionIds": newKey})
	asked := 0
	for _, s := range started {
		if slices.ContainsFunc(s.Questions, func(p quiz.PublicQuestion) bool { return p.ID == target }) {
			asked++
		}
	}
	if res.Regraded != asked || res.GradeVersion != 1 {
		t.Errorf("correction = %+v, want %d attempts regraded at grade version 1", res, asked)
	}
	after, err := e.stack.Store.GetAttempt(ctx, started[0].AttemptID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Score != before.Score-bankQ.Points || after.GradeVersion != 1 {
		t.Errorf("first attempt score %d → %d (grade version %d), want it to lose the question's %d points", before.Score, after.Score, after.GradeVersion, bankQ.Points)
	}

	check := func(name string) {
		t.Helper()
		if err := e.stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		attempts, err := e.stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.stack.Store.Counters(ctx, demoQuiz, []string{village, village2, "xa-a-t02"})
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { assertCounters(t, got, aggregate.Rebuild(attempts)) })
	}
	check("the counters equal a rebuild from the regraded attempts")

	e.clock.Advance(time.Minute)
	res = correct(map[string]any{"void": true})
	if res.GradeVersion != 2 {
		t.Errorf("void correction = %+v, want grade version 2", res)
	}
	voided, err := e.stack.Store.GetAttempt(ctx, started[1].AttemptID)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(voided.QuestionIDs, target) && !voided.Correct[target] {
		t.Errorf("after voiding, %s is not counted correct for every attempt that had it", target)
	}
	check("after a void the counters still equal a rebuild")

	stored, err := e.stack.Store.GetQuiz(ctx, demoQuiz)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Corrections) != 2 || stored.Corrections[0].By != "admin" || stored.Corrections[0].Regraded != asked || !stored.Corrections[1].Void {
		t.Errorf("recorded corrections = %+v, want two by admin, the second a void", stored.Corrections)
	}
}
