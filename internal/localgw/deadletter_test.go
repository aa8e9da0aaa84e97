package localgw_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/deadletter"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

// A record the aggregator cannot apply (a bug, say) must end in the dead letters after
// the template's retries, never be dropped; once the cause is fixed a replay applies it
// exactly once.
func TestAPoisonRecordIsDeadLetteredAndReplayedOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var attemptIDs []string
	for i, unit := range []string{village, village, village2, village2} {
		s := e.start(demoQuiz, resident(unit, "", "device-poison-"+string(rune('a'+i))))
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, i%2 == 0)); status != http.StatusOK {
			t.Fatalf("submit = %d %s", status, raw)
		}
		attemptIDs = append(attemptIDs, s.AttemptID)
	}
	poison := attemptIDs[1]
	src := e.Stack.Sources[0]
	fixed := e.Stack.StreamFunctions[src.Function]
	var mu sync.Mutex
	deliveries := 0
	// The "bug": the function fails on every record of one attempt.
	broken := func(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
		mu.Lock()
		defer mu.Unlock()
		var resp events.DynamoDBTimeWindowEventResponse
		for _, r := range ev.Records {
			if pk, ok := r.Change.NewImage["pk"]; ok && pk.DataType() == events.DataTypeString && pk.String() == "ATTEMPT#"+poison {
				deliveries++
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
				continue
			}
			if _, err := fixed(ctx, only(ev, r)); err != nil {
				return resp, err
			}
		}
		return resp, nil
	}
	letters := deadletter.Dir{Path: t.TempDir()}
	p := newPoller(e, src, broken)
	p.DeadLetters, p.Backoff, p.MaxBackoff = letters, time.Millisecond, 4*time.Millisecond

	if !t.Run("the poller gives up on the poison record after the template's retries", func(t *testing.T) {
		if err := p.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		stored, err := letters.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) == 0 {
			t.Fatal("no dead letter: the failing records were dropped")
		}
		for _, s := range stored {
			l := s.Letter
			if l.RequestContext.Condition != deadletter.RetryAttemptsExhausted || l.Batch.BatchSize != len(l.Records) || l.Batch.StreamArn != e.Stack.StreamARN {
				t.Errorf("letter = %+v, want retries exhausted with its records and stream", l.RequestContext)
			}
			for _, r := range l.Records {
				if pk := r.Change.NewImage["pk"].String(); pk != "ATTEMPT#"+poison {
					t.Errorf("a record of %s went to the dead letters with the poison attempt's", pk)
				}
			}
		}
		// Each poison record: the first delivery and MaximumRetryAttempts retries.
		if want := len(stored) * (src.MaximumRetryAttempts + 1); deliveries < want {
			t.Errorf("poison deliveries = %d, want at least %d", deliveries, want)
		}
	}) {
		return
	}
	attempts, err := e.Stack.Store.SubmittedAttempts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counters := func(t *testing.T) []aggregate.Counter {
		t.Helper()
		got, err := e.Stack.Store.Counters(ctx, demoQuiz, []string{village, village2})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	t.Run("the counters miss only the poison attempt meanwhile", func(t *testing.T) {
		var others []quiz.Attempt
		for _, a := range attempts {
			if a.ID != poison {
				others = append(others, a)
			}
		}
		testenv.AssertCounters(t, counters(t), aggregate.Rebuild(others))
	})
	if !t.Run("a replay after the fix applies it, and the counters equal a rebuild", func(t *testing.T) {
		r, err := deadletter.Replay(ctx, letters, nil, deadletter.Handler(fixed), src.BatchSize)
		if err != nil {
			t.Fatal(err)
		}
		if r.Failed != 0 || r.Replayed != r.Letters || r.Letters == 0 {
			t.Fatalf("replay = %+v, want every letter replayed", r)
		}
		testenv.AssertCounters(t, counters(t), aggregate.Rebuild(attempts))
	}) {
		return
	}
	t.Run("a second replay finds nothing and counts nothing twice", func(t *testing.T) {
		r, err := deadletter.Replay(ctx, letters, nil, deadletter.Handler(fixed), src.BatchSize)
		if err != nil || r.Letters != 0 {
			t.Fatalf("second replay = %+v, %v; want no letters", r, err)
		}
		// Even the whole stream delivered again does not move a counter.
		again := newPoller(e, src, fixed)
		if err := again.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		testenv.AssertCounters(t, counters(t), aggregate.Rebuild(attempts))
	})
}
