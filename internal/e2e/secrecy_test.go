package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
)

// sealedKeys are the only keys of a contest entry's answer before its round is frozen.
var sealedKeys = []string{"attemptId", "prediction", "ranked", "receipt", "resultsAfter", "roundId", "roundName", "submittedAt"}

// gradingKeys are keys whose values depend on the answer key.
var gradingKeys = []string{"score", "maxScore", "correctCount", "review", "questionCount", "correct", "correctOptionIds", "passed"}

// keysOf returns the sorted top-level keys of a JSON object.
func keysOf(t *testing.T, raw []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// assertSealed fails unless raw is a receipt only: the sealed keys, no grading key and an
// 8-character receipt.
func assertSealed(t *testing.T, what string, raw []byte) attempts.Result {
	t.Helper()
	if got := keysOf(t, raw); !slices.Equal(got, sealedKeys) {
		t.Errorf("%s has keys %v, want %v", what, got, sealedKeys)
	}
	for _, k := range gradingKeys {
		if strings.Contains(string(raw), `"`+k+`"`) {
			t.Errorf("%s mentions %q: %s", what, k, raw)
		}
	}
	r := decodeJSON[attempts.Result](t, raw)
	if len(r.Receipt) != 8 {
		t.Errorf("%s receipt = %q, want 8 characters", what, r.Receipt)
	}
	return r
}

// TestAnOracleAttackOnAnOpenContestLearnsNothing plays finding 1 of issue 8: entries that
// each answer one question with one option, to read the key off the scores. While the
// round is open every answer is a receipt of the same shape; after the close the same
// GET gives the score.
func TestAnOracleAttackOnAnOpenContestLearnsNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-bi-mat", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))

	type probe struct {
		attemptID, token string
		answers          []map[string]any
		raw              []byte
	}
	var probes []probe
	phone := 0
	if !t.Run("entries that each answer one question with one option get receipts of one shape", func(t *testing.T) {
		for qi, q := range ct.Questions {
			for _, o := range q.Options {
				phone++
				s := e.start(ct.ID, entrant(fmt.Sprintf("0966%06d", phone), "Người Thử", village, ""))
				answers := []map[string]any{{"questionId": q.ID, "optionIds": []string{o.ID}}}
				status, raw := e.call("POST", "/v1/attempts/"+s.AttemptID+"/submit",
					map[string]any{"attemptToken": s.AttemptToken, "answers": answers, "prediction": qi})
				if status != 200 {
					t.Fatalf("submit = %d %s", status, raw)
				}
				assertSealed(t, "a probe's submit", raw)
				probes = append(probes, probe{s.AttemptID, s.AttemptToken, answers, raw})
			}
		}
		if len(probes) < 10 {
			t.Fatalf("%d probes, want at least 10", len(probes))
		}
	}) {
		return
	}

	if !t.Run("reading the probes back gives the same receipts and nothing graded", func(t *testing.T) {
		for _, p := range probes {
			status, raw := e.call("GET", "/v1/attempts/"+p.attemptID+"?token="+p.token, nil)
			if status != 200 {
				t.Fatalf("get = %d %s", status, raw)
			}
			got, want := assertSealed(t, "a probe's result", raw), decodeJSON[attempts.Result](t, p.raw)
			if got.Receipt != want.Receipt {
				t.Errorf("receipt read back = %q, want %q as at submit", got.Receipt, want.Receipt)
			}
		}
	}) {
		return
	}

	if !t.Run("a resend gets the identical body and other answers a conflict", func(t *testing.T) {
		p := probes[0]
		status, raw := e.call("POST", "/v1/attempts/"+p.attemptID+"/submit",
			map[string]any{"attemptToken": p.token, "answers": p.answers, "prediction": 0})
		if status != 200 || string(raw) != string(p.raw) {
			t.Errorf("resend = %d %s, want 200 %s", status, raw, p.raw)
		}
		other := []map[string]any{{"questionId": ct.Questions[1].ID, "optionIds": []string{ct.Questions[1].Options[0].ID}}}
		if status, raw := e.call("POST", "/v1/attempts/"+p.attemptID+"/submit",
			map[string]any{"attemptToken": p.token, "answers": other, "prediction": 0}); status != 409 {
			t.Errorf("other answers = %d %s, want 409", status, raw)
		}
	}) {
		return
	}

	if !t.Run("receipts differ between entries", func(t *testing.T) {
		seen := map[string]bool{}
		for _, p := range probes {
			seen[decodeJSON[attempts.Result](t, p.raw).Receipt] = true
		}
		if len(seen) != len(probes) {
			t.Errorf("%d distinct receipts for %d entries", len(seen), len(probes))
		}
	}) {
		return
	}

	if !t.Run("after the round's end but before its close the answer is still a receipt", func(t *testing.T) {
		e.Clock.Advance(2 * time.Hour)
		p := probes[0]
		_, raw := e.call("GET", "/v1/attempts/"+p.attemptID+"?token="+p.token, nil)
		assertSealed(t, "a result before the close", raw)
	}) {
		return
	}

	t.Run("after the close the same read shows the score and the review", func(t *testing.T) {
		if err := e.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		organizer := signIn(t, srv.URL, "btc")
		if status, raw, _ := staffRequest(t, srv.URL, organizer, "POST", "/v1/admin/contests/"+ct.ID+"/rounds/r1/close", nil); status != 200 {
			t.Fatalf("close = %d %s", status, raw)
		}
		for _, p := range probes {
			status, raw := e.call("GET", "/v1/attempts/"+p.attemptID+"?token="+p.token, nil)
			r := decodeJSON[attempts.Result](t, raw)
			q, _ := ct.Question(p.answers[0]["questionId"].(string))
			chosen := p.answers[0]["optionIds"].([]string)[0]
			want := 0
			if slices.Equal(q.CorrectOptionIDs, []string{chosen}) {
				want = q.Points
			}
			if status != 200 || !slices.Contains(keysOf(t, raw), "score") || r.Score != want || r.MaxScore == 0 || len(r.Review) != len(ct.Questions) {
				t.Errorf("after the close = %d %s, want score %d and the review", status, raw, want)
			}
			if r.Receipt != decodeJSON[attempts.Result](t, p.raw).Receipt {
				t.Errorf("receipt after the close = %q, want the one given at submit", r.Receipt)
			}
		}
	})
}

