package report

import (
	"context"
	"time"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// Store is what reports need from storage.
type Store interface {
	ListUnits(ctx context.Context) ([]units.Unit, error)
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
	ListQuizzes(ctx context.Context) ([]quiz.Quiz, error)
	// Counters returns every month's counter of a quiz for the given units.
	Counters(ctx context.Context, quizID string, unitIDs []string) ([]aggregate.Counter, error)
	PutActivity(ctx context.Context, a activity.Activity) error
	// ListActivities returns the activities of the given units dated from..to (YYYY-MM-DD, inclusive).
	ListActivities(ctx context.Context, unitIDs []string, from, to string) ([]activity.Activity, error)
}

// Service builds reports for staff users, within their scope.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a report service; now is the clock (time.Now in production).
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}
