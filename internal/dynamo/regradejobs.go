package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
)

// regradeJobItem is a regrade job; cp holds one checkpoint per ledger shard.
type regradeJobItem struct {
	PK         string            `dynamodbav:"pk"`
	SK         string            `dynamodbav:"sk"`
	Entity     string            `dynamodbav:"e"`
	QuizID     string            `dynamodbav:"quizId"`
	ID         string            `dynamodbav:"id"`
	QuestionID string            `dynamodbav:"qid"`
	KeyVersion int               `dynamodbav:"kv"`
	Phase      string            `dynamodbav:"phase"`
	Cursors    map[string]string `dynamodbav:"cp"`
	Checked    int               `dynamodbav:"checked"`
	Changed    int               `dynamodbav:"changed"`
	Pass       int               `dynamodbav:"pass"`
	PassChg    int               `dynamodbav:"passChanged"`
	CreatedAt  string            `dynamodbav:"createdAt"`
	SweepAfter string            `dynamodbav:"sweepAfter"`
	UpdatedAt  string            `dynamodbav:"updatedAt"`
}

// openJobItem marks a job the maintenance function still has to work on.
type openJobItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
	QuizID string `dynamodbav:"quizId"`
	ID     string `dynamodbav:"id"`
}

const (
	attrPhase   = "phase"
	attrCursors = "cp"
	attrChecked = "checked"
	attrChanged = "changed"
	attrPass    = "pass"
	attrPassChg = "passChanged"
	attrUpdated = "updatedAt"
)

// errJobMoved says another run of the job checkpointed first: this run stops the
// shard (a Conflict, which the job runner expects).
func errJobMoved() error {
	return apperr.Errorf(apperr.Conflict, "Việc chấm lại đã được chạy tiếp ở nơi khác")
}

func startCursors() map[string]string {
	cp := make(map[string]string, LedgerShards)
	for i := range LedgerShards {
		cp[strconv.Itoa(i)] = quiz.CursorStart
	}
	return cp
}

func (it regradeJobItem) domain() quiz.RegradeJob {
	j := quiz.RegradeJob{ID: it.ID, QuizID: it.QuizID, QuestionID: it.QuestionID, KeyVersion: it.KeyVersion,
		Phase: quiz.RegradePhase(it.Phase), Cursors: it.Cursors, Checked: it.Checked, Changed: it.Changed,
		Pass: it.Pass, PassChanged: it.PassChg}
	j.CreatedAt, _ = time.Parse(timeLayout, it.CreatedAt)
	j.SweepAfter, _ = time.Parse(timeLayout, it.SweepAfter)
	j.UpdatedAt, _ = time.Parse(timeLayout, it.UpdatedAt)
	return j
}

// CreateRegradeJob stores a new job, every shard at its start, and marks it open; it
// returns the job as stored.
func (s *Store) CreateRegradeJob(ctx context.Context, j quiz.RegradeJob) (quiz.RegradeJob, error) {
	pk, sk := regradeJobKey(j.QuizID, j.ID)
	it := regradeJobItem{PK: pk, SK: sk, Entity: entityRegradeJob, QuizID: j.QuizID, ID: j.ID, QuestionID: j.QuestionID,
		KeyVersion: j.KeyVersion, Phase: string(quiz.RegradeRunning), Cursors: startCursors(),
		CreatedAt: j.CreatedAt.UTC().Format(timeLayout), SweepAfter: j.SweepAfter.UTC().Format(timeLayout),
		UpdatedAt: j.CreatedAt.UTC().Format(timeLayout)}
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	put, err := s.putOf(it, &cond)
	if err != nil {
		return j, err
	}
	opk, osk := openJobKey(j.QuizID, j.ID)
	open, err := s.putOf(openJobItem{PK: opk, SK: osk, Entity: entityOpenJob, QuizID: j.QuizID, ID: j.ID}, nil)
	if err != nil {
		return j, err
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{{Put: put}, {Put: open}}}); err != nil {
		return j, fmt.Errorf("create regrade job: %w", err)
	}
	return it.domain(), nil
}

