// Command replay re-applies the stream batches the aggregator failed on after every
// retry, once their cause is fixed. Applying is idempotent (each attempt counts once),
// so a letter replayed twice changes nothing. A letter is removed only once applied.
//
//	DYNAMODB_ENDPOINT=http://127.0.0.1:8000 go run ./infra/replay -table tracker   (the local gateway's .data/dead-letters)
//	go run ./infra/replay -aws -table <table> -queue <AggregatorDeadLetters queue URL>
//
// On AWS the queue's messages say where each batch lies in the stream; the records are
// read back from the stream, which keeps them for 24 hours.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/nq58/tracker/internal/app/aggregator"
	"github.com/nq58/tracker/internal/deadletter"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

func run() error {
	table := flag.String("table", "tracker", "table name")
	dir := flag.String("dir", ".data/dead-letters", "the local gateway's dead-letter folder")
	useAWS := flag.Bool("aws", false, "read the SQS dead-letter queue and the table with the default AWS configuration")
	queue := flag.String("queue", "", "with -aws: the dead-letter queue URL (the stack's AggregatorDeadLetters)")
	flag.Parse()
	ctx := context.Background()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))

	var (
		db      *dynamodb.Client
		streams *dynamodbstreams.Client
		src     deadletter.Source
	)
	if *useAWS {
		if *queue == "" {
			return fmt.Errorf("-aws needs -queue")
		}
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return err
		}
		db, streams = dynamodb.NewFromConfig(cfg), dynamodbstreams.NewFromConfig(cfg)
		src = deadletter.SQS{Client: sqs.NewFromConfig(cfg), QueueURL: *queue}
	} else {
		endpoint := os.Getenv(dynamolocal.EndpointEnv)
		if endpoint == "" {
			return fmt.Errorf("%s is not set (or pass -aws)", dynamolocal.EndpointEnv)
		}
		db, streams = dynamolocal.Client(endpoint), dynamolocal.StreamsClient(endpoint)
		src = deadletter.Dir{Path: *dir}
	}
	handler := aggregator.New(dynamo.New(db, *table), log).Handle
	r, err := deadletter.Replay(ctx, src, deadletter.StreamFetcher(streams), handler, 100)
	fmt.Printf("letters %d, records delivered %d, replayed %d, still failing %d\n", r.Letters, r.Records, r.Replayed, r.Failed)
	if err != nil {
		return err
	}
	if r.Failed > 0 {
		return fmt.Errorf("%d letters still fail: fix the cause and run again", r.Failed)
	}
	return nil
}
