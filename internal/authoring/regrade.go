package authoring

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/quiz"
)

// StreamLag bounds, in normal running, how long after its submit an attempt reaches
// its participant's ledger, where a regrade job finds it: the stream source's batching
// window (MaximumBatchingWindowInSeconds, 20 s), the aggregator's run and a few retries'
// backoff. An attempt whose batch fails for longer (dead letters) is later: see
// docs/data.md ("A quiz's attempts without a scan") and docs/not-done.md.
const StreamLag = time.Minute

// StaleGradeWindow is how long after a correction a job's sweeps wait: a warm Lambda
// may grade with the old key until its quiz cache expires (quiz.CatalogTTL), and what
// it graded reaches the ledgers within StreamLag; one more minute is margin. A sweep
// that starts after it sees every attempt graded with the old key.
const StaleGradeWindow = quiz.CatalogTTL + StreamLag + time.Minute

// regradePage is how many attempts (and ledgers) one page reads at most: with the
// checkpoint, a page's regrades fit one transaction (100 items).
const regradePage = 99

// regradeWorkers is how many shards one run works on at once.
const regradeWorkers = 4

// RegradeStore is what regrade jobs need from storage.
type RegradeStore interface {
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
	PutQuiz(ctx context.Context, q quiz.Quiz) error
	// CreateRegradeJob stores a new job with every shard at its start and marks it open.
	CreateRegradeJob(ctx context.Context, j quiz.RegradeJob) (quiz.RegradeJob, error)
	GetRegradeJob(ctx context.Context, quizID, jobID string) (quiz.RegradeJob, error)
	OpenRegradeJobs(ctx context.Context) ([]quiz.RegradeJob, error)
	// StaleAttemptPage reads a page of one shard of a quiz's attempts, keeping those
	// graded before key version v; next is "" when the shard is done.
	StaleAttemptPage(ctx context.Context, quizID string, shard int, after string, v, limit int) ([]quiz.Attempt, string, error)
	// RegradePage stores a page's new grades and the shard's checkpoint from → to at
	// once; a Conflict when another run moved the checkpoint first.
	RegradePage(ctx context.Context, j quiz.RegradeJob, shard, from, to string, regraded []quiz.Attempt, checked int) error
	// AdvanceRegradeJob moves a job to its next phase (a Conflict when another run did).
	AdvanceRegradeJob(ctx context.Context, j quiz.RegradeJob, next quiz.RegradePhase, now time.Time) error
}

// newRegradeJob records the regrade of a correction that made key version v.
func (s *Service) newRegradeJob(ctx context.Context, q quiz.Quiz, questionID string) (quiz.RegradeJob, error) {
	now := s.now().UTC()
	return s.store.CreateRegradeJob(ctx, quiz.RegradeJob{ID: uuid.NewString(), QuizID: q.ID, QuestionID: questionID,
		KeyVersion: q.GradeVersion(), CreatedAt: now, SweepAfter: now.Add(StaleGradeWindow)})
}

