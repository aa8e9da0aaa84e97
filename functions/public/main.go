// Command public is the resident API Lambda: units, quizzes, attempts, phone
// verifications (codes sent with Amazon SNS) and public contest results.
package main

import (
	"context"
	"log/slog"

	"github.com/nq58/tracker/internal/app/public"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/lambdaenv"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/snssms"
)

func main() {
	lambdaenv.Start(func(store *dynamo.Store, log *slog.Logger) (any, error) {
		secrets, err := lambdaenv.ReadSecrets(context.Background(), lambdaenv.DeploymentSecret, lambdaenv.OriginSecret)
		if err != nil {
			return nil, err
		}
		keys, err := pseudonym.New(secrets[0])
		if err != nil {
			return nil, err
		}
		return public.New(store, nil, log, snssms.FromEnv(), keys, secrets[1]).Handle, nil
	})
}