// TestARoundsReviewWaitsUntilNoLaterRoundIsOpen plays the leak of rounds that share one
// question set: a round that is frozen while a later round is open must not give its
// entrants the key (the review's right options), nor scores that single-answer entries
// would turn into the key. The entry's answer stays a receipt until the contest's key is
// no longer secret, then shows the score and the review.
func TestARoundsReviewWaitsUntilNoLaterRoundIsOpen(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-hai-vong", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	e.reconfigure(t, ct.ID, func(c *contest.Config) {
		c.Rounds = append(c.Rounds, contest.Round{ID: "r2", OpensAt: now.Add(2 * time.Hour), ClosesAt: now.Add(5 * time.Hour)})
	})
	s := e.start(ct.ID, entrant("0966000001", "Người Thử", village, ""))
	if status, raw := e.call("POST", "/v1/attempts/"+s.AttemptID+"/submit",
		map[string]any{"attemptToken": s.AttemptToken, "answers": e.answers(ct.ID, s.Questions, true), "prediction": 1}); status != 200 {
		t.Fatalf("submit = %d %s", status, raw)
	}
	read := func(t *testing.T) []byte {
		t.Helper()
		status, raw := e.call("GET", "/v1/attempts/"+s.AttemptID+"?token="+s.AttemptToken, nil)
		if status != 200 {
			t.Fatalf("get = %d %s", status, raw)
		}
		return raw
	}

	e.Clock.Advance(time.Hour + quiz.SubmitGrace)
	e.closeRound(t, staffAs(t, srv, "btc"), ct.ID, "r1")
	t.Run("after round 1 is frozen, while round 2 is still to come, the entry is still a receipt", func(t *testing.T) {
		raw := read(t)
		assertSealed(t, "a round 1 entry while round 2 is open", raw)
		r := decodeJSON[attempts.Result](t, raw)
		if got, want := r.ResultsAfter, quiz.KeySecretUntil(e.Bank[ct.ID]); got == nil || !got.Equal(want) {
			t.Errorf("resultsAfter = %v, want the last round's results time %v", got, want)
		}
	})

	e.Clock.Advance(5 * time.Hour)
	t.Run("once no round is open the entry shows its score and the review", func(t *testing.T) {
		r := decodeJSON[attempts.Result](t, read(t))
		if got, want := r.Score, r.MaxScore; want == 0 || got != want {
			t.Errorf("score = %d of %d, want full marks", got, want)
		}
		if got, want := len(r.Review), len(s.Questions); got != want {
			t.Errorf("review has %d items, want %d", got, want)
		}
	})
}
