package localgw

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/nq58/tracker/internal/samtemplate"
)

// StreamHandler is a DynamoDB stream Lambda handler.
type StreamHandler func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error)

// Poller emulates a DynamoDB event source mapping: it reads every shard of the table's
// stream in order and invokes the handler with batches of BatchSize records. A batch
// that fails is retried up to MaximumRetryAttempts times; with ReportBatchItemFailures
// the retry starts at the lowest reported sequence number, as Lambda does.
type Poller struct {
	streams *dynamodbstreams.Client
	arn     string
	src     samtemplate.StreamSource
	handler StreamHandler
	log     *slog.Logger
	shards  map[string]*shard
	started bool
}

type shard struct {
	iterator *string
	lastSeq  string
	closed   bool
}

// NewPoller returns a poller for the stream with the given ARN.
func NewPoller(streams *dynamodbstreams.Client, arn string, src samtemplate.StreamSource, h StreamHandler, log *slog.Logger) *Poller {
	if log == nil {
		log = slog.Default()
	}
	if src.BatchSize <= 0 {
		src.BatchSize = 100
	}
	return &Poller{streams: streams, arn: arn, src: src, handler: h, log: log, shards: map[string]*shard{}}
}

// Run polls until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := p.Step(ctx)
		if err != nil && ctx.Err() == nil {
			p.log.Error("stream poll failed", "error", err.Error())
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(250 * time.Millisecond):
			}
		}
	}
}

// Drain polls until a whole pass over the stream finds nothing new.
func (p *Poller) Drain(ctx context.Context) error {
	for {
		n, err := p.Step(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// Step reads one batch from each open shard and delivers it; it returns how many
// records it read.
func (p *Poller) Step(ctx context.Context) (int, error) {
	if err := p.discover(ctx); err != nil {
		return 0, err
	}
	total := 0
	for id, sh := range p.shards {
		if sh.closed {
			continue
		}
		out, err := p.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: sh.iterator, Limit: aws.Int32(int32(p.src.BatchSize))})
		var expired *types.ExpiredIteratorException
		if errors.As(err, &expired) {
			sh.iterator, err = p.iterator(ctx, id, sh.lastSeq)
			if err != nil {
				return total, err
			}
			continue
		}
		if err != nil {
			return total, fmt.Errorf("get records: %w", err)
		}
		if len(out.Records) > 0 {
			total += len(out.Records)
			p.deliver(ctx, out.Records)
			sh.lastSeq = aws.ToString(out.Records[len(out.Records)-1].Dynamodb.SequenceNumber)
		}
		sh.iterator = out.NextShardIterator
		if sh.iterator == nil {
			sh.closed = true
		}
	}
	return total, nil
}

func (p *Poller) discover(ctx context.Context) error {
	var shards []types.Shard
	var last *string
	for {
		out, err := p.streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &p.arn, ExclusiveStartShardId: last})
		if err != nil {
			return fmt.Errorf("describe stream: %w", err)
		}
		shards = append(shards, out.StreamDescription.Shards...)
		last = out.StreamDescription.LastEvaluatedShardId
		if last == nil {
			break
		}
	}
	firstPass := !p.started
	p.started = true
	for _, s := range shards {
		id := aws.ToString(s.ShardId)
		if _, known := p.shards[id]; known {
			continue
		}
		// A child shard waits until its parent is read to the end, to keep order per item.
		if parent, ok := p.shards[aws.ToString(s.ParentShardId)]; ok && !parent.closed {
			continue
		}
		typ := types.ShardIteratorTypeTrimHorizon
		if firstPass && p.src.StartingPosition == "LATEST" {
			typ = types.ShardIteratorTypeLatest
		}
		out, err := p.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: &p.arn, ShardId: s.ShardId, ShardIteratorType: typ})
		if err != nil {
			return fmt.Errorf("get shard iterator: %w", err)
		}
		p.shards[id] = &shard{iterator: out.ShardIterator}
	}
	return nil
}

func (p *Poller) iterator(ctx context.Context, shardID, after string) (*string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: &p.arn, ShardId: &shardID, ShardIteratorType: types.ShardIteratorTypeTrimHorizon}
	if after != "" {
		in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeAfterSequenceNumber, &after
	}
	out, err := p.streams.GetShardIterator(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("get shard iterator: %w", err)
	}
	return out.ShardIterator, nil
}

// deliver invokes the handler until the batch succeeds or its retries run out.
func (p *Poller) deliver(ctx context.Context, records []types.Record) {
	batch := make([]events.DynamoDBEventRecord, len(records))
	for i, r := range records {
		batch[i] = ToEventRecord(r, p.arn)
	}
	for try := 0; len(batch) > 0; try++ {
		resp, err := p.handler(ctx, events.DynamoDBEvent{Records: batch})
		if err == nil && len(resp.BatchItemFailures) == 0 {
			return
		}
		if try >= p.src.MaximumRetryAttempts {
			p.log.Error("stream batch dropped after retries", "records", len(batch), "tries", try+1)
			return
		}
		if err == nil && p.src.ReportBatchItemFailures {
			batch = batch[lowestFailure(batch, resp.BatchItemFailures):]
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(try+1) * 50 * time.Millisecond):
		}
	}
}

// lowestFailure returns the index of the first record Lambda would retry from.
func lowestFailure(batch []events.DynamoDBEventRecord, failures []events.DynamoDBBatchItemFailure) int {
	failed := map[string]bool{}
	for _, f := range failures {
		failed[f.ItemIdentifier] = true
	}
	for i, r := range batch {
		if failed[r.Change.SequenceNumber] {
			return i
		}
	}
	return 0 // an identifier that names no record: Lambda retries the whole batch
}

// ToEventRecord converts a stream record read with the SDK into the Lambda event shape.
func ToEventRecord(r types.Record, arn string) events.DynamoDBEventRecord {
	ev := events.DynamoDBEventRecord{
		AWSRegion: aws.ToString(r.AwsRegion), EventID: aws.ToString(r.EventID), EventName: string(r.EventName),
		EventSource: aws.ToString(r.EventSource), EventVersion: aws.ToString(r.EventVersion), EventSourceArn: arn,
	}
	if d := r.Dynamodb; d != nil {
		ev.Change = events.DynamoDBStreamRecord{
			Keys: toEventImage(d.Keys), NewImage: toEventImage(d.NewImage), OldImage: toEventImage(d.OldImage),
			SequenceNumber: aws.ToString(d.SequenceNumber), SizeBytes: aws.ToInt64(d.SizeBytes),
			StreamViewType: string(d.StreamViewType),
		}
		if d.ApproximateCreationDateTime != nil {
			ev.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: *d.ApproximateCreationDateTime}
		}
	}
	return ev
}

func toEventImage(m map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = toEventValue(v)
	}
	return out
}

func toEventValue(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(x.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute()
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(x.Value)
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(x.Value)
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(x.Value)
	case *types.AttributeValueMemberL:
		l := make([]events.DynamoDBAttributeValue, len(x.Value))
		for i, e := range x.Value {
			l[i] = toEventValue(e)
		}
		return events.NewListAttribute(l)
	case *types.AttributeValueMemberM:
		return events.NewMapAttribute(toEventImage(x.Value))
	}
	return events.NewNullAttribute()
}
