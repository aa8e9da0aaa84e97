package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	aggregatorapp "github.com/nq58/tracker/internal/app/aggregator"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localgw"

	"github.com/aws/aws-lambda-go/events"
)

// aggregator is the template's stream source feeding the aggregator, as the stack wires
// it (filter, batch size, retries), but on a store of its own so that its write units
// are told apart from the resident path's, and with its invocations timed.
type aggregator struct {
	store  *dynamo.Store
	poller *localgw.Poller
	busy   atomic.Int64 // nanoseconds spent in the handler

	stop func()
	done sync.WaitGroup
}

func newAggregator(cfg config, stack *benchStack) *aggregator {
	a := &aggregator{store: dynamo.New(stack.DB, stack.Table)}
	h := aggregatorapp.New(a.store, cappedLog(10)).Handle
	timed := func(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
		t0 := time.Now()
		defer func() { a.busy.Add(int64(time.Since(t0))) }()
		return h(ctx, ev)
	}
	a.poller = localgw.NewPoller(dynamolocal.StreamsClient(cfg.endpoint), stack.StreamARN, stack.Sources[0], timed, cappedLog(10))
	return a
}

// start runs the aggregator beside the load, as Lambda would. It is stopped between
// batches, never cancelled inside one (a cancelled batch would be retried and its
// records logged as failures).
func (a *aggregator) start(ctx context.Context) {
	var stopped atomic.Bool
	a.stop = func() { stopped.Store(true) }
	a.done.Go(func() {
		for !stopped.Load() && ctx.Err() == nil {
			if n, err := a.poller.Step(ctx); n == 0 || err != nil {
				time.Sleep(50 * time.Millisecond)
			}
		}
	})
}

// finish stops the background poller and delivers whatever the stream still holds.
func (a *aggregator) finish(ctx context.Context) error {
	if a.stop != nil {
		a.stop()
		a.done.Wait()
		a.stop = nil
	}
	return a.poller.Drain(ctx)
}

// aggSnapshot is the aggregator's meters at one moment.
type aggSnapshot struct {
	writeUnits, readUnits float64
	invocations           int64
	busy                  time.Duration
}

func (a *aggregator) snapshot() aggSnapshot {
	return aggSnapshot{writeUnits: a.store.WriteUnits(), readUnits: a.store.ReadUnits(),
		invocations: a.poller.Invocations(), busy: time.Duration(a.busy.Load())}
}

func (s aggSnapshot) sub(b aggSnapshot) aggSnapshot {
	return aggSnapshot{writeUnits: s.writeUnits - b.writeUnits, readUnits: s.readUnits - b.readUnits,
		invocations: s.invocations - b.invocations, busy: s.busy - b.busy}
}
