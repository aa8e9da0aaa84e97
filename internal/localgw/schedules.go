package localgw

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/samtemplate"
)

// ScheduledHandler is a Lambda handler of a Schedule event.
type ScheduledHandler func(context.Context, events.EventBridgeEvent) error

// Scheduled runs one of the template's Schedule events as EventBridge does: at its
// rate, with a "Scheduled Event" of its own.
type Scheduled struct {
	samtemplate.Schedule
	handler ScheduledHandler
	log     *slog.Logger
}

// Invoke runs the function once now, as its schedule would.
func (s *Scheduled) Invoke(ctx context.Context) error {
	id := uuid.NewString()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: id})
	ev := events.EventBridgeEvent{Version: "0", ID: id, DetailType: "Scheduled Event", Source: "aws.events",
		Time: time.Now().UTC(), Region: "local", Detail: []byte("{}")}
	if s.Input != "" { // a fixed input replaces the event, as EventBridge does
		ev = events.EventBridgeEvent{}
		if err := json.Unmarshal([]byte(s.Input), &ev); err != nil {
			return fmt.Errorf("%s (%s): input: %w", s.Function, s.Event, err)
		}
	}
	if err := s.handler(ctx, ev); err != nil {
		return fmt.Errorf("%s (%s): %w", s.Function, s.Event, err)
	}
	return nil
}

// Run invokes the function at its rate until ctx ends; a failed run is logged, and the
// next one comes at the next tick, as with EventBridge.
func (s *Scheduled) Run(ctx context.Context) {
	t := time.NewTicker(s.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Invoke(ctx); err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "scheduled run failed", "function", s.Function, "error", err.Error())
			}
		}
	}
}

// RunSchedules starts every schedule of the template until ctx ends.
func (st *Stack) RunSchedules(ctx context.Context) {
	for _, s := range st.Schedules {
		go s.Run(ctx)
	}
}

// InvokeScheduleEvent runs one Schedule event of a function once now.
func (st *Stack) InvokeScheduleEvent(ctx context.Context, function, event string) error {
	for _, s := range st.Schedules {
		if s.Function == function && s.Event == event {
			return s.Invoke(ctx)
		}
	}
	return fmt.Errorf("no schedule %s of %s", event, function)
}

// InvokeSchedule runs the named function's schedules once now (for tests and on demand).
func (st *Stack) InvokeSchedule(ctx context.Context, function string) error {
	found := false
	for _, s := range st.Schedules {
		if s.Function == function {
			found = true
			if err := s.Invoke(ctx); err != nil {
				return err
			}
		}
	}
	if !found {
		return fmt.Errorf("no schedule runs %s", function)
	}
	return nil
}
