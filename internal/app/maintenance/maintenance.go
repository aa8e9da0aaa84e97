// Package maintenance wires the maintenance function (MaintenanceFunction): daily it
// purges the personal data of finished contests and quizzes after their keeping period;
// every minute (the "Regrade Jobs" event) it works through open regrade jobs.
package maintenance

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/metrics"
	"github.com/nq58/tracker/internal/retention"
)

var (
	_ retention.Store        = (*dynamo.Store)(nil)
	_ authoring.RegradeStore = (*dynamo.Store)(nil)
)

// RegradeJobsEvent is the detail-type of the schedule's input that runs regrade jobs.
const RegradeJobsEvent = "Regrade Jobs"

// regradeBudget bounds one run, so runs a minute apart rarely overlap; a job left
// unfinished resumes from its checkpoints at the next.
const regradeBudget = 50 * time.Second

// Handler is a Schedule event's Lambda handler.
type Handler func(ctx context.Context, ev events.EventBridgeEvent) error

// New wires store → service → handler; now is the clock (nil: time.Now).
func New(store *dynamo.Store, now func() time.Time, log *slog.Logger) Handler {
	svc := retention.NewService(store, now)
	jobs := authoring.NewService(store, now)
	m := metrics.FromEnv(os.Getenv)
	return func(ctx context.Context, ev events.EventBridgeEvent) error {
		if ev.DetailType == RegradeJobsEvent {
			ctx, cancel := context.WithTimeout(ctx, regradeBudget)
			defer cancel()
			done, err := jobs.RunRegradeJobs(ctx)
			log.InfoContext(ctx, "regrade jobs run", "done", done)
			m.Count("RegradeJobsDone", len(done))
			return err
		}
		purged, err := svc.PurgeExpired(ctx)
		log.InfoContext(ctx, "personal data purged", "quizzes", purged)
		m.Count("QuizzesPurged", len(purged))
		return err
	}
}
