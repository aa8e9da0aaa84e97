// Command staffadmin is the staff-account Lambda: admins invite, disable and list staff
// in Cognito's user pool. API Gateway's JWT authorizer (Cognito) guards every route.
package main

import (
	"errors"
	"log/slog"
	"os"

	"github.com/nq58/tracker/internal/app/staffadmin"
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
		return staffadmin.New(store, log, cognitodir.New(cfg, pool)).Handle, nil
	})
}