// RegradeJob returns a job's progress to staff who may author the quiz.
func (s *Service) RegradeJob(ctx context.Context, staff auth.Staff, quizID, jobID string) (quiz.RegradeJob, error) {
	if _, _, err := auth.LoadQuiz(ctx, s.store, staff, auth.Author, quizID); err != nil {
		return quiz.RegradeJob{}, err
	}
	if _, ok := quiz.ParseID(jobID); !ok {
		return quiz.RegradeJob{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy việc chấm lại")
	}
	return s.store.GetRegradeJob(ctx, quizID, jobID)
}

// RunRegradeJobs works on every open job until each is done, waits for its sweeps, or
// ctx ends (the maintenance function gives it its time left). A run stopped anywhere
// resumes from the checkpoints; it returns the jobs finished.
func (s *Service) RunRegradeJobs(ctx context.Context) ([]string, error) {
	jobs, err := s.store.OpenRegradeJobs(ctx)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, j := range jobs {
		finished, err := s.RunRegradeJob(ctx, j.QuizID, j.ID)
		if err != nil {
			return done, err
		}
		if finished {
			done = append(done, j.ID)
		}
	}
	return done, nil
}

// RunRegradeJob works on one job; it reports whether the job is done. A job walks its
// quiz's ledgers once at once (running), then, from SweepAfter on, again and again
// (sweeping) until a whole walk regrades nothing: only a walk that begins after every
// attempt graded with the old key has reached the ledgers can end it, and one that
// still found some suggests stragglers, so another follows.
func (s *Service) RunRegradeJob(ctx context.Context, quizID, jobID string) (bool, error) {
	for {
		j, err := s.store.GetRegradeJob(ctx, quizID, jobID)
		if err != nil {
			return false, err
		}
		if j.Phase == quiz.RegradeDone {
			return true, nil
		}
		// The quiz as it is now: a newer correction's key grades too (never backwards:
		// each write is conditional on an older grade version).
		q, err := s.store.GetQuiz(ctx, quizID)
		if err != nil {
			return false, err
		}
		if err := s.walk(ctx, q, j); err != nil {
			if ctx.Err() != nil {
				return false, nil // out of time: the next run resumes from the checkpoints
			}
			return false, err
		}
		if ctx.Err() != nil {
			return false, nil
		}
		if j, err = s.store.GetRegradeJob(ctx, quizID, jobID); err != nil {
			return false, err
		}
		if j.ShardsDone() < len(j.Cursors) {
			continue // a shard moved by another run meanwhile: look again
		}
		next := quiz.RegradeDone
		switch {
		case j.Phase == quiz.RegradeRunning:
			if s.now().Before(j.SweepAfter) {
				return false, nil // the sweeps wait for stale caches and the stream
			}
			next = quiz.RegradeSweeping
		case j.PassChanged > 0:
			next = quiz.RegradeSweeping // this sweep still regraded some: walk again
		}
		if err := s.store.AdvanceRegradeJob(ctx, j, next, s.now()); err != nil && apperr.CodeOf(err) != apperr.Conflict {
			return false, err
		}
		if next == quiz.RegradeDone {
			s.recordRegraded(ctx, quizID, j)
		}
	}
}

// walk works through the unfinished shards of the job's phase, a few at a time.
func (s *Service) walk(ctx context.Context, q quiz.Quiz, j quiz.RegradeJob) error {
	shards := make([]string, 0, len(j.Cursors))
	for shard, c := range j.Cursors {
		if c != quiz.CursorDone {
			shards = append(shards, shard)
		}
	}
	sort.Strings(shards)
	work := make(chan string)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range min(regradeWorkers, len(shards)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for shard := range work {
				if err := s.walkShard(ctx, q, j, shard); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, shard := range shards {
		work <- shard
	}
	close(work)
	wg.Wait()
	return first
}

// walkShard regrades one shard page by page from its checkpoint.
func (s *Service) walkShard(ctx context.Context, q quiz.Quiz, j quiz.RegradeJob, shard string) error {
	n := 0
	for _, c := range shard {
		n = n*10 + int(c-'0')
	}
	from := j.Cursors[shard]
	for from != quiz.CursorDone {
		if ctx.Err() != nil {
			return nil
		}
		after := from
		if after == quiz.CursorStart {
			after = ""
		}
		list, next, err := s.store.StaleAttemptPage(ctx, q.ID, n, after, q.GradeVersion(), regradePage)
		if err != nil {
			return err
		}
		var regraded []quiz.Attempt
		checked := 0
		for _, a := range list {
			if a.Status != quiz.Submitted || a.GradeVersion >= q.GradeVersion() {
				continue
			}
			checked++
			if g, ok := Regrade(q, a); ok {
				regraded = append(regraded, g)
			}
		}
		to := next
		if to == "" {
			to = quiz.CursorDone
		}
		err = s.store.RegradePage(ctx, j, shard, from, to, regraded, checked)
		if apperr.CodeOf(err) == apperr.Conflict {
			return nil // another run took this shard on
		}
		if err != nil {
			return err
		}
		from = to
	}
	return nil
}

// Regrade grades a submitted attempt again with the quiz's current key when it was
// asked a question corrected since its grade; ok is false when its grade stands.
func Regrade(q quiz.Quiz, a quiz.Attempt) (quiz.Attempt, bool) {
	v := q.GradeVersion()
	if a.Status != quiz.Submitted || a.GradeVersion >= v {
		return a, false
	}
	touched := slices.ContainsFunc(q.Corrections[max(a.GradeVersion, 0):], func(c quiz.Correction) bool {
		return slices.Contains(a.QuestionIDs, c.QuestionID)
	})
	if !touched {
		return a, false
	}
	g := quiz.Grade(quiz.AttemptQuestions(q, a), a.Answers)
	a.Score, a.MaxScore, a.CorrectCount, a.Topics = g.Score, g.MaxScore, g.CorrectCount, g.Topics
	a.Correct = map[string]bool{}
	for _, r := range g.Questions {
		if r.Scored {
			a.Correct[r.QuestionID] = r.Correct
		}
	}
	a.GradeVersion = v
	return a, true
}

// recordRegraded notes on the correction how many attempts its job regraded (best
// effort: the job keeps the figure in any case).
func (s *Service) recordRegraded(ctx context.Context, quizID string, j quiz.RegradeJob) {
	q, err := s.store.GetQuiz(ctx, quizID)
	if err != nil || j.KeyVersion < 1 || j.KeyVersion > len(q.Corrections) {
		return
	}
	if j, err = s.store.GetRegradeJob(ctx, quizID, j.ID); err != nil {
		return
	}
	q.Corrections[j.KeyVersion-1].Regraded = j.Changed
	_ = s.store.PutQuiz(ctx, q)
}
