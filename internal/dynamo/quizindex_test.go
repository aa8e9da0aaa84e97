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
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
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
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
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

// quizAttempts stores n submitted attempts of quizID by n/2 participants (two each), with
// ids that name the quiz, counts them as the aggregator does (so their ledgers list
// them), and stores a phone verification per attempt. It returns the attempts.
func quizAttempts(t *testing.T, s *dynamo.Store, quizID string, n int) []quiz.Attempt {
	t.Helper()
	ctx := context.Background()
	var recs []aggregate.Record
	var out []quiz.Attempt
	for i := range n {
		a := submitted(sampleAttempt(fmt.Sprintf("%s-attempt-%04d", quizID, i)), i%3)
		a.QuizID, a.Identity = quizID, fmt.Sprintf("person-%d", i%max(1, n/2))
		a.StartedAt = a.StartedAt.Add(time.Duration(i) * time.Second)
		a.SubmittedAt = a.SubmittedAt.Add(time.Duration(i) * time.Second)
		if err := s.PutAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, record("shard-"+quizID, 100+i, a))
		out = append(out, a)
		v := phoneverify.Verification{ID: fmt.Sprintf("%s-verify-%04d", quizID, i), QuizID: quizID, Phone: "+84912345678",
			CodeHash: "h", CreatedAt: a.StartedAt, ExpiresAt: a.StartedAt.Add(10 * time.Minute)}
		if err := s.CreateVerification(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	deliver(t, s, recs...)
	return out
}

func TestQuizWalksReadOnlyThatQuizsItems(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	seed := dynamo.New(dynamolocal.Client(endpoint), table)
	const mine, others = 24, 90
	quizAttempts(t, seed, "small", mine)
	quizAttempts(t, seed, "large", others)
	if err := seed.PutUnits(ctx, []units.Unit{{ID: "v1", Name: "Thôn 1", Kind: "village"}}); err != nil {
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
		}, mine, mine/2 + mine}, // the ledgers, then the attempts
		{"a rebuild reads the small quiz's ledgers, attempts and its village's counters only", func() (int, error) {
			return aggregate.RebuildQuiz(ctx, s, "small")
		}, 1, mine/2 + mine + 1},
		{"after the rebuild the ledgers still list every attempt of the small quiz", func() (int, error) {
			n := 0
			err := s.EveryAttempt(ctx, "small", func(quiz.Attempt) error { n++; return nil })
			return n, err
		}, mine, mine/2 + mine},
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

func TestVerificationsStoredBeforeTheIndexAreFoundAfterABackfill(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	raw := dynamolocal.Client(endpoint)
	s := dynamo.New(raw, table)
	quizAttempts(t, s, "old", 3)
	// Take the index keys away, as verifications written before the index have none.
	for _, pk := range []string{"VERIFY#old-verify-0000", "VERIFY#old-verify-0002"} {
		_, err := raw.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table),
			Key:              map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: "V"}},
			UpdateExpression: aws.String("REMOVE qk, qs")})
		if err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.BackfillQuizIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("backfill updated %d items, want the 2 verifications without keys", n)
	}
	if got, err := s.PurgeVerifications(ctx, "old"); err != nil || got != 3 {
		t.Errorf("PurgeVerifications = %d, %v; want all 3", got, err)
	}
}

func TestLedgerPagesListEveryAttemptOnce(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	// 9 participants with 1 to 5 attempts each: pages end inside ledgers too.
	var recs []aggregate.Record
	want := map[string]bool{}
	for p := range 9 {
		for k := range 1 + p%5 {
			a := submitted(sampleAttempt(fmt.Sprintf("pg-%d-%d", p, k)), k%3)
			a.QuizID, a.Identity = "pages", fmt.Sprintf("member-%d", p)
			a.SubmittedAt = a.SubmittedAt.Add(time.Duration(k) * time.Minute)
			if k == 1 {
				a.GradeVersion = 1 // graded with the corrected key already
			}
			if err := s.PutAttempt(ctx, a); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, record("shard-pages", len(recs)+1, a))
			want[a.ID] = a.GradeVersion < 1
		}
	}
	deliver(t, s, recs...)

	tests := []struct {
		name    string
		limit   int
		version int // 0: every attempt; 1: those graded before version 1
	}{
		{"pages of one attempt list every attempt once", 1, 0},
		{"pages of two attempts list every attempt once", 2, 0},
		{"pages of three list only the stale attempts, once each", 3, 1},
		{"pages of 500 list every attempt once", 500, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]int{}
			for shard := range dynamo.LedgerShards {
				after := ""
				for pages := 0; ; pages++ {
					if pages > 100 {
						t.Fatalf("shard %d: more than 100 pages, the cursor does not move", shard)
					}
					list, next, err := s.StaleAttemptPage(ctx, "pages", shard, after, tt.version, tt.limit)
					if err != nil {
						t.Fatal(err)
					}
					if len(list) > tt.limit {
						t.Errorf("got a page of %d attempts, want at most %d", len(list), tt.limit)
					}
					for _, a := range list {
						got[a.ID]++
					}
					if next == "" {
						break
					}
					after = next
				}
			}
			for id, stale := range want {
				wantN := 1
				if tt.version > 0 && !stale {
					wantN = 0
				}
				if got[id] != wantN {
					t.Errorf("attempt %s listed %d times, want %d", id, got[id], wantN)
				}
			}
			if len(got) > len(want) {
				t.Errorf("got %d attempts listed, want at most %d", len(got), len(want))
			}
		})
	}
}
