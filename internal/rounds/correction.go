package rounds

import (
	"context"
	"slices"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

// Regrader is what a key correction needs beyond the Store.
type Regrader interface {
	PutQuiz(ctx context.Context, q quiz.Quiz) error
	// EachAttempt calls fn for every submitted attempt of a quiz (through the round
	// index for contests).
	EachAttempt(ctx context.Context, q quiz.Quiz, fn func(quiz.Attempt) error) error
	// RegradeAttempt stores a new grade unless the stored one is as new or newer.
	RegradeAttempt(ctx context.Context, a quiz.Attempt) error
}

// PurgeResult answers a purge of personal data.
type PurgeResult struct {
	Attempts int `json:"attempts"` // attempts whose personal data was removed
	Rounds   int `json:"rounds"`   // frozen results cleaned
}

// PurgePersonalData removes names, phones, CCCD numbers and organisations from every
// attempt of a quiz and from its frozen contest results, once the quiz is over (a
// contest: every round closed; a quiz or survey: closed). Identity keys, scores and
// counters stay, so reports and digests are unchanged.
func (s *Service) PurgePersonalData(ctx context.Context, staff auth.Staff, rg Purger, quizID string) (PurgeResult, error) {
	q, err := s.store.GetQuiz(ctx, quizID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return PurgeResult{}, auth.OutOfScope()
	}
	if err != nil {
		return PurgeResult{}, err
	}
	roles := []auth.Role{auth.Officer, auth.Admin}
	if q.Kind == quiz.KindContest {
		roles = []auth.Role{auth.Organizer, auth.Admin}
	}
	if err := staff.Require(roles...); err != nil {
		return PurgeResult{}, err
	}
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return PurgeResult{}, err
	}
	tree, err := quiz.NewTree(units)
	if err != nil {
		return PurgeResult{}, err
	}
	scope := q.ScopeUnitID
	if scope == "" {
		scope = rootOf(tree, staff.ScopeUnitID)
	}
	if !tree.Within(scope, staff.ScopeUnitID) {
		return PurgeResult{}, auth.OutOfScope()
	}
	return s.purge(ctx, rg, q)
}

// purge removes the personal data of a finished quiz and records when.
func (s *Service) purge(ctx context.Context, rg Purger, q quiz.Quiz) (PurgeResult, error) {
	quizID := q.ID
	var frozen []contest.Results
	if q.Contest != nil {
		for _, r := range q.Contest.Rounds {
			res, err := s.store.GetResults(ctx, quizID, r.ID)
			if apperr.CodeOf(err) == apperr.NotFound {
				return PurgeResult{}, apperr.Errorf(apperr.Conflict, "Vòng %s chưa đóng: chỉ xóa dữ liệu cá nhân khi cuộc thi đã kết thúc", r.ID)
			}
			if err != nil {
				return PurgeResult{}, err
			}
			frozen = append(frozen, res)
		}
	} else if q.Status != quiz.Closed {
		return PurgeResult{}, apperr.Errorf(apperr.Conflict, "Chỉ xóa dữ liệu cá nhân khi bài đã đóng")
	}
	out := PurgeResult{}
	err := rg.EachAttempt(ctx, q, func(a quiz.Attempt) error {
		if a.Participant.Name == "" && a.Participant.Phone == "" && a.Participant.CCCD == "" && a.Participant.Organization == "" {
			return nil
		}
		out.Attempts++
		return rg.PurgeAttempt(ctx, a.ID)
	})
	if err != nil {
		return out, err
	}
	for _, r := range frozen {
		for i := range r.Lines {
			r.Lines[i].Name, r.Lines[i].Phone, r.Lines[i].CCCD, r.Lines[i].Organization = "", "", "", ""
		}
		if err := s.store.PurgeResults(ctx, r); err != nil {
			return out, err
		}
		out.Rounds++
	}
	q.PersonalDataPurgedAt = s.now().UTC()
	if err := rg.PutQuiz(ctx, q); err != nil {
		return out, err
	}
	return out, nil
}

// PersonalDataDays is how long a closed quiz or survey keeps names and phones.
const PersonalDataDays = 90

