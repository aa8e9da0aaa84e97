package deadletter

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// SQS reads the letters Lambda put on the stream's on-failure queue.
type SQS struct {
	Client   *sqs.Client
	QueueURL string
}

// List receives every visible message (they stay hidden for the replay's duration).
func (q SQS) List(ctx context.Context) ([]Stored, error) {
	var out []Stored
	for {
		resp, err := q.Client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &q.QueueURL,
			MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 900})
		if err != nil {
			return out, fmt.Errorf("receive dead letters: %w", err)
		}
		if len(resp.Messages) == 0 {
			return out, nil
		}
		for _, m := range resp.Messages {
			var l Letter
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &l); err != nil {
				return out, fmt.Errorf("dead letter %s: %w", aws.ToString(m.MessageId), err)
			}
			out = append(out, Stored{ID: aws.ToString(m.ReceiptHandle), Letter: l})
		}
	}
}

// Remove deletes a replayed message.
func (q SQS) Remove(ctx context.Context, s Stored) error {
	_, err := q.Client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &q.QueueURL, ReceiptHandle: &s.ID})
	return err
}

// streamReader is the part of the DynamoDB Streams client a fetch uses.
type streamReader interface {
	GetShardIterator(ctx context.Context, in *dynamodbstreams.GetShardIteratorInput, opts ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error)
	GetRecords(ctx context.Context, in *dynamodbstreams.GetRecordsInput, opts ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error)
}

// StreamFetcher reads a batch's records back from the stream, from its first sequence
// number to its last.
func StreamFetcher(streams streamReader) Fetcher {
	return func(ctx context.Context, b BatchInfo) ([]events.DynamoDBEventRecord, error) {
		it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: &b.StreamArn,
			ShardId: &b.ShardID, ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber, SequenceNumber: &b.StartSequenceNumber})
		if err != nil {
			return nil, err
		}
		var out []events.DynamoDBEventRecord
		for iter := it.ShardIterator; iter != nil; {
			resp, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				return nil, err
			}
			for _, r := range resp.Records {
				seq := aws.ToString(r.Dynamodb.SequenceNumber)
				if SequenceAfter(seq, b.EndSequenceNumber) {
					return out, nil
				}
				out = append(out, EventRecord(r, b.StreamArn))
			}
			if len(resp.Records) == 0 || len(out) >= b.BatchSize {
				return out, nil
			}
			iter = resp.NextShardIterator
		}
		return out, nil
	}
}
