// Command public is the resident API Lambda: units, quizzes, attempts and public contest results.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/nq58/tracker/internal/app/public"
	"github.com/nq58/tracker/internal/lambdaenv"
)

func main() {
	log := lambdacontext.NewLogger()
	if err := run(log); err != nil {
		log.Error("cold start failed", "error", err.Error())
		os.Exit(1)
	}
}

// run builds the client once per cold start and hands the wired handler to Lambda.
func run(log *slog.Logger) error {
	store, err := lambdaenv.Store()
	if err != nil {
		return err
	}
	lambda.Start(public.New(store, nil, log).Handle)
	return nil
}
