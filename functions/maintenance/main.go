// Command maintenance is the daily Lambda that purges the personal data of finished
// contests and quizzes once their keeping period is over.
package main

import (
	"log/slog"

	"github.com/nq58/tracker/internal/app/maintenance"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/lambdaenv"
)

func main() {
	lambdaenv.Start(func(store *dynamo.Store, log *slog.Logger) (any, error) { return maintenance.New(store, nil, log), nil })
}
