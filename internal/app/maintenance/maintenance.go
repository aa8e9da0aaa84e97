// Package maintenance wires the daily maintenance function (MaintenanceFunction), which
// purges the personal data of finished contests and quizzes after their keeping period.
package maintenance

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/metrics"
	"github.com/nq58/tracker/internal/retention"
)

var _ retention.Store = (*dynamo.Store)(nil)

// Handler is a Schedule event's Lambda handler.
type Handler func(ctx context.Context, ev events.EventBridgeEvent) error

// New wires store → service → handler; now is the clock (nil: time.Now).
func New(store *dynamo.Store, now func() time.Time, log *slog.Logger) Handler {
	svc := retention.NewService(store, now)
	m := metrics.FromEnv(os.Getenv)
	return func(ctx context.Context, _ events.EventBridgeEvent) error {
		purged, err := svc.PurgeExpired(ctx)
		log.InfoContext(ctx, "personal data purged", "quizzes", purged)
		m.Count("QuizzesPurged", len(purged))
		return err
	}
}
