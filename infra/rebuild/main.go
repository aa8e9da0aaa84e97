// Command rebuild recomputes every awareness counter from the stored attempts and
// replaces the stored counters with the result. Pause the aggregator while it runs.
//
//	DYNAMODB_ENDPOINT=http://127.0.0.1:8000 go run ./infra/rebuild -table tracker
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
	"github.com/nq58/tracker/internal/ddblocal"
	"github.com/nq58/tracker/internal/dynamo"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "rebuild:", err)
		os.Exit(1)
	}
}

func run() error {
	table := flag.String("table", "tracker", "table name")
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
		endpoint := os.Getenv(ddblocal.EndpointEnv)
		if endpoint == "" {
			return fmt.Errorf("%s is not set (or pass -aws)", ddblocal.EndpointEnv)
		}
		db = ddblocal.Client(endpoint)
	}
	n, err := aggregate.RebuildStored(ctx, dynamo.New(db, *table))
	if err != nil {
		return err
	}
	fmt.Printf("rebuilt %d counters\n", n)
	return nil
}
