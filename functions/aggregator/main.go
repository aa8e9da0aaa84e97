// Command aggregator is the stream Lambda that keeps the awareness counters.
package main

import (
	"errors"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/nq58/tracker/internal/aggregator"
	"github.com/nq58/tracker/internal/dynamo"
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
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		return errors.New("TABLE_NAME is not set")
	}
	cfg, err := lambdaenv.Config()
	if err != nil {
		return err
	}
	store := dynamo.New(dynamodb.NewFromConfig(cfg), table)
	lambda.Start(aggregator.New(store, log).Handle)
	return nil
}
