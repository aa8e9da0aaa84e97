package aggregatorapi_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/aggregatorapi"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/testenv"
)

// image is a stream record of the given sequence number: a quiz item (not counted) or
// an attempt whose birth year cannot be read.
func image(seq string, bad bool) events.DynamoDBEventRecord {
	img := map[string]events.DynamoDBAttributeValue{"pk": events.NewStringAttribute("QUIZ#demo"), "sk": events.NewStringAttribute("META"),
		"e": events.NewStringAttribute("quiz")}
	if bad {
		img = map[string]events.DynamoDBAttributeValue{"pk": events.NewStringAttribute("ATTEMPT#x"), "sk": events.NewStringAttribute("A"),
			"e": events.NewStringAttribute("attempt"), "birthYear": events.NewStringAttribute("not a year")}
	}
	return events.DynamoDBEventRecord{EventName: "MODIFY", Change: events.DynamoDBStreamRecord{SequenceNumber: seq, NewImage: img}}
}

func TestTheAggregatorReportsTheFirstRecordItCannotCountAndTheRest(t *testing.T) {
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	h := aggregatorapi.New(store, store, dynamo.AttemptFromItem, slog.New(slog.NewTextHandler(io.Discard, nil)))
	tests := []struct {
		name    string
		shard   string
		records []events.DynamoDBEventRecord
		want    []string
	}{
		{"a batch without a shard id is refused whole", "", []events.DynamoDBEventRecord{image("1", false), image("2", false)}, []string{"1", "2"}},
		{"a bad record first takes the records after it back to the stream", "shardId-1", []events.DynamoDBEventRecord{image("1", true), image("2", false)}, []string{"1", "2"}},
		{"a bad record last is the only one reported", "shardId-1", []events.DynamoDBEventRecord{image("3", false), image("4", true)}, []string{"4"}},
		{"a batch of records that are not attempts is done", "shardId-1", []events.DynamoDBEventRecord{image("5", false)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := events.DynamoDBTimeWindowEvent{DynamoDBEvent: events.DynamoDBEvent{Records: tc.records}}
			ev.ShardID = tc.shard
			resp, err := h.Handle(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range resp.BatchItemFailures {
				got = append(got, f.ItemIdentifier)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("batchItemFailures = %v, want %v", got, tc.want)
			}
			if resp.State == nil {
				t.Error("state is null, want an empty window state")
			}
		})
	}
}
