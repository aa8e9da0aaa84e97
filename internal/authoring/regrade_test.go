package authoring_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

// crashingClient is the real client, except that every TransactWriteItems after the
// first `allowed` fails, as if the function running the job were killed there.
func crashingClient(endpoint string, allowed int32) *dynamodb.Client {
	var left atomic.Int32
	left.Store(allowed)
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("crash",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if awsmiddleware.GetOperationName(ctx) == "TransactWriteItems" && left.Add(-1) < 0 {
						return middleware.InitializeOutput{}, middleware.Metadata{}, errors.New("killed")
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	})
}

// regradeFixture is a published quiz drawing 2 of its 3 questions and n attempts
// answered right, graded with the first key; target is the question corrected.
type regradeFixture struct {
	e        env
	endpoint string
	table    string
	q        quiz.Quiz
	target   string
	attempts []quiz.Attempt
	seq      *int // the last stream sequence number counted
}

func newRegradeFixture(t *testing.T, n int) regradeFixture {
	t.Helper()
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	clock := testenv.NewClock(start)
	e := env{svc: authoring.NewService(store, clock.Now), store: store, clock: clock}
	b, err := os.ReadFile("../../internal/demo/units.csv")
	if err != nil {
		t.Fatal(err)
	}
	units, err := units.ParseCSV(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutUnits(ctx, units); err != nil {
		t.Fatal(err)
	}
	in := sampleInput()
	in.DrawCount = 2
	q := e.create(t, admin, in)
	q, err = e.svc.Publish(ctx, admin, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := regradeFixture{e: e, endpoint: endpoint, table: table, q: q, target: q.Questions[0].ID, seq: new(int)}
	for i := range n {
		f.attempts = append(f.attempts, f.submit(t, i))
	}
	f.aggregate(t, f.attempts...)
	return f
}

// aggregate counts attempts as the stream aggregator does when their records arrive,
// writing their participants' ledgers, where a regrade job finds them.
func (f regradeFixture) aggregate(t *testing.T, attempts ...quiz.Attempt) {
	t.Helper()
	recs := make([]aggregate.Record, len(attempts))
	for i, a := range attempts {
		*f.seq++
		recs[i] = aggregate.Record{Lane: "shard-1", Seq: strconv.Itoa(*f.seq), Event: aggregate.EventOf(a)}
	}
	if n, err := f.e.store.ApplyBatch(context.Background(), "shard-1", recs); err != nil || n != len(recs) {
		t.Fatalf("ApplyBatch = %d, %v; want all %d counted", n, err, len(recs))
	}
}

// submit stores attempt i, right on every question it drew, graded with the key the
// quiz has now.
func (f regradeFixture) submit(t *testing.T, i int) quiz.Attempt {
	t.Helper()
	q, err := f.e.store.GetQuiz(context.Background(), f.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	at := f.e.clock.Now().Add(time.Duration(i) * time.Second)
	a := quiz.Attempt{ID: fmt.Sprintf("a-%05d", i), QuizID: q.ID, QuizKind: q.Kind, Seed: uint64(i*7919 + 1),
		Participant: quiz.Participant{UnitID: "xa-a-t01"}, Identity: fmt.Sprintf("p%d", i),
		StartedAt: at, ExpiresAt: at.Add(10 * time.Minute), Status: quiz.Submitted, SubmittedAt: at.Add(time.Minute)}
	for _, qu := range quiz.Draw(q, a.Seed) {
		a.QuestionIDs = append(a.QuestionIDs, qu.ID)
		a.Answers = append(a.Answers, quiz.Answer{QuestionID: qu.ID, OptionIDs: qu.CorrectOptionIDs})
	}
	g := quiz.Grade(quiz.AttemptQuestions(q, a), a.Answers)
	a.Score, a.MaxScore, a.CorrectCount, a.Topics = g.Score, g.MaxScore, g.CorrectCount, g.Topics
	if err := f.e.store.PutAttempt(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// wantGrades checks every attempt's stored grade against grading it afresh with the
// quiz's current key, and returns how many were asked the corrected question.
func (f regradeFixture) wantGrades(t *testing.T, attempts []quiz.Attempt) int {
	t.Helper()
	ctx := context.Background()
	q, err := f.e.store.GetQuiz(ctx, f.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	for _, a := range attempts {
		want := quiz.Grade(quiz.AttemptQuestions(q, a), a.Answers).Score
		wantVersion := 0
		if slices.Contains(a.QuestionIDs, f.target) {
			asked++
			wantVersion = q.GradeVersion()
		}
		got, err := f.e.store.GetAttempt(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Score != want || got.GradeVersion != wantVersion {
			t.Errorf("attempt %s: got score %d at grade version %d, want %d at %d", a.ID, got.Score, got.GradeVersion, want, wantVersion)
		}
	}
	return asked
}

func TestARegradeJobIsResumableAndCatchesStaleGrades(t *testing.T) {
	ctx := context.Background()
	const n = 120

	tests := []struct {
		name    string
		crashAt int32 // transactions allowed before the first run is killed; <0: no kill
	}{
		{"a job run once regrades exactly the attempts asked the question", -1},
		{"a job killed after a few pages and run again ends as one run does", 5},
		{"a job killed at its first page and run again ends as one run does", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newRegradeFixture(t, n)
			wrong := []string{f.q.Questions[0].Options[0].ID} // another option than the key
			res, err := f.e.svc.Correct(ctx, admin, f.q.ID, f.target, authoring.CorrectionInput{CorrectOptionIDs: wrong})
			if err != nil {
				t.Fatal(err)
			}
			if res.Job.Phase != quiz.RegradeRunning || res.GradeVersion != 1 {
				t.Fatalf("correction = %+v, want a running job at grade version 1", res)
			}
			if tt.crashAt >= 0 {
				killed := authoring.NewService(dynamo.New(crashingClient(f.endpoint, tt.crashAt), f.table), f.e.clock.Now)
				if _, err := killed.RunRegradeJob(ctx, f.q.ID, res.Job.ID); err == nil {
					t.Fatal("the killed run reported no error")
				}
			}
			done, err := f.e.svc.RunRegradeJob(ctx, f.q.ID, res.Job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if done {
				t.Error("got the job done before stale quiz caches expired, want it waiting for its second walk")
			}

			// An attempt graded with the old key by a Lambda whose quiz cache is stale,
			// submitted after the correction and after the job's first walk, which
			// reaches its ledger only now (stream lag).
			stale := f.attempts[0]
			stale.ID, stale.Identity = "a-stale", "p-stale"
			if !slices.Contains(stale.QuestionIDs, f.target) {
				t.Fatal("fixture: the first attempt was not asked the corrected question")
			}
			if err := f.e.store.PutAttempt(ctx, stale); err != nil {
				t.Fatal(err)
			}
			f.aggregate(t, stale)
			f.e.clock.Advance(authoring.StaleGradeWindow)
			if done, err = f.e.svc.RunRegradeJob(ctx, f.q.ID, res.Job.ID); err != nil || !done {
				t.Fatalf("second run: done %v, error %v; want the job done", done, err)
			}

			asked := f.wantGrades(t, append(slices.Clone(f.attempts), stale))
			job, err := f.e.svc.RegradeJob(ctx, admin, f.q.ID, res.Job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if job.Changed != asked || job.Phase != quiz.RegradeDone {
				t.Errorf("got job %s with %d regraded, want done with %d", job.Phase, job.Changed, asked)
			}
			// The first sweep regraded the straggler, so a second sweep had to find
			// nothing before the job was done.
			if job.Pass != 2 {
				t.Errorf("got the job done after %d sweeps, want 2 (one catching the straggler, one finding nothing)", job.Pass)
			}
			if asked == 0 || asked == n+1 {
				t.Errorf("fixture: %d of %d attempts asked the question, want some but not all", asked, n+1)
			}
		})
	}
}
