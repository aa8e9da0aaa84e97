// Package retention deletes personal data when its purpose ends (Vietnam's Personal
// Data Protection Law): on request once a quiz or contest is over, and daily after the
// keeping period.
package retention

import (
	"context"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/sample"
)

// Store is what retention needs from storage.
type Store interface {
	auth.Quizzes
	ListQuizzes(ctx context.Context) ([]quiz.Quiz, error)
	GetResults(ctx context.Context, quizID, roundID string) (contest.Results, error)
	// PurgeResults removes personal details from a round's frozen results (the digest
	// does not cover them).
	PurgeResults(ctx context.Context, r contest.Results) error
	PutQuiz(ctx context.Context, q quiz.Quiz) error
	// EveryAttempt calls fn for every attempt of a quiz the aggregator has counted (its
	// participants' ledgers list them; one still in the stream is missed until then).
	EveryAttempt(ctx context.Context, quizID string, fn func(quiz.Attempt) error) error
	// PurgeAttempt removes everything personal from an attempt; its identity key stays.
	PurgeAttempt(ctx context.Context, a quiz.Attempt) error
	// PurgeVerifications deletes a quiz's phone verifications.
	PurgeVerifications(ctx context.Context, quizID string) (int, error)
	// ListSamples and DeleteSample: a quiz's random samples hold register codes (frame,
	// drawn codes), whose purpose ends with the quiz's.
	ListSamples(ctx context.Context, quizID string) ([]sample.Sample, error)
	DeleteSample(ctx context.Context, quizID, id string) error
}

// Service purges personal data.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the retention service; now is the clock (time.Now in production).
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// PurgeResult answers a purge of personal data.
type PurgeResult struct {
	Attempts      int `json:"attempts"`      // attempts whose personal data was removed
	Rounds        int `json:"rounds"`        // frozen results cleaned
	Verifications int `json:"verifications"` // phone verifications deleted
	Samples       int `json:"samples"`       // random samples deleted (frame, codes and figures)
}

// PurgePersonalData removes names, phones, CCCD numbers and organisations from every
// attempt of a quiz and from its frozen contest results, once the quiz is over (a
// contest: every round closed; a quiz or survey: closed). Identity keys, scores and
// counters stay, so reports and digests are unchanged.
func (s *Service) PurgePersonalData(ctx context.Context, staff auth.Staff, quizID string) (PurgeResult, error) {
	q, _, err := auth.LoadQuiz(ctx, s.store, staff, auth.Author, quizID)
	if err != nil {
		return PurgeResult{}, err
	}
	return s.purge(ctx, q)
}

// purge removes the personal data of a finished quiz and records when.
func (s *Service) purge(ctx context.Context, q quiz.Quiz) (PurgeResult, error) {
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
	err := s.store.EveryAttempt(ctx, q.ID, func(a quiz.Attempt) error {
		if !holdsPersonalData(a) {
			return nil
		}
		out.Attempts++
		return s.store.PurgeAttempt(ctx, a)
	})
	if err != nil {
		return out, err
	}
	if out.Verifications, err = s.store.PurgeVerifications(ctx, q.ID); err != nil {
		return out, err
	}
	// A sample's frame and codes are register codes: they go whole with their purpose
	// (the sample's figures with them; its export is the record kept).
	sms, err := s.store.ListSamples(ctx, q.ID)
	if err != nil {
		return out, err
	}
	for _, sm := range sms {
		if err := s.store.DeleteSample(ctx, q.ID, sm.ID); err != nil {
			return out, err
		}
		out.Samples++
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
	if err := s.store.PutQuiz(ctx, q); err != nil {
		return out, err
	}
	return out, nil
}

// holdsPersonalData reports whether an attempt still holds anything a purge removes.
func holdsPersonalData(a quiz.Attempt) bool {
	p := a.Participant
	if p.Name != "" || p.Phone != "" || p.CCCD != "" || p.Organization != "" || p.BirthYear != 0 || p.Gender != "" || a.ClientID != "" {
		return true
	}
	for _, x := range a.Answers {
		if x.Text != "" && x.Text != "—" {
			return true
		}
	}
	return false
}

// PersonalDataDays is how long a closed quiz or survey keeps names and phones.
const PersonalDataDays = 90

// PurgeExpired purges the personal data of every contest whose rounds are all closed
// and whose last round ended more than its KeepPersonalDataDays ago, and of every quiz
// or survey closed more than PersonalDataDays ago. The maintenance Lambda runs it daily.
func (s *Service) PurgeExpired(ctx context.Context) ([]string, error) {
	quizzes, err := s.store.ListQuizzes(ctx)
	if err != nil {
		return nil, err
	}
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
		if _, err := s.purge(ctx, q); err != nil {
			if apperr.CodeOf(err) == apperr.Conflict {
				continue // a round not closed yet: the organiser must close it first
			}
			return purged, err
		}
		purged = append(purged, q.ID)
	}
	return purged, nil
}
