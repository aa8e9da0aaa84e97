package localgw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"
)

// DynamoDB Local is stopped under a running load and started again on the same port
// with the same data; the gateway is not restarted. The stream poller must resume by
// itself and the counters must come to equal a rebuild from the stored attempts, with
// nothing counted twice.
func TestCountsSurviveADynamoDBLocalOutage(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	port, err := dynamolocal.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	startDB := func() *dynamolocal.Server {
		t.Helper()
		srv, err := dynamolocal.Start(ctx, dynamolocal.Options{Port: port, DBPath: filepath.Join(dir, "data"), Log: filepath.Join(dir, fmt.Sprintf("ddb-%d.log", time.Now().UnixNano()))})
		if err != nil {
			t.Fatalf("start DynamoDB Local on port %d: %v", port, err)
		}
		return srv
	}
	srv := startDB()
	defer func() { srv.Stop() }()

	clock := testenv.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, quiz.VietnamTime))
	// The failed requests of the outage would fill the test log: they are expected.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	stack, err := localgw.NewStack(ctx, localgw.StackOptions{Endpoint: srv.Endpoint, Table: "outage", Now: clock.Now,
		DeadLetterDir: filepath.Join(dir, "dead-letters"), Log: quiet, KeepViewerAddress: true, // residents on many addresses (tryAttempt)
		Contract: true})
	if err != nil {
		t.Fatal(err)
	}
	testenv.CheckContract(t, stack)
	if _, err := demo.Load(ctx, stack.Store); err != nil {
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
	web := httptest.NewServer(stack.Gateway)
	defer web.Close()
	e := &env{t: t, Demo: testenv.Demo{Stack: stack, Clock: clock, URL: web.URL, Bank: bank}}
	for _, p := range stack.Pollers {
		// Retries from 1 s doubling to 10 s: the template's 10 retries then span about 75 s,
		// more than a JVM restart on this shared machine (up to 30 s seen), and a retry
		// comes at most 10 s after the store is back.
		p.Backoff, p.MaxBackoff = time.Second, 10*time.Second
	}
	stack.RunPollers(ctx)

	// The load: residents of four villages start and submit, some while the store is away.
	villages := []string{village, "xa-a-t02", village2, "xa-b-t01"}
	var submitted, failed atomic.Int64
	stopLoad := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 400; i++ { // bounded: at most 400 attempts a worker
				select {
				case <-stopLoad:
					return
				default:
				}
				if tryAttempt(e, villages[(w+i)%len(villages)], fmt.Sprintf("outage-%d-%d", w, i)) {
					submitted.Add(1)
				} else {
					failed.Add(1)
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	waitFor := func(n int64) {
		for submitted.Load() < n {
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor(60)
	srv.Stop()
	outage := time.Now()
	time.Sleep(time.Second) // the load meets a store that is not there
	srv = startDB()
	t.Logf("DynamoDB Local was away for %s", time.Since(outage).Round(time.Millisecond))
	before := submitted.Load()
	waitFor(before + 60)
	close(stopLoad)
	wg.Wait()

	began := time.Now()
	var attempts []quiz.Attempt
	var counters []aggregate.Counter
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(250 * time.Millisecond) {
		attempts, err = stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		counters, err = stack.Store.Counters(ctx, demoQuiz, villages)
		if err != nil {
			t.Fatal(err)
		}
		if sameCounters(counters, aggregate.Rebuild(attempts)) {
			break
		}
		if time.Now().After(deadline) {
			break
		}
	}
	t.Logf("attempts submitted %d (failed during the outage %d), stored %d, counted %d submissions, converged %s after the load",
		submitted.Load(), failed.Load(), len(attempts), totalSubmissions(counters), time.Since(began).Round(time.Millisecond))
	testenv.AssertCounters(t, counters, aggregate.Rebuild(attempts))
	if got := totalSubmissions(counters); got != int64(len(attempts)) {
		t.Errorf("counted %d submissions for %d stored attempts", got, len(attempts))
	}
	letters, err := stack.DeadLetters.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(letters) != 0 {
		t.Errorf("%d batches went to the dead letters during a short outage, want none", len(letters))
	}
}

// tryAttempt starts and submits one attempt; false when any step fails.
func tryAttempt(e *env, unit, clientID string) bool {
	body, _ := json.Marshal(resident(unit, "", clientID))
	req, err := http.NewRequest("POST", e.URL+"/v1/quizzes/"+demoQuiz+"/attempts", bytes.NewReader(body))
	if err != nil {
		return false
	}
	// Residents on many addresses, as CloudFront reports them, so the start limits stay out of the way.
	sum := 0
	for _, c := range clientID {
		sum += int(c)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("CloudFront-Viewer-Address", fmt.Sprintf("203.0.113.%d:4%04d", sum%250+1, sum%10000))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	var s attempts.StartResponse
	ok := resp.StatusCode == http.StatusCreated && json.NewDecoder(resp.Body).Decode(&s) == nil
	resp.Body.Close()
	if !ok {
		return false
	}
	answers, _ := json.Marshal(map[string]any{"attemptToken": s.AttemptToken, "answers": e.answers(demoQuiz, s.Questions, len(clientID)%2 == 0)})
	resp, err = http.Post(e.URL+"/v1/attempts/"+s.AttemptID+"/submit", "application/json", bytes.NewReader(answers))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func sameCounters(a, b []aggregate.Counter) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func totalSubmissions(cs []aggregate.Counter) int64 {
	var n int64
	for _, c := range cs {
		n += c.Submissions
	}
	return n
}
