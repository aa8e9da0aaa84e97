// Package stream wires the table's stream function (AggregatorFunction).
package aggregator

import (
	"log/slog"
	"os"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/aggregatorapi"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/metrics"
)

var (
	_ aggregate.Store         = (*dynamo.Store)(nil)
	_ aggregatorapi.FlagStore = (*dynamo.Store)(nil)
)

// New wires store → handler: the store keeps the counters and the flags, and its item
// layout decodes the records' images.
func New(store *dynamo.Store, log *slog.Logger) *aggregatorapi.Handler {
	return aggregatorapi.New(store, store, dynamo.AttemptFromItem, log).WithMetrics(metrics.FromEnv(os.Getenv), nil)
}
