package localgw_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/testenv"
)

func TestPollerInvokesTheAggregatorOnlyForSubmittedAttempts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Two submitted attempts and one left started.
	for _, unit := range []string{village, village2} {
		s := e.start(demoQuiz, resident(unit, "", "device-"+unit))
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, true)); status != http.StatusOK {
			t.Fatalf("submit = %d %s", status, raw)
		}
	}
	e.start(demoQuiz, resident(village, "", "device-unsubmitted"))

	src := e.Stack.Sources[0]
	if len(src.Filters) == 0 {
		t.Fatal("the template's stream source should have a filter")
	}
	real := e.Stack.StreamFunctions[src.Function]
	var mu sync.Mutex
	var delivered []events.DynamoDBEventRecord
	handler := func(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
		mu.Lock()
		delivered = append(delivered, ev.Records...)
		mu.Unlock()
		return real(ctx, ev)
	}
	p := newPoller(e, src, handler)
	if err := p.Drain(ctx); err != nil {
		t.Fatal(err)
	}

	t.Run("every record delivered is a submitted attempt", func(t *testing.T) {
		for _, r := range delivered {
			img := r.Change.NewImage
			if r.EventName == "REMOVE" || img["e"].String() != "attempt" || img["status"].String() != "submitted" {
				t.Errorf("delivered %s of entity %q status %q, want only submitted attempts", r.EventName, img["e"].String(), img["status"].String())
			}
		}
		if len(delivered) == 0 {
			t.Error("no record was delivered, want the submitted attempts")
		}
	})

	t.Run("the aggregator's own writes do not invoke it again", func(t *testing.T) {
		before := p.Invocations()
		if err := p.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if got := p.Invocations(); got != before {
			t.Errorf("a second drain invoked the handler %d more times, want 0: the markers, claims and counters written by the first are filtered out and passed", got-before)
		}
	})

	t.Run("the counters still equal a rebuild", func(t *testing.T) {
		attempts, err := e.Stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Stack.Store.Counters(ctx, demoQuiz, []string{village, village2})
		if err != nil {
			t.Fatal(err)
		}
		testenv.AssertCounters(t, got, aggregate.Rebuild(attempts))
	})
}
