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

func TestPollerRetriesFromTheLowestReportedFailure(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, unit := range []string{village, village, village2} {
		s := e.start(demoQuiz, resident(unit, "", "device-"+unit))
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, true)); status != http.StatusOK {
			t.Fatalf("submit = %d %s", status, raw)
		}
	}
	src := e.Stack.Sources[0]
	if !src.ReportBatchItemFailures {
		t.Fatal("the template's stream source should report batch item failures")
	}
	real := e.Stack.StreamFunctions[src.Function]
	var mu sync.Mutex
	seen := map[string]int{} // deliveries per sequence number
	failOnce := ""
	handler := func(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
		mu.Lock()
		defer mu.Unlock()
		var resp events.DynamoDBTimeWindowEventResponse
		for i, r := range ev.Records {
			seq := r.Change.SequenceNumber
			seen[seq]++
			// Fail the second record of the first batch, once, without applying it.
			if failOnce == "" && i == 1 {
				failOnce = seq
			}
			if seq == failOnce && seen[seq] == 1 {
				// The aggregator applies a shard's records in order: it reports the
				// failed record and the rest of the batch, unapplied.
				for _, rest := range ev.Records[i:] {
					resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rest.Change.SequenceNumber})
				}
				return resp, nil
			}
			if _, err := real(ctx, only(ev, r)); err != nil {
				return resp, err
			}
		}
		return resp, nil
	}
	if err := newPoller(e, src, handler).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if seen[failOnce] != 2 {
		t.Errorf("the failed record was delivered %d times, want 2", seen[failOnce])
	}
	attempts, err := e.Stack.Store.SubmittedAttempts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Stack.Store.Counters(ctx, demoQuiz, []string{village, village2})
	if err != nil {
		t.Fatal(err)
	}
	testenv.AssertCounters(t, got, aggregate.Rebuild(attempts))
}

// only is ev with record r alone: the same shard and window.
func only(ev events.DynamoDBTimeWindowEvent, r events.DynamoDBEventRecord) events.DynamoDBTimeWindowEvent {
	ev.Records = []events.DynamoDBEventRecord{r}
	return ev
}
