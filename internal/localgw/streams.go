package localgw

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/deadletter"
	"github.com/nq58/tracker/internal/eventfilter"
	"github.com/nq58/tracker/internal/samtemplate"
)

// StreamHandler is a DynamoDB stream Lambda handler.
// The event is the tumbling-window shape: Lambda fills ShardID (and the window) only
// when the source has TumblingWindowInSeconds, and so does the poller.
type StreamHandler func(context.Context, events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error)

// Poller emulates a DynamoDB event source mapping: it reads every shard of the table's
// stream in order and invokes the handler with batches of BatchSize records. A batch
// that fails is retried with exponential backoff up to MaximumRetryAttempts times and
// while its oldest record is younger than MaximumRecordAge; with ReportBatchItemFailures
// the retry starts at the lowest reported sequence number, and with BisectBatchOnError a
// failing batch is split in two, as Lambda does. What still fails goes to the dead
// letters (the template's OnFailure destination), never silently away. When reading the
// stream fails (DynamoDB Local stopped, say), the poller keeps its place and resumes
// from the last record it delivered once the stream answers again.
type Poller struct {
	streams *dynamodbstreams.Client
	arn     string
	src     samtemplate.StreamSource
	handler StreamHandler
	log     *slog.Logger
	shards  map[string]*shard
	started bool
	// invocations counts the handler's invocations (retries included).
	invocations atomic.Int64

	// DeadLetters receives the batches that failed every retry.
	DeadLetters DeadLetterSink
	// Backoff is the first retry's delay, doubled for each further retry up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Now is the clock that ages records (time.Now by default).
	Now func() time.Time
}

// Invocations returns how many times the handler has been invoked, retries included.
func (p *Poller) Invocations() int64 { return p.invocations.Load() }

// DeadLetterSink keeps a failed batch for a later replay.
type DeadLetterSink interface {
	Put(ctx context.Context, l deadletter.Letter) error
}

type shard struct {
	iterator *string
	lastSeq  string
	closed   bool
	// pending are records read but not delivered yet: gathered for up to the source's
	// MaximumBatchingWindowInSeconds (since gathering began) or until BatchSize.
	pending []types.Record
	since   time.Time
}

