// Command staff is the staff API Lambda: reports, activity log, authoring, imports,
// contest rounds and personal-data purges. API Gateway's JWT authorizer (Cognito) guards
// every route.
package main

import (
	"errors"
	"log/slog"
	"os"

	"github.com/nq58/tracker/internal/app/staff"
	"github.com/nq58/tracker/internal/cognitodir"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/lambdaenv"
)

func main() {
	lambdaenv.Start(func(store *dynamo.Store, log *slog.Logger) (any, error) {
		pool := os.Getenv("USER_POOL_ID")
		if pool == "" {
			return nil, errors.New("USER_POOL_ID is not set")
		}
		cfg, err := lambdaenv.Config()
		if err != nil {
			return nil, err
		}
		return staff.New(store, nil, log, cognitodir.New(cfg, pool)).Handle, nil
	})
}
