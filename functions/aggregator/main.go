// Command aggregator is the stream Lambda that keeps the awareness counters.
package main

import (
	"log/slog"

	"github.com/nq58/tracker/internal/app/aggregator"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/lambdaenv"
)

func main() {
	lambdaenv.Start(func(store *dynamo.Store, log *slog.Logger) (any, error) {
		return aggregator.New(store, log).Handle, nil
	})
}