// NewPoller returns a poller for the stream with the given ARN.
func NewPoller(streams *dynamodbstreams.Client, arn string, src samtemplate.StreamSource, h StreamHandler, log *slog.Logger) *Poller {
	if log == nil {
		log = slog.Default()
	}
	if src.BatchSize <= 0 {
		src.BatchSize = 100
	}
	return &Poller{streams: streams, arn: arn, src: src, handler: h, log: log, shards: map[string]*shard{},
		Backoff: 100 * time.Millisecond, MaxBackoff: 10 * time.Second, Now: time.Now}
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

// Drain polls until a whole pass over the stream finds nothing new, delivering what it
// reads without waiting for the batching window.
func (p *Poller) Drain(ctx context.Context) error {
	for {
		n, err := p.step(ctx, true)
		if err != nil || n == 0 {
			return err
		}
	}
}

// Step reads from each open shard and delivers a batch once it has BatchSize records or
// its batching window has passed; it returns how many records it read.
func (p *Poller) Step(ctx context.Context) (int, error) { return p.step(ctx, false) }

func (p *Poller) step(ctx context.Context, flush bool) (int, error) {
	if err := p.discover(ctx); err != nil {
		return 0, err
	}
	total := 0
	for id, sh := range p.shards {
		if sh.closed {
			continue
		}
		if sh.iterator == nil && !sh.closed { // lost with a failed read: resume after the last record delivered
			it, err := p.iterator(ctx, id, sh.lastSeq)
			if err != nil {
				return total, err
			}
			sh.iterator = it
		}
		out, err := p.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: sh.iterator, Limit: aws.Int32(int32(p.src.BatchSize - len(sh.pending)))})
		var expired *types.ExpiredIteratorException
		if errors.As(err, &expired) {
			sh.iterator, sh.pending = nil, nil // read again after the last record delivered
			continue
		}
		if err != nil {
			sh.iterator, sh.pending = nil, nil // an iterator may not survive the stream's outage
			return total, fmt.Errorf("get records: %w", err)
		}
		total += len(out.Records)
		if len(sh.pending) == 0 {
			sh.since = p.Now()
		}
		sh.pending = append(sh.pending, out.Records...)
		sh.iterator = out.NextShardIterator
		full := len(sh.pending) >= p.src.BatchSize || sh.iterator == nil || flush
		if len(sh.pending) > 0 && (full || p.Now().Sub(sh.since) >= p.src.BatchingWindow) {
			batch := sh.pending
			sh.pending = nil
			if !p.deliver(ctx, id, batch) {
				sh.iterator = nil // stopped mid-delivery: read the batch again next time
				return total, ctx.Err()
			}
			sh.lastSeq = aws.ToString(batch[len(batch)-1].Dynamodb.SequenceNumber)
		}
		if sh.iterator == nil && len(sh.pending) == 0 {
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

// deliver invokes the handler until the batch succeeds or, after its retries, is sent
// to the dead letters; it reports false only when ctx ended first.
// Records that match none of the source's filters are dropped before any invocation,
// as Lambda drops them; the caller still moves past them.
func (p *Poller) deliver(ctx context.Context, shardID string, records []types.Record) bool {
	batch := make([]events.DynamoDBEventRecord, 0, len(records))
	for _, r := range records {
		ev := deadletter.EventRecord(r, p.arn)
		if keep, err := p.matches(ev); err != nil {
			// Lambda cannot fail to filter; locally, deliver rather than lose a record.
			p.log.ErrorContext(ctx, "stream filter failed; the record is delivered", "error", err.Error())
		} else if !keep {
			continue
		}
		batch = append(batch, ev)
	}
	if len(batch) == 0 {
		return true
	}
	return p.deliverBatch(ctx, shardID, batch, 0)
}

// matches reports whether a record passes the source's FilterCriteria, tested on the
// record's JSON as Lambda tests it (eventName, dynamodb.NewImage with typed values, …).
func (p *Poller) matches(rec events.DynamoDBEventRecord) (bool, error) {
	if len(p.src.Filters) == 0 {
		return true, nil
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return false, fmt.Errorf("stream record as JSON: %w", err)
	}
	return eventfilter.Any(p.src.Filters, raw)
}

func (p *Poller) deliverBatch(ctx context.Context, shardID string, batch []events.DynamoDBEventRecord, try int) bool {
	for ; len(batch) > 0; try++ {
		p.invocations.Add(1)
		ev := events.DynamoDBTimeWindowEvent{DynamoDBEvent: events.DynamoDBEvent{Records: batch}}
		if p.src.TumblingWindow > 0 {
			ev.ShardID, ev.EventSourceARN = shardID, p.arn
		}
		resp, err := p.handler(ctx, ev)
		if err == nil && len(resp.BatchItemFailures) == 0 {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		if err == nil && p.src.ReportBatchItemFailures {
			batch = batch[lowestFailure(batch, resp.BatchItemFailures):]
		}
		switch {
		case p.tooOld(batch):
			return p.deadLetter(ctx, shardID, batch, deadletter.RecordAgeExceeded, try+1)
		case try >= p.src.MaximumRetryAttempts:
			return p.deadLetter(ctx, shardID, batch, deadletter.RetryAttemptsExhausted, try+1)
		case p.src.BisectBatchOnError && len(batch) > 1:
			// Split the failing batch so that one poison record does not hold back (or
			// take to the dead letters) the records beside it.
			// Splitting is not a retry: each half keeps the retries left.
			half := len(batch) / 2
			return p.deliverBatch(ctx, shardID, batch[:half], try) && p.deliverBatch(ctx, shardID, batch[half:], try)
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(p.backoff(try)):
		}
	}
	return true
}

// backoff is the delay before retry try+1: Backoff doubled per retry, at most MaxBackoff.
func (p *Poller) backoff(try int) time.Duration {
	d := p.Backoff
	for range try {
		if d >= p.MaxBackoff/2 {
			return p.MaxBackoff
		}
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

func (p *Poller) tooOld(batch []events.DynamoDBEventRecord) bool {
	if p.src.MaximumRecordAge <= 0 || len(batch) == 0 {
		return false
	}
	created := batch[0].Change.ApproximateCreationDateTime.Time
	return !created.IsZero() && p.Now().Sub(created) > p.src.MaximumRecordAge
}

// deadLetter hands a batch that failed every retry to the dead letters; without a
// sink it says so loudly, since the counters now miss those records.
func (p *Poller) deadLetter(ctx context.Context, shardID string, batch []events.DynamoDBEventRecord, condition string, invokes int) bool {
	first, last := batch[0], batch[len(batch)-1]
	l := deadletter.Letter{
		RequestContext: deadletter.RequestContext{RequestID: uuid.NewString(), FunctionArn: p.src.Function,
			Condition: condition, ApproximateInvokeCount: invokes},
		Version: "1.0", Timestamp: p.Now().UTC(),
		Batch: deadletter.BatchInfo{ShardID: shardID, StartSequenceNumber: first.Change.SequenceNumber,
			EndSequenceNumber: last.Change.SequenceNumber, BatchSize: len(batch), StreamArn: p.arn,
			ApproximateArrivalOfFirstRecord: first.Change.ApproximateCreationDateTime.Time,
			ApproximateArrivalOfLastRecord:  last.Change.ApproximateCreationDateTime.Time},
		Records: batch,
	}
	if p.DeadLetters == nil {
		p.log.ErrorContext(ctx, "stream batch failed every retry and there is no dead-letter store: its records are not counted",
			"records", len(batch), "condition", condition, "startSequenceNumber", l.Batch.StartSequenceNumber)
		return true
	}
	if err := p.DeadLetters.Put(ctx, l); err != nil {
		// Keep the place in the stream: the batch is read and retried again rather than lost.
		p.log.ErrorContext(ctx, "dead-letter store failed; the batch will be retried", "error", err.Error())
		return false
	}
	p.log.ErrorContext(ctx, "stream batch sent to the dead letters after its retries", "records", len(batch),
		"condition", condition, "startSequenceNumber", l.Batch.StartSequenceNumber, "function", p.src.Function)
	return true
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
