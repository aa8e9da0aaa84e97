// Package staff wires the staff API function (StaffApiFunction).
package staff

import (
	"log/slog"
	"time"

	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/paper/sheets"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/retention"
	"github.com/nq58/tracker/internal/sample/samples"
	"github.com/nq58/tracker/internal/staffapi"
)

// The store serves every service this function uses.
var (
	_ report.Store    = (*dynamo.Store)(nil)
	_ authoring.Store = (*dynamo.Store)(nil)
	_ rounds.Store    = (*dynamo.Store)(nil)
	_ retention.Store = (*dynamo.Store)(nil)
	_ sheets.Store    = (*dynamo.Store)(nil)
	_ samples.Store   = (*dynamo.Store)(nil)
)

// New wires store → services → handler; now is the clock (nil: time.Now).
func New(store *dynamo.Store, now func() time.Time, log *slog.Logger) *staffapi.Handler {
	return staffapi.New(report.NewService(store, now), authoring.NewService(store, now),
		rounds.NewService(store, now), retention.NewService(store, now), sheets.NewService(store, now), log).
		WithSamples(samples.NewService(store, now))
}
