package dynamo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

// twoShards is a stream of two shards: first attempts, practice, an earlier attempt on
// another shard than the later one it displaces, a suspect attempt, and regrades of a
// claim holder and of a practice attempt (a regrade follows its attempt on its shard, as
// records of one item do). final is what Rebuild counts.
func twoShards() (a, b []aggregate.Record, final []quiz.Attempt) {
	n := 0
	attempt := func(person, unit string, at time.Duration, score int) quiz.Attempt {
		n++
		x := submitted(sampleAttempt(fmt.Sprintf("%08d-0000-4000-8000-000000000000", n)), score)
		x.Identity, x.Participant.UnitID = person, unit
		x.SubmittedAt = x.SubmittedAt.Add(at)
		return x
	}
	regrade := func(x quiz.Attempt) quiz.Attempt {
		x.Score, x.CorrectCount, x.GradeVersion = 2, 2, x.GradeVersion+1
		x.Topics = map[string]quiz.TopicTally{"a": {Answered: 2, Correct: 2}}
		return x
	}
	p1First, p1Practice := attempt("p1", "v1", 0, 1), attempt("p1", "v1", time.Hour, 0)
	p2Later, p2Earlier := attempt("p2", "v2", 2*time.Hour, 2), attempt("p2", "v1", 0, 1)
	p3Suspect := attempt("p3", "v1", time.Minute, 2)
	p3Suspect.Suspect = true
	p4 := attempt("p4", "v2", 3*time.Minute, 1)
	p4Regraded, p1PracticeRegraded := regrade(p4), regrade(p1Practice)
	a = []aggregate.Record{record("shard-a", 10, p1First), record("shard-a", 11, p2Later), record("shard-a", 12, p4),
		record("shard-a", 13, p4Regraded)}
	b = []aggregate.Record{record("shard-b", 20, p1Practice), record("shard-b", 21, p2Earlier), record("shard-b", 22, p3Suspect),
		record("shard-b", 23, p1PracticeRegraded)}
	return a, b, []quiz.Attempt{p1First, p1PracticeRegraded, p2Later, p2Earlier, p3Suspect, p4Regraded}
}

func TestBatchesCountEachRecordOnceHoweverTheyAreDelivered(t *testing.T) {
	ctx := context.Background()
	// retryFrom delivers a batch that may fail as Lambda does with ReportBatchItemFailures:
	// again from the first record not applied, until it is whole.
	retryFrom := func(t *testing.T, s *dynamo.Store, recs []aggregate.Record) (failures int) {
		t.Helper()
		for len(recs) > 0 {
			done, err := s.ApplyBatch(ctx, recs[0].Lane, recs)
			if err == nil {
				return failures
			}
			failures++
			if failures > 10 {
				t.Fatalf("batch still failing: %v", err)
			}
			recs = recs[done:]
		}
		return failures
	}
	// bisect delivers a batch, and on a failure its two halves, each whole, as
	// BisectBatchOnFunctionError does.
	var bisect func(t *testing.T, s *dynamo.Store, recs []aggregate.Record) int
	bisect = func(t *testing.T, s *dynamo.Store, recs []aggregate.Record) int {
		t.Helper()
		if _, err := s.ApplyBatch(ctx, recs[0].Lane, recs); err == nil {
			return 0
		}
		if len(recs) == 1 {
			return 1 + retryFrom(t, s, recs)
		}
		h := len(recs) / 2
		return 1 + bisect(t, s, recs[:h]) + bisect(t, s, recs[h:])
	}
	tests := []struct {
		name string
		// failCall is the UpdateItem call that fails once (0: none): 1, 3, 5… are ledger
		// writes early in the run, later ones counter updates.
		failCall int32
		// wantFailures: whether the delivery must have met the failure.
		wantFailures bool
		deliver      func(t *testing.T, s *dynamo.Store, a, b []aggregate.Record) int
	}{
		{"each shard's batch delivered whole, then redelivered whole", 0, false,
			func(t *testing.T, s *dynamo.Store, a, b []aggregate.Record) int {
				deliver(t, s, a...)
				deliver(t, s, b...)
				deliver(t, s, a...)
				deliver(t, s, b...)
				return 0
			}},
		{"the shards reordered and interleaved, one record at a time", 0, false,
			func(t *testing.T, s *dynamo.Store, a, b []aggregate.Record) int {
				for i := range b {
					deliver(t, s, b[i])
					deliver(t, s, a[i])
				}
				deliver(t, s, b...)
				return 0
			}},
		{"a batch redelivered from the failure after a ledger write failed", 3, true,
			func(t *testing.T, s *dynamo.Store, a, b []aggregate.Record) int {
				f := retryFrom(t, s, b)
				f += retryFrom(t, s, a)
				deliver(t, s, b...) // and once more, whole
				return f
			}},
		{"a batch redelivered from the failure after a counter update failed", 6, true,
			func(t *testing.T, s *dynamo.Store, a, b []aggregate.Record) int {
				f := retryFrom(t, s, a)
				f += retryFrom(t, s, b)
				deliver(t, s, a...)
				return f
			}},
		{"both shards redelivered after the quiz was rebuilt from its ledgers", 0, false,
			func(t *testing.T, s *dynamo.Store, a, b []aggregate.Record) int {
				deliver(t, s, a...)
				deliver(t, s, b...)
				_, _, final := twoShards()
				for _, x := range final {
					if err := s.PutAttempt(ctx, x); err != nil {
						t.Fatal(err)
					}
				}
				if err := s.PutUnits(ctx, []units.Unit{{ID: "v1", Name: "Thôn 1", Kind: "village"}, {ID: "v2", Name: "Thôn 2", Kind: "village"}}); err != nil {
					t.Fatal(err)
				}
				if _, err := aggregate.RebuildQuiz(ctx, s, "q1"); err != nil {
					t.Fatal(err)
				}
				deliver(t, s, a...) // the rebuilt ledgers list every attempt: nothing counts twice
				deliver(t, s, b...)
				return 0
			}},
		{"a failing batch bisected, each half delivered whole", 7, true,
			func(t *testing.T, s *dynamo.Store, a, b []aggregate.Record) int {
				f := bisect(t, s, b)
				f += bisect(t, s, a)
				return f
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			endpoint, table := testenv.Table(t)
			var calls atomic.Int32
			throttled := func() error { return &types.ProvisionedThroughputExceededException{Message: aws.String("throttled")} }
			s := dynamo.New(nthFailingClient(endpoint, "UpdateItem", tc.failCall, &calls, throttled), table)
			a, b, final := twoShards()
			failures := tc.deliver(t, s, a, b)
			if got := failures > 0; got != tc.wantFailures {
				t.Fatalf("the delivery met %d failures, want some: %v", failures, tc.wantFailures)
			}
			got, err := s.Counters(ctx, "q1", []string{"v1", "v2"})
			if err != nil {
				t.Fatal(err)
			}
			want := aggregate.Rebuild(final)
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) {
				t.Errorf("counters\n got %s\nwant %s", gj, wj)
			}
		})
	}
}
