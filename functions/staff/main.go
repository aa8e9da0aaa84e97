// Command staff is the staff API Lambda: reports, activity log, authoring, imports,
// contest rounds and personal-data purges. API Gateway's JWT authorizer (Cognito) guards
// every route.
package main

import (
	"log/slog"

	"github.com/nq58/tracker/internal/app/staff"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/lambdaenv"
)

func main() {
	lambdaenv.Start(func(store *dynamo.Store, log *slog.Logger) (any, error) {
		return staff.New(store, nil, log).Handle, nil
	})
}