// PurgeExpired purges the personal data of every contest whose rounds are all closed
// and whose last round ended more than its KeepPersonalDataDays ago, and of every quiz
// or survey closed more than PersonalDataDays ago. The maintenance Lambda runs it daily.
func (s *Service) PurgeExpired(ctx context.Context, rg Purger, quizzes []quiz.Quiz) ([]string, error) {
	now := s.now()
	var purged []string
	for _, q := range quizzes {
		if !q.PersonalDataPurgedAt.IsZero() || q.Status == quiz.Draft {
			continue
		}
		var end time.Time
		days := PersonalDataDays
		if q.Contest != nil {
			cfg := q.Contest.Normalized()
			days = cfg.KeepPersonalDataDays
			for _, r := range cfg.Rounds {
				if r.ClosesAt.After(end) {
					end = r.ClosesAt
				}
			}
		} else {
			if q.Status != quiz.Closed && (q.ClosesAt.IsZero() || now.Before(q.ClosesAt)) {
				continue
			}
			end = q.ClosesAt
			if q.Status == quiz.Closed && (end.IsZero() || q.UpdatedAt.Before(end)) {
				end = q.UpdatedAt
			}
			if q.Status != quiz.Closed {
				q.Status = quiz.Closed // past its closing date: over for residents
			}
		}
		if end.IsZero() || now.Before(end.Add(time.Duration(days)*24*time.Hour)) {
			continue
		}
		if _, err := s.purge(ctx, rg, q); err != nil {
			if apperr.CodeOf(err) == apperr.Conflict {
				continue // a round not closed yet: the organiser must close it first
			}
			return purged, err
		}
		purged = append(purged, q.ID)
	}
	return purged, nil
}

// Purger is what a purge of personal data needs.
type Purger interface {
	PutQuiz(ctx context.Context, q quiz.Quiz) error
	EachAttempt(ctx context.Context, q quiz.Quiz, fn func(quiz.Attempt) error) error
	// PurgeAttempt removes an attempt's personal details.
	PurgeAttempt(ctx context.Context, attemptID string) error
}

// CorrectionInput is the body of a correction: new correct options, or void.
type CorrectionInput struct {
	CorrectOptionIDs []string `json:"correctOptionIds"`
	Void             bool     `json:"void"`
}

// CorrectionResult answers a correction.
type CorrectionResult struct {
	QuestionID   string   `json:"questionId"`
	GradeVersion int      `json:"gradeVersion"`
	Regraded     int      `json:"regraded"`
	FrozenRounds []string `json:"frozenRounds,omitempty"` // closed rounds keep their published results
}

// Correct changes a published question's answer key (or voids it, so everyone gets its
// points), records who did it and when, and regrades every submitted attempt that was
// asked the question; the aggregator then moves the awareness counters and round
// statistics from the old grades to the new ones.
func (s *Service) Correct(ctx context.Context, staff auth.Staff, rg Regrader, quizID, questionID string, in CorrectionInput) (CorrectionResult, error) {
	q, err := s.store.GetQuiz(ctx, quizID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return CorrectionResult{}, auth.OutOfScope()
	}
	if err != nil {
		return CorrectionResult{}, err
	}
	roles := []auth.Role{auth.Officer, auth.Admin}
	if q.Kind == quiz.KindContest {
		roles = []auth.Role{auth.Organizer, auth.Admin}
	}
	if err := staff.Require(roles...); err != nil {
		return CorrectionResult{}, err
	}
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return CorrectionResult{}, err
	}
	tree, err := quiz.NewTree(units)
	if err != nil {
		return CorrectionResult{}, err
	}
	scope := q.ScopeUnitID
	if scope == "" {
		scope = rootOf(tree, staff.ScopeUnitID)
	}
	if !tree.Within(scope, staff.ScopeUnitID) {
		return CorrectionResult{}, auth.OutOfScope()
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
	if err := rg.PutQuiz(ctx, q); err != nil {
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
	err = rg.EachAttempt(ctx, q, func(a quiz.Attempt) error {
		if a.Status != quiz.Submitted || !slices.Contains(a.QuestionIDs, questionID) || a.GradeVersion >= q.GradeVersion() {
			return nil
		}
		g := quiz.Grade(quiz.AttemptQuestions(q, a), a.Answers)
		a.Score, a.MaxScore, a.CorrectCount, a.Topics = g.Score, g.MaxScore, g.CorrectCount, g.Topics
		a.Correct = map[string]bool{}
		for _, r := range g.Questions {
			if r.Scored {
				a.Correct[r.QuestionID] = r.Correct
			}
		}
		a.GradeVersion = q.GradeVersion()
		if err := rg.RegradeAttempt(ctx, a); err != nil {
			return err
		}
		out.Regraded++
		return nil
	})
	if err != nil {
		return out, err
	}
	// Record how many attempts the correction regraded.
	q.Corrections[len(q.Corrections)-1].Regraded = out.Regraded
	if err := rg.PutQuiz(ctx, q); err != nil && apperr.CodeOf(err) != apperr.Conflict {
		return out, err
	}
	return out, nil
}
