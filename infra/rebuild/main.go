// Command rebuild recomputes the awareness counters and the participants' ledgers from
// the stored attempts and replaces the stored ones. Pause the aggregator while it runs.
//
//	DYNAMODB_ENDPOINT=http://127.0.0.1:8000 go run ./infra/rebuild -table tracker [-quiz <id>] [-backfill-index]
//
// Without -quiz it reads every attempt in one scan: the repair path, which also finds
// attempts the aggregator never counted. -quiz rebuilds one quiz from its ledgers (no
// scan), so it sees only the attempts the aggregator has counted. -backfill-index first
// gives verifications stored without ByQuiz keys those keys (one scan).
//
//	go run ./infra/rebuild -table <deployed table> -aws   (uses the default AWS config)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "rebuild:", err)
		os.Exit(1)
	}
}

func run() error {
	table := flag.String("table", "tracker", "table name")
	quizID := flag.String("quiz", "", "rebuild only this quiz, from its ledgers (default: every quiz, from a scan of the attempts)")
	backfill := flag.Bool("backfill-index", false, "first give the ByQuiz index keys to verifications stored before it (one scan)")
	useAWS := flag.Bool("aws", false, "use the default AWS configuration instead of DYNAMODB_ENDPOINT")
	flag.Parse()
	ctx := context.Background()
	var db *dynamodb.Client
	if *useAWS {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return err
		}
		db = dynamodb.NewFromConfig(cfg)
	} else {
		endpoint := os.Getenv(dynamolocal.EndpointEnv)
		if endpoint == "" {
			return fmt.Errorf("%s is not set (or pass -aws)", dynamolocal.EndpointEnv)
		}
		db = dynamolocal.Client(endpoint)
	}
	store := dynamo.New(db, *table)
	if *backfill {
		n, err := store.BackfillQuizIndex(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("gave %d verifications their ByQuiz keys\n", n)
	}
	var n int
	var err error
	if *quizID != "" {
		n, err = aggregate.RebuildQuiz(ctx, store, *quizID)
	} else {
		n, err = aggregate.RebuildStored(ctx, store)
	}
	if err != nil {
		return err
	}
	fmt.Printf("rebuilt %d counters\n", n)
	return nil
}
