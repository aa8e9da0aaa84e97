package dynamo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

func newStore(t *testing.T) *dynamo.Store {
	t.Helper()
	endpoint, table := testenv.Table(t)
	return dynamo.New(dynamolocal.Client(endpoint), table)
}

func sampleAttempt(id string) quiz.Attempt {
	start := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	return quiz.Attempt{
		ID: id, QuizID: "q1", QuizKind: quiz.KindQuiz,
		Participant: quiz.Participant{Name: "Trần Văn Bình", Phone: "+84912345678", UnitID: "v1", BirthYear: 1980, Gender: "male", Organization: "Hội Nông dân"},
		Consent:     true, ClientID: "device", Identity: "person-binh", Seed: 18446744073709551615,
		QuestionIDs: []string{"q01", "q02"}, StartedAt: start, ExpiresAt: start.Add(15 * time.Minute), Status: quiz.Started,
	}
}

func submitted(a quiz.Attempt, score int) quiz.Attempt {
	a.Status = quiz.Submitted
	a.Answers = []quiz.Answer{{QuestionID: "q01", OptionIDs: []string{"a", "b"}}, {QuestionID: "q02", Text: "ý kiến"}}
	a.AnswersHash = "h"
	a.SubmittedAt = a.StartedAt.Add(90 * time.Second)
	a.DurationMs = 90000
	a.Score, a.MaxScore, a.CorrectCount, a.PassPercent = score, 2, score, 50
	a.Topics = map[string]quiz.TopicTally{"a": {Answered: 2, Correct: score}}
	return a
}

