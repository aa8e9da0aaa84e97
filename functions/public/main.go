// Command public is the resident API Lambda: units, quizzes and attempts.
package main

import (
	"errors"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/nq58/tracker/internal/contests"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/httpapi"
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
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		return errors.New("TABLE_NAME is not set")
	}
	cfg, err := lambdaenv.Config()
	if err != nil {
		return err
	}
	store := dynamo.New(dynamodb.NewFromConfig(cfg), table)
	handler := httpapi.New(quiz.NewService(store, nil), contests.NewService(store, nil), log)
	lambda.Start(handler.Handle)
	return nil
}
