package dynamo_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/ddblocal"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

// readLog records, around the real client, every request and every item a request
// returned (by primary key), so a test can tell what a store operation touched.
type readLog struct {
	mu    sync.Mutex
	ops   map[string]int
	items []string // pk of each item read, index entries included
}

func (l *readLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops, l.items = map[string]int{}, nil
}

func (l *readLog) record(op string, out any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops[op]++
	add := func(items []map[string]types.AttributeValue) {
		for _, it := range items {
			if pk, ok := it["pk"].(*types.AttributeValueMemberS); ok {
				l.items = append(l.items, pk.Value)
			}
		}
	}
	switch o := out.(type) {
	case *dynamodb.QueryOutput:
		add(o.Items)
	case *dynamodb.ScanOutput:
		add(o.Items)
	case *dynamodb.BatchGetItemOutput:
		for _, items := range o.Responses {
			add(items)
		}
	case *dynamodb.GetItemOutput:
		if o.Item != nil {
			add([]map[string]types.AttributeValue{o.Item})
		}
	}
}

func loggingClient(endpoint string, l *readLog) *dynamodb.Client {
	l.reset()
	return dynamodb.NewFromConfig(ddblocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("read-log",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleInitialize(ctx, in)
					if err == nil {
						l.record(awsmiddleware.GetOperationName(ctx), out.Result)
					}
					return out, md, err
				}), middleware.After)
		})
	})
}

// quizAttempts stores n attempts of quizID, every other one submitted (the others as a start left them before starts became stateless), with ids that
// name the quiz, and a phone verification per attempt.
func quizAttempts(t *testing.T, s *dynamo.Store, quizID string, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		a := sampleAttempt(fmt.Sprintf("%s-attempt-%04d", quizID, i))
		a.QuizID = quizID
		a.StartedAt = a.StartedAt.Add(time.Duration(i) * time.Second)
		if i%2 == 0 {
			a = submitted(a, i%3)
		}
		if err := s.PutAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		v := quiz.Verification{ID: fmt.Sprintf("%s-verify-%04d", quizID, i), QuizID: quizID, Phone: "+84912345678",
			CodeHash: "h", CreatedAt: a.StartedAt, ExpiresAt: a.StartedAt.Add(10 * time.Minute)}
		if err := s.CreateVerification(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
}

func TestQuizWalksReadOnlyThatQuizsItems(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	seed := dynamo.New(ddblocal.Client(endpoint), table)
	const mine, others = 24, 90
	quizAttempts(t, seed, "small", mine)
	quizAttempts(t, seed, "large", others)
	if err := seed.PutUnits(ctx, []quiz.Unit{{ID: "v1", Name: "Thôn 1", Kind: "village"}}); err != nil {
		t.Fatal(err)
	}

	var log readLog
	s := dynamo.New(loggingClient(endpoint, &log), table)

	tests := []struct {
		name      string
		run       func() (int, error)
		want      int
		wantItems int // items read, index entries included
	}{
		{"every attempt of the small quiz is walked and nothing of the large one", func() (int, error) {
			n := 0
			err := s.EveryAttempt(ctx, "small", func(quiz.Attempt) error { n++; return nil })
			return n, err
		}, mine, 2 * mine},
		{"a rebuild reads the small quiz's submitted attempts and its village's counters only", func() (int, error) {
			return aggregate.RebuildQuiz(ctx, s, "small")
		}, 1, 2*mine + 1},
		{"a purge of verifications deletes the small quiz's and reads nothing else", func() (int, error) {
			return s.PurgeVerifications(ctx, "small")
		}, mine, mine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log.reset()
			got, err := tt.run()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
			if log.ops["Scan"] > 0 {
				t.Errorf("got %d scans, want none", log.ops["Scan"])
			}
			var foreign []string
			quizItems := 0
			for _, pk := range log.items {
				switch {
				case strings.Contains(pk, "large"):
					foreign = append(foreign, pk)
				case strings.Contains(pk, "small"):
					quizItems++
				}
			}
			if len(foreign) > 0 {
				t.Errorf("read %d items of the other quiz, e.g. %s; want none", len(foreign), foreign[0])
			}
			if quizItems > tt.wantItems {
				t.Errorf("read %d of the quiz's items (requests %v), want at most %d", quizItems, log.ops, tt.wantItems)
			}
		})
	}

	t.Run("the other quiz keeps its verifications", func(t *testing.T) {
		n, err := seed.PurgeVerifications(ctx, "large")
		if err != nil {
			t.Fatal(err)
		}
		if n != others {
			t.Errorf("got %d verifications of the large quiz, want %d", n, others)
		}
	})
}

func TestItemsStoredBeforeTheIndexAreFoundAfterABackfill(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	raw := ddblocal.Client(endpoint)
	s := dynamo.New(raw, table)
	quizAttempts(t, s, "old", 3)
	// Take the index keys away, as items written before the index have none.
	for _, pk := range []string{"ATTEMPT#old-attempt-0000", "ATTEMPT#old-attempt-0001", "VERIFY#old-verify-0002"} {
		sk := "A"
		if strings.HasPrefix(pk, "VERIFY#") {
			sk = "V"
		}
		_, err := raw.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table),
			Key:              map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk}},
			UpdateExpression: aws.String("REMOVE qk, qs")})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		t.Helper()
		n := 0
		if err := s.EveryAttempt(ctx, "old", func(quiz.Attempt) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := count(); got != 1 {
		t.Fatalf("before the backfill got %d attempts through the index, want 1", got)
	}
	n, err := s.BackfillQuizIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("backfill updated %d items, want 3", n)
	}
	if got := count(); got != 3 {
		t.Errorf("after the backfill got %d attempts, want 3", got)
	}
	if got, err := s.PurgeVerifications(ctx, "old"); err != nil || got != 3 {
		t.Errorf("PurgeVerifications = %d, %v; want all 3", got, err)
	}
}