func TestAttemptsAreStoredOnceAndReadBackWhole(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := submitted(sampleAttempt("11111111-1111-4111-8111-111111111111"), 1)
	if err := s.PutAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetAttempt(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seed != a.Seed || got.Participant != a.Participant || !got.StartedAt.Equal(a.StartedAt) || len(got.QuestionIDs) != 2 ||
		got.Status != quiz.Submitted || got.Score != 1 || len(got.Answers) != 2 || got.Answers[1].Text != "ý kiến" ||
		got.Topics["a"] != (quiz.TopicTally{Answered: 2, Correct: 1}) {
		t.Errorf("read back %+v, want %+v", got, a)
	}

	t.Run("a second put of the same attempt is a conflict and changes nothing", func(t *testing.T) {
		if err := s.PutAttempt(ctx, submitted(sampleAttempt(a.ID), 2)); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("second put: %v, want a conflict", err)
		}
		got, err := s.GetAttempt(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Score != 1 {
			t.Errorf("score after a second put = %d, want the first one's 1", got.Score)
		}
	})

	t.Run("without consent no name or phone is stored", func(t *testing.T) {
		b := submitted(sampleAttempt("22222222-2222-4222-8222-222222222222"), 1)
		b.Consent = false
		if err := s.PutAttempt(ctx, b); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetAttempt(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Participant.Name != "" || got.Participant.Phone != "" {
			t.Errorf("stored name %q and phone %q without consent", got.Participant.Name, got.Participant.Phone)
		}
	})

	t.Run("an unknown attempt is not found", func(t *testing.T) {
		if _, err := s.GetAttempt(ctx, "33333333-3333-4333-8333-333333333333"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("get unknown: %v, want not found", err)
		}
	})
}

func TestApplyCountsEachAttemptOnceAndEachParticipantOnce(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	first := submitted(sampleAttempt("44444444-4444-4444-8444-444444444444"), 2)
	practice := submitted(sampleAttempt("55555555-5555-4555-8555-555555555555"), 1)
	practice.SubmittedAt = practice.SubmittedAt.Add(time.Hour)
	for range 3 { // redelivered
		deliver(t, s, record("shard-1", 1, first), record("shard-1", 2, practice))
	}
	got, err := s.Counters(ctx, "q1", []string{"v1"})
	if err != nil {
		t.Fatal(err)
	}
	want := aggregate.Rebuild([]quiz.Attempt{first, practice})
	if len(got) != 1 || len(want) != 1 {
		t.Fatalf("counters %+v, want one like %+v", got, want)
	}
	if got[0].Submissions != 2 || got[0].Participants != 1 || got[0].ScoreSum != 100000 || got[0].Passes != 1 || got[0].Topics["a"] != (quiz.TopicTally{Answered: 2, Correct: 2}) {
		t.Errorf("counter = %+v, want 2 submissions, 1 participant at 100%%", got[0])
	}
	if got[0].Submissions != want[0].Submissions || got[0].ScoreSqSum != want[0].ScoreSqSum {
		t.Errorf("counter = %+v, rebuild = %+v", got[0], want[0])
	}
}

// failingClient injects DynamoDB errors that DynamoDB Local never produces itself.
func failingClient(endpoint string, op string, failures *atomic.Int32, err func() error) *dynamodb.Client {
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("inject-failure",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if awsmiddleware.GetOperationName(ctx) == op && failures.Add(-1) >= 0 {
						return middleware.InitializeOutput{}, middleware.Metadata{}, err()
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	})
}

func TestApplyAfterAFailedCounterWriteCountsOnce(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	var calls atomic.Int32
	// The ledger write (the first UpdateItem) lands, the counter's (the second) fails.
	throttled := func() error { return &types.ProvisionedThroughputExceededException{Message: aws.String("throttled")} }
	s := dynamo.New(nthFailingClient(endpoint, "UpdateItem", 2, &calls, throttled), table)
	r := record("shard-1", 7, submitted(sampleAttempt("66666666-6666-4666-8666-666666666666"), 2))

	done, err := s.ApplyBatch(ctx, "shard-1", []aggregate.Record{r})
	if err == nil || done != 0 {
		t.Fatalf("apply during a failure = %d, %v; want 0 applied and the error, so the record is retried", done, err)
	}
	for range 2 { // the retry, and a redelivery after it
		deliver(t, s, r)
	}
	got, err := s.Counters(ctx, "q1", []string{"v1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Submissions != 1 || got[0].Participants != 1 {
		t.Errorf("counters = %+v, want exactly one submission and participant", got)
	}
}

// nthFailingClient fails the n-th call of op (counted in calls) with err.
func nthFailingClient(endpoint, op string, n int32, calls *atomic.Int32, err func() error) *dynamodb.Client {
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("inject-nth-failure",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if awsmiddleware.GetOperationName(ctx) == op && calls.Add(1) == n {
						return middleware.InitializeOutput{}, middleware.Metadata{}, err()
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	})
}

// record is attempt a as the stream record seq of lane (a shard) delivers it.
func record(lane string, seq int, a quiz.Attempt) aggregate.Record {
	return aggregate.Record{Lane: lane, Seq: strconv.Itoa(seq), Event: aggregate.EventOf(a)}
}

// deliver applies records of one lane as one batch, which must succeed.
func deliver(t *testing.T, s *dynamo.Store, recs ...aggregate.Record) {
	t.Helper()
	if len(recs) == 0 {
		return
	}
	done, err := s.ApplyBatch(context.Background(), recs[0].Lane, recs)
	if err != nil || done != len(recs) {
		t.Fatalf("ApplyBatch = %d of %d, %v", done, len(recs), err)
	}
}

func TestApplyMovesTheFirstAttemptToAnEarlierOneDeliveredLate(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		laterUnit string
	}{
		{"both attempts in one village", "v1"},
		{"the later attempt in another village", "v2"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			earlier := submitted(sampleAttempt(fmt.Sprintf("8888888%d-8888-4888-8888-888888888888", i)), 1)
			later := submitted(sampleAttempt(fmt.Sprintf("9999999%d-9999-4999-8999-999999999999", i)), 2)
			later.Participant.UnitID = tc.laterUnit
			later.SubmittedAt = earlier.SubmittedAt.Add(time.Minute)
			// Two shards: the later attempt's first, the earlier one's late; then both redelivered.
			for _, r := range []aggregate.Record{record("shard-a", 1, later), record("shard-b", 1, earlier), record("shard-a", 1, later), record("shard-b", 1, earlier)} {
				deliver(t, s, r)
			}
			got, err := s.Counters(ctx, "q1", []string{"v1", "v2"})
			if err != nil {
				t.Fatal(err)
			}
			want := aggregate.Rebuild([]quiz.Attempt{later, earlier})
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(want)
			if string(a) != string(b) {
				t.Errorf("counters\n got %s\nwant %s", a, b)
			}
		})
	}
}

func TestAQuizWrittenFromAStaleReadIsAConflict(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	q := quiz.Quiz{ID: "q-stale", Kind: quiz.KindSurvey, Title: "Khảo sát", Status: quiz.Draft,
		Questions: []quiz.Question{{ID: "q01", Kind: quiz.Text, Text: "Ý kiến của bạn?"}}}
	if err := s.PutQuiz(ctx, q); err != nil {
		t.Fatal(err)
	}
	read, err := s.GetQuiz(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	published := read
	published.Status = quiz.Published
	if err := s.PutQuiz(ctx, published); err != nil {
		t.Fatalf("publish: %v", err)
	}
	edited := read // read before the publish
	edited.Title = "Khảo sát (sửa)"
	if err := s.PutQuiz(ctx, edited); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("an edit based on the read before the publish = %v, want a conflict", err)
	}
	if err := s.PutQuiz(ctx, q); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("creating a quiz whose id exists = %v, want a conflict", err)
	}
	got, err := s.GetQuiz(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != quiz.Published || got.Title != "Khảo sát" || got.Version != 2 {
		t.Errorf("stored quiz = %s %q version %d, want the publish kept at version 2", got.Status, got.Title, got.Version)
	}
}

// racingClient runs race once, just before the client's first UpdateItem (the ledger
// write) is sent: a concurrent delivery landing between the store's read and its write.
func racingClient(endpoint string, race func()) *dynamodb.Client {
	var once atomic.Bool
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("race",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if awsmiddleware.GetOperationName(ctx) == "UpdateItem" && once.CompareAndSwap(false, true) {
						race()
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	})
}

func TestAClaimMoveRacingARegradeTakesBackTheNewGrade(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	plain := dynamo.New(dynamolocal.Client(endpoint), table)
	earlier := submitted(sampleAttempt("aaaaaaa1-aaaa-4aaa-8aaa-aaaaaaaaaaaa"), 1)
	later := submitted(sampleAttempt("bbbbbbb1-bbbb-4bbb-8bbb-bbbbbbbbbbbb"), 1)
	later.SubmittedAt = earlier.SubmittedAt.Add(time.Minute)
	regraded := later
	regraded.Score, regraded.GradeVersion = 2, 1 // a key correction raised its score
	regraded.Correct = map[string]bool{"q01": true, "q02": true}

	deliver(t, plain, record("shard-a", 1, later))
	// The earlier attempt's delivery (another shard) reads the claim of later at grade
	// version 0; the regrade lands before its write.
	var raceErr error
	moving := dynamo.New(racingClient(endpoint, func() {
		_, raceErr = plain.ApplyBatch(ctx, "shard-a", []aggregate.Record{record("shard-a", 2, regraded)})
	}), table)
	deliver(t, moving, record("shard-b", 1, earlier))
	if raceErr != nil {
		t.Fatalf("regrade: %v", raceErr)
	}
	t.Run("the counters take back the new grade, as a rebuild counts", func(t *testing.T) {
		got, err := plain.Counters(ctx, "q1", []string{"v1"})
		if err != nil {
			t.Fatal(err)
		}
		want := aggregate.Rebuild([]quiz.Attempt{earlier, regraded})
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(want)
		if string(a) != string(b) {
			t.Errorf("counters\n got %s\nwant %s", a, b)
		}
	})
	t.Run("the cancelled transaction is metered too", func(t *testing.T) {
		// The same deliveries in order, without the race, on a table of their own.
		calm := newStore(t)
		deliver(t, calm, record("shard-a", 1, later))
		deliver(t, calm, record("shard-a", 2, regraded))
		deliver(t, calm, record("shard-b", 1, earlier))
		// The refused try: one conditional ledger write.
		const refused = 1
		if got, want := moving.WriteUnits(), calm.WriteUnits()-plain.WriteUnits()+refused; got < want {
			t.Errorf("write units of the raced move = %v, want at least %v (the move's %v and the refused try's %d)",
				got, want, calm.WriteUnits()-plain.WriteUnits(), refused)
		}
	})
}

// Submitted attempts keep their write-once fields (kind, seed, questions, times) in the
// res document and their id in the key; stored items of the long form keep them as
// attributes of their own and must read back the same.
func TestAnAttemptReadsBackTheSameInEitherStoredForm(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	db := dynamolocal.Client(endpoint)
	s := dynamo.New(db, table)
	a := submitted(sampleAttempt("44444444-4444-4444-8444-444444444444"), 1)
	a.Correct = map[string]bool{"q01": true}
	if err := s.PutAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	item := func(id string) map[string]types.AttributeValue {
		t.Helper()
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "ATTEMPT#" + id}, "sk": &types.AttributeValueMemberS{Value: "A"}}})
		if err != nil || out.Item == nil {
			t.Fatalf("get item %s: %v", id, err)
		}
		return out.Item
	}
	t.Run("a new item has no attribute for what res or the key holds", func(t *testing.T) {
		for _, name := range []string{"id", "kind", "seed", "qids", "startedAt", "expiresAt", "submittedAt", "durationMs"} {
			if _, ok := item(a.ID)[name]; ok {
				t.Errorf("attribute %s is stored", name)
			}
		}
	})

	// The long form: every field an attribute of its own, the id too.
	const oldID = "55555555-5555-4555-8555-555555555555"
	old := item(a.ID)
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	num := func(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
	old["pk"], old["id"], old["kind"], old["seed"], old["qids"] = str("ATTEMPT#"+oldID), str(oldID), str("quiz"), str("18446744073709551615"), str("q01,q02")
	old["startedAt"], old["expiresAt"], old["submittedAt"], old["durationMs"] = str("2026-11-20T02:00:00Z"), str("2026-11-20T02:15:00Z"), str("2026-11-20T02:01:30Z"), num("90000")
	old["res"] = str(`{"a":[{"q":"q01","o":["a","b"]},{"q":"q02","x":"ý kiến"}],"h":"h","m":2,"c":1,"p":50,"t":{"a":[2,1]},"k":{"q01":1}}`)
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: old}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a.ID, oldID} {
		t.Run(fmt.Sprintf("attempt %s reads back whole", id[:8]), func(t *testing.T) {
			got, err := s.GetAttempt(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want := a
			want.ID = id
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("read back\n%s\nwant\n%s", g, w)
			}
		})
	}
}
