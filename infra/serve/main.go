// Command localgw runs the product locally: DynamoDB Local (unless DYNAMODB_ENDPOINT
// points at one), the table from template.yaml, the demo data (once), the HttpApi
// routes, the pages and the stream-to-aggregator feed. Ctrl-C stops everything.
//
// With -demo=false (`make run DEMO=0`) it is an empty deployment, as a first deploy in
// AWS: no units, quizzes, attempts or accounts, in its own folder (.data/empty/), so
// the demo data stays apart; `make first-admin` then makes the first account.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localauth"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/rie"
)

func main() {
	// The same logger as in Lambda, with the request id of each invocation; JSON when
	// AWS_LAMBDA_LOG_FORMAT=JSON (as `make run` and the template's LoggingConfig set).
	log := lambdacontext.NewLogger()
	if err := run(log); err != nil {
		log.Error("localgw stopped", "error", err.Error())
		os.Exit(1)
	}
}

func run(log *slog.Logger) error {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve on (loopback only)")
	dataDir := flag.String("data", "", "DynamoDB Local data folder (default .data/dynamodb, or .data/empty/dynamodb with -demo=false); secret.key, staff-users.json and dead-letters/ sit beside it")
	table := flag.String("table", "tracker", "table name")
	loadDemo := flag.Bool("demo", true, "load the demo data and accounts when the table is empty (false: an empty deployment)")
	lambdaMode := flag.String("lambda", "inprocess", "how the functions run: inprocess (the handlers in this process) or rie (the built bootstraps under the Lambda Runtime Interface Emulator, a pool of 2 per function)")
	checkContract := flag.Bool("contract", false, "check every request and answer under /v1/ against api/openapi.yaml and log each mismatch (`make run CONTRACT=1`)")
	deadLetters := flag.String("dead-letters", "", "folder for stream batches that failed every retry (go run ./infra/replay re-applies them); default dead-letters/ beside the data folder")
	flag.Parse()
	if *dataDir == "" {
		*dataDir = filepath.Join(".data", "dynamodb")
		if !*loadDemo {
			*dataDir = filepath.Join(".data", "empty", "dynamodb")
		}
	}
	if *deadLetters == "" {
		*deadLetters = filepath.Join(filepath.Dir(*dataDir), "dead-letters")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	endpoint := os.Getenv(dynamolocal.EndpointEnv)
	if endpoint == "" {
		srv, err := dynamolocal.Start(ctx, dynamolocal.Options{DBPath: *dataDir, Log: *dataDir + ".log"})
		if err != nil {
			return err
		}
		defer srv.Stop()
		endpoint = srv.Endpoint
		log.Info("DynamoDB Local started", "endpoint", endpoint, "data", *dataDir)
	}
	// The secret of the keyed hashes, generated once and kept with the data.
	secret, err := pseudonym.LocalSecret(filepath.Join(filepath.Dir(*dataDir), "secret.key"))
	if err != nil {
		return err
	}
	// The origin secret the gateway sends as CloudFront would (X-Origin-Verify): it only
	// has to match between the gateway and the functions of this run.
	origin := []byte(rand.Text())
	var users []localauth.User // an empty deployment has no accounts until `make first-admin`
	if *loadDemo {
		if users, err = demo.Users(); err != nil {
			return err
		}
	}
	var invoker localgw.Invoker
	switch *lambdaMode {
	case "inprocess":
	case "rie":
		// The bootstraps AWS runs, built for this host, against the same DynamoDB Local;
		// DEPLOYMENT_SECRET and ORIGIN_SECRET stand in for Secrets Manager (accepted only
		// with a local endpoint).
		pools, err := rie.StartPools(ctx, filepath.Join("build", "host"), 2, []string{
			"TABLE_NAME=" + *table, "AWS_REGION=ap-southeast-1", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
			"AWS_ENDPOINT_URL_DYNAMODB=" + endpoint, "AWS_LAMBDA_LOG_FORMAT=JSON", "DEPLOYMENT_SECRET=" + string(secret),
			"ORIGIN_SECRET=" + string(origin),
		}, os.Stderr)
		if err != nil {
			return err
		}
		defer pools.Stop()
		invoker = pools
		log.Info("functions run under aws-lambda-rie", "perFunction", 2, "bootstraps", "build/host")
	default:
		return fmt.Errorf("-lambda %q: want inprocess or rie", *lambdaMode)
	}
	stack, err := localgw.NewStack(ctx, localgw.StackOptions{Endpoint: endpoint, Table: *table, Log: log, Users: users,
		UsersFile: filepath.Join(filepath.Dir(*dataDir), "staff-users.json"), DeadLetterDir: *deadLetters, Secret: secret, OriginSecret: origin, Invoker: invoker,
		Contract: *checkContract})
	if err != nil {
		return err
	}
	if *loadDemo {
		loaded, err := demo.Load(ctx, stack.Store)
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		if loaded {
			n, err := demo.LoadResidents(ctx, stack.Store, stack.Keys, time.Now())
			if err != nil {
				return fmt.Errorf("load demo residents: %w", err)
			}
			log.Info("demo data loaded", "attempts", n)
			// The pollers are not running yet, so draining the stream here is safe.
			if err := demo.LoadContest(ctx, stack.Store, stack.Keys, rounds.NewService(stack.Store, time.Now), time.Now(), stack.DrainStreams); err != nil {
				return fmt.Errorf("load demo contest: %w", err)
			}
			log.Info("demo contest loaded", "contest", demo.ContestID)
		}
	}
	stack.RunPollers(ctx)
	stack.RunSchedules(ctx) // the daily purge, as EventBridge runs it in AWS

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: stack.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	accounts := "(demo users in the README, password demo1234)"
	if !*loadDemo {
		accounts = fmt.Sprintf("(empty deployment in %s: make first-admin EMAIL=… UNIT_ID=… UNIT_NAME=\"…\" ADDR=%s)", filepath.Dir(*dataDir), ln.Addr())
	}
	fmt.Printf("\n  Trang trắc nghiệm (quiz page): http://%s/\n  Trang cán bộ (staff dashboard): http://%s/staff/  %s\n  API: http://%s/v1/quizzes\n  Ctrl-C to stop.\n\n", ln.Addr(), ln.Addr(), accounts, ln.Addr())
	if err := server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
