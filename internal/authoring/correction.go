package authoring

import (
	"context"
	"slices"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

// Regrader is what a key correction needs beyond the Store.
type Regrader interface {
	GetResults(ctx context.Context, quizID, roundID string) (contest.Results, error)
	RegradeStore
}

// CorrectionInput is the body of a correction: new correct options, or void.
type CorrectionInput struct {
	CorrectOptionIDs []string `json:"correctOptionIds"`
	Void             bool     `json:"void"`
}

// CorrectionResult answers a correction.
type CorrectionResult struct {
	QuestionID   string          `json:"questionId"`
	GradeVersion int             `json:"gradeVersion"`
	Job          quiz.RegradeJob `json:"job"`                    // the regrade, done by the maintenance function
	FrozenRounds []string        `json:"frozenRounds,omitempty"` // closed rounds keep their published results
}

// Correct changes a published question's answer key (or voids it, so everyone gets its
// points), records who did it and when, and records a regrade job for every submitted
// attempt that was asked the question, which the maintenance function works through
// (RunRegradeJobs) however many attempts there are; the aggregator then moves the
// awareness counters and round statistics from the old grades to the new ones.
func (s *Service) Correct(ctx context.Context, staff auth.Staff, quizID, questionID string, in CorrectionInput) (CorrectionResult, error) {
	q, _, err := auth.LoadQuiz(ctx, s.store, staff, auth.Author, quizID)
	if err != nil {
		return CorrectionResult{}, err
	}
	if q.Status == quiz.Draft {
		return CorrectionResult{}, apperr.Errorf(apperr.Conflict, "Bài còn là bản nháp: hãy sửa trực tiếp")
	}
	i := slices.IndexFunc(q.Questions, func(x quiz.Question) bool { return x.ID == questionID })
	if i < 0 {
		return CorrectionResult{}, apperr.Errorf(apperr.NotFound, "Không có câu hỏi %q", questionID)
	}
	qu := &q.Questions[i]
	if !qu.Scored() || len(qu.CorrectOptionIDs) == 0 {
		return CorrectionResult{}, apperr.Errorf(apperr.Validation, "Câu hỏi %s không chấm điểm", questionID)
	}
	c := quiz.Correction{QuestionID: questionID, Before: slices.Clone(qu.CorrectOptionIDs), By: staff.Username, At: s.now().UTC()}
	if in.Void {
		qu.Void, c.Void = true, true
	} else {
		qu.CorrectOptionIDs, c.After = slices.Clone(in.CorrectOptionIDs), slices.Clone(in.CorrectOptionIDs)
	}
	q.Corrections = append(q.Corrections, c)
	if err := q.Validate(); err != nil {
		return CorrectionResult{}, err
	}
	if err := s.store.PutQuiz(ctx, q); err != nil {
		return CorrectionResult{}, err
	}
	q.Version++
	out := CorrectionResult{QuestionID: questionID, GradeVersion: q.GradeVersion()}
	if q.Contest != nil {
		for _, r := range q.Contest.Rounds {
			if _, err := s.store.GetResults(ctx, quizID, r.ID); err == nil {
				out.FrozenRounds = append(out.FrozenRounds, r.ID)
			}
		}
	}
	if out.Job, err = s.newRegradeJob(ctx, q, questionID); err != nil {
		return out, err
	}
	return out, nil
}
