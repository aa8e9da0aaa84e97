// Command public is the resident API Lambda: units, quizzes and attempts.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/nq58/tracker/internal/rounds"
	"github.com/nq58/tracker/internal/publicapi"
	"github.com/nq58/tracker/internal/lambdaenv"
	"github.com/nq58/tracker/internal/quiz"
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
	handler := publicapi.New(quiz.NewService(store, nil), rounds.NewService(store, nil), log)
	lambda.Start(handler.Handle)
	return nil
}
