// Command maintenance is the daily Lambda that purges the personal data of finished
// contests and quizzes once their keeping period is over.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/nq58/tracker/internal/rounds"
	"github.com/nq58/tracker/internal/lambdaenv"
)

func main() {
	log := lambdacontext.NewLogger()
	if err := run(log); err != nil {
		log.Error("cold start failed", "error", err.Error())
		os.Exit(1)
	}
}

func run(log *slog.Logger) error {
	store, err := lambdaenv.Store()
	if err != nil {
		return err
	}
	svc := rounds.NewService(store, nil)
	lambda.Start(func(ctx context.Context) error {
		quizzes, err := store.ListQuizzes(ctx)
		if err != nil {
			return err
		}
		purged, err := svc.PurgeExpired(ctx, store, quizzes)
		log.InfoContext(ctx, "personal data purged", "quizzes", purged)
		return err
	})
	return nil
}