// GetRegradeJob reads a job with a strongly consistent read.
func (s *Store) GetRegradeJob(ctx context.Context, quizID, jobID string) (quiz.RegradeJob, error) {
	pk, sk := regradeJobKey(quizID, jobID)
	var it regradeJobItem
	ok, err := s.getItem(ctx, pk, sk, &it)
	if err != nil {
		return quiz.RegradeJob{}, fmt.Errorf("get regrade job: %w", err)
	}
	if !ok {
		return quiz.RegradeJob{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy việc chấm lại")
	}
	return it.domain(), nil
}

// OpenRegradeJobs returns the jobs not done yet, oldest quiz id first.
func (s *Store) OpenRegradeJobs(ctx context.Context) ([]quiz.RegradeJob, error) {
	var marks []openJobItem
	if err := s.queryAll(ctx, openJobsPK, &marks); err != nil {
		return nil, fmt.Errorf("list open regrade jobs: %w", err)
	}
	out := make([]quiz.RegradeJob, 0, len(marks))
	for _, m := range marks {
		j, err := s.GetRegradeJob(ctx, m.QuizID, m.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// RegradePage stores one page of a job in one transaction: the new grades of the
// page's attempts and the shard's checkpoint from → to with the page's counts. A run
// killed before it leaves nothing of the page; a second run of the same page finds the
// checkpoint moved (a Conflict). So a job's grades and counts are those of one run.
func (s *Store) RegradePage(ctx context.Context, j quiz.RegradeJob, shard, from, to string, regraded []quiz.Attempt, checked int) error {
	for try := 0; ; try++ {
		items := make([]types.TransactWriteItem, 0, len(regraded)+1)
		for _, a := range regraded {
			u, err := s.regradeUpdate(a)
			if err != nil {
				return err
			}
			items = append(items, types.TransactWriteItem{Update: u})
		}
		pk, sk := regradeJobKey(j.QuizID, j.ID)
		cpName := expression.Name(attrCursors + "." + shard)
		upd := expression.Set(cpName, expression.Value(to)).
			Set(expression.Name(attrUpdated), expression.Value(time.Now().UTC().Format(timeLayout))).
			Add(expression.Name(attrChecked), expression.Value(checked)).
			Add(expression.Name(attrChanged), expression.Value(len(regraded))).
			Add(expression.Name(attrPassChg), expression.Value(len(regraded)))
		cond := expression.Name(attrPhase).Equal(expression.Value(string(j.Phase))).And(cpName.Equal(expression.Value(from))).
			And(samePass(j.Pass))
		u, err := s.updateOf(pk, sk, upd, &cond)
		if err != nil {
			return fmt.Errorf("regrade checkpoint: %w", err)
		}
		items = append(items, types.TransactWriteItem{Update: u})
		out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items,
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if err == nil {
			s.meter(out.ConsumedCapacity...)
			return nil
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) || try >= 3 {
			return fmt.Errorf("regrade page: %w", err)
		}
		// Drop attempts graded as new or newer meanwhile (a submit with the new key, a
		// newer job); a failed checkpoint means another run took this page.
		keep := regraded[:0:0]
		for i, r := range tce.CancellationReasons {
			code := aws.ToString(r.Code)
			if i == len(regraded) && code == "ConditionalCheckFailed" {
				return errJobMoved()
			}
			if i < len(regraded) && code != "ConditionalCheckFailed" {
				keep = append(keep, regraded[i])
			}
		}
		regraded = keep
	}
}

// regradeUpdate is RegradeAttempt's update as a transaction item.
func (s *Store) regradeUpdate(a quiz.Attempt) (*types.Update, error) {
	it, err := toAttemptItem(a)
	if err != nil {
		return nil, err
	}
	upd := expression.Set(expression.Name(attrScore), expression.Value(it.Score)).
		Set(expression.Name(attrResult), expression.Value(it.Result)).
		Set(expression.Name(attrGV), expression.Value(it.GradeVer))
	if it.RoundKey != "" {
		upd = upd.Set(expression.Name(attrRS), expression.Value(it.RoundSort))
	}
	cond := expression.Name(attrStatus).Equal(expression.Value(string(quiz.Submitted))).
		And(staleGrade(it.GradeVer))
	pk, sk := attemptKey(a.ID)
	return s.updateOf(pk, sk, upd, &cond)
}

// samePass holds while the job is in walk pass (a stored job without a pass: 0).
func samePass(pass int) expression.ConditionBuilder {
	c := expression.Name(attrPass).Equal(expression.Value(pass))
	if pass == 0 {
		c = c.Or(expression.Name(attrPass).AttributeNotExists())
	}
	return c
}

// AdvanceRegradeJob moves a job from its phase and pass to next and, unless done, a new
// walk (pass+1, nothing regraded yet) with every shard at its start; a job done is no longer open. A
// run that finds the job moved on by another gets a Conflict.
func (s *Store) AdvanceRegradeJob(ctx context.Context, j quiz.RegradeJob, next quiz.RegradePhase, now time.Time) error {
	pk, sk := regradeJobKey(j.QuizID, j.ID)
	pass := j.Pass + 1
	if next == quiz.RegradeDone {
		pass = j.Pass // no walk begins
	}
	upd := expression.Set(expression.Name(attrPhase), expression.Value(string(next))).
		Set(expression.Name(attrCursors), expression.Value(startCursors())).
		Set(expression.Name(attrPass), expression.Value(pass)).
		Set(expression.Name(attrPassChg), expression.Value(0)).
		Set(expression.Name(attrUpdated), expression.Value(now.UTC().Format(timeLayout)))
	cond := expression.Name(attrPhase).Equal(expression.Value(string(j.Phase))).And(samePass(j.Pass))
	u, err := s.updateOf(pk, sk, upd, &cond)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{{Update: u}}
	if next == quiz.RegradeDone {
		opk, osk := openJobKey(j.QuizID, j.ID)
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(opk, osk)}})
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) {
			return errJobMoved()
		}
		return fmt.Errorf("advance regrade job: %w", err)
	}
	return nil
}
