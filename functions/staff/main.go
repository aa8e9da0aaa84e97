// Command staff is the staff API Lambda: reports, activity log, authoring and imports.
// API Gateway's JWT authorizer (Cognito) guards every route.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/rounds"
	"github.com/nq58/tracker/internal/lambdaenv"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/staffapi"
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
	handler := staffapi.New(report.NewService(store, nil), authoring.NewService(store, nil), rounds.NewService(store, nil), store, log)
	lambda.Start(handler.Handle)
	return nil
}
