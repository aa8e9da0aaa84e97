package report_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

// callCounter counts DynamoDB requests by operation.
type callCounter struct {
	mu  sync.Mutex
	ops map[string]int
}

func (c *callCounter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.ops {
		n += v
	}
	return n
}

func countingClient(endpoint string, c *callCounter) *dynamodb.Client {
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("count",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					c.mu.Lock()
					c.ops[awsmiddleware.GetOperationName(ctx)]++
					c.mu.Unlock()
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	})
}

// syntheticAttempts spreads n first attempts of distinct residents over the villages
// of commune xa-a and the months of 2026.
func syntheticAttempts(n int, villages []string) []quiz.Attempt {
	out := make([]quiz.Attempt, n)
	for i := range out {
		score := i % 11
		out[i] = quiz.Attempt{
			ID: fmt.Sprintf("a%07d", i), QuizID: "demo-nq58-quiz", QuizKind: quiz.KindQuiz, ClientID: fmt.Sprintf("c%07d", i),
			Participant: quiz.Participant{UnitID: villages[i%len(villages)], BirthYear: 1950 + i%50, Gender: []string{"male", "female"}[i%2]},
			Status:      quiz.Submitted, SubmittedAt: time.Date(2026, time.Month(1+i%11), 1+i%28, 9, 0, 0, 0, quiz.VietnamTime),
			Score: score, MaxScore: 10, PassPercent: 50,
			Topics:  map[string]quiz.TopicTally{"a": {Answered: 2, Correct: score % 3}, "d": {Answered: 3, Correct: score % 4}},
			Correct: map[string]bool{"q01": score > 4, "q02": score > 7},
		}
	}
	return out
}

func TestAwarenessReadsDoNotGrowWithAttempts(t *testing.T) {
	ctx := context.Background()
	all, err := demo.Units()
	if err != nil {
		t.Fatal(err)
	}
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	tree, err := units.NewTree(all)
	if err != nil {
		t.Fatal(err)
	}
	officer := auth.Staff{Username: "canbo", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-a"}
	calls := map[int]int{}
	for _, n := range []int{1_000, 100_000} {
		endpoint, table := testenv.Table(t)
		setup := dynamo.New(dynamolocal.Client(endpoint), table)
		if err := setup.PutUnits(ctx, all); err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if err := setup.PutQuiz(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		// The counters the aggregator would have kept for n attempts (equal to its
		// streamed result, as the internal/e2e tests show).
		if err := setup.ReplaceCounters(ctx, aggregate.Rebuild(syntheticAttempts(n, tree.Leaves("xa-a"))), nil); err != nil {
			t.Fatal(err)
		}
		counter := &callCounter{ops: map[string]int{}}
		svc := report.NewService(dynamo.New(countingClient(endpoint, counter), table), nil)
		r, err := svc.Awareness(ctx, officer, report.AwarenessQuery{Query: report.Query{QuizID: "demo-nq58-quiz", UnitID: "xa-a", From: "2026-01", To: "2026-12"}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Participants != int64(n) {
			t.Fatalf("report counts %d participants, want %d", r.Total.Participants, n)
		}
		calls[n] = counter.total()
		t.Logf("%d attempts: %d DynamoDB requests %v", n, calls[n], counter.ops)
	}
	if calls[1_000] != calls[100_000] {
		t.Errorf("the commune's awareness report made %d requests at 1,000 attempts and %d at 100,000, want the same", calls[1_000], calls[100_000])
	}
}
