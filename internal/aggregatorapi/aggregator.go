// Package aggregatorapi is the Lambda side of the table's stream: it turns batches of
// stream records into counter updates and reports the records that failed.
package aggregatorapi

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/metrics"
	"github.com/nq58/tracker/internal/quiz"
)

// Handler applies submitted attempts to counters.
type Handler struct {
	store   aggregate.Store
	flags   FlagStore
	decode  AttemptDecoder
	log     *slog.Logger
	metrics *metrics.Emitter
	now     func() time.Time
}

// WithMetrics reports, per batch, the records applied and failed and the stream's lag
// (age of the batch's oldest record, from ApproximateCreationDateTime); nil: none.
func (h *Handler) WithMetrics(m *metrics.Emitter, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	h.metrics, h.now = m, now
	return h
}

// AttemptDecoder decodes a stored item (a stream record's new image); ok is false when
// the item is not an attempt. The storage package owns the item layout (internal/dynamo,
// AttemptFromItem).
type AttemptDecoder func(item map[string]types.AttributeValue) (a quiz.Attempt, ok bool, err error)

// New returns the stream handler: store keeps the counters, flags the contest entries'
// integrity flags, and decode reads the attempts out of the records' images.
func New(store aggregate.Store, flags FlagStore, decode AttemptDecoder, log *slog.Logger) *Handler {
	return &Handler{store: store, flags: flags, decode: decode, log: log}
}

// Handle processes one batch of one shard. The shard id comes with the event only when
// the event source has a tumbling window (TumblingWindowInSeconds in template.yaml):
// it names the lane whose checkpoints keep the counters' updates once per record (see
// internal/dynamo, aggregation.go); without it nothing is counted and the batch fails,
// since counting without a lane could count a redelivery twice. The window's state is
// not used: each invocation writes what it counted.
//
// Records are counted in stream order. The first record that cannot be counted, and
// those after it, are reported (ReportBatchItemFailures): Lambda retries from the lowest,
// and the retry adds to each counter only what it does not have yet.
func (h *Handler) Handle(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
	// An empty state, never null: the window's state is not used.
	resp := events.DynamoDBTimeWindowEventResponse{TimeWindowEventResponseProperties: events.TimeWindowEventResponseProperties{State: map[string]string{}}}
	records := ev.Records
	defer func() { h.report(records, len(resp.BatchItemFailures)) }()
	done, err := h.apply(ctx, ev.ShardID, records)
	if err != nil {
		h.log.ErrorContext(ctx, "stream batch failed", "shardId", ev.ShardID, "applied", done, "records", len(records),
			"sequenceNumber", records[done].Change.SequenceNumber, "error", err.Error())
		for _, rec := range records[done:] {
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return resp, nil
}

// apply counts records and returns how many of them, a prefix, are applied.
func (h *Handler) apply(ctx context.Context, lane string, records []events.DynamoDBEventRecord) (int, error) {
	if len(records) == 0 {
		return 0, nil
	}
	if lane == "" {
		return 0, fmt.Errorf("the event carries no shard id: the event source needs a tumbling window")
	}
	var recs []aggregate.Record
	var attempts []quiz.Attempt // of each of recs
	var at []int                // index in records of each of recs
	stop, stopErr := len(records), error(nil)
	for i, rec := range records {
		a, ok, err := h.attempt(rec)
		if err != nil {
			stop, stopErr = i, err
			break
		}
		if ok {
			recs = append(recs, aggregate.Record{Lane: lane, Seq: rec.Change.SequenceNumber, Event: aggregate.EventOf(a)})
			attempts, at = append(attempts, a), append(at, i)
		}
	}
	n, err := h.store.ApplyBatch(ctx, lane, recs)
	if err != nil || n < len(recs) {
		if err == nil {
			err = fmt.Errorf("applied %d of %d records", n, len(recs))
		}
		stop, stopErr = at[n], err
	}
	// Contest rounds keep their own once-only markers, per attempt.
	firstEntry := -1
	var entries []quiz.Attempt
	for j, r := range recs {
		if at[j] >= stop {
			break
		}
		if r.Event.RoundID == "" {
			continue
		}
		if err := h.store.ApplyRound(ctx, r.Event); err != nil {
			stop, stopErr = at[j], err // the entries before it still get their flags
			break
		}
		if firstEntry < 0 {
			firstEntry = at[j]
		}
		entries = append(entries, attempts[j])
	}
	// Flag evidence, grouped over the batch; idempotent, so a failure redelivers every
	// entry from the batch's first.
	if len(entries) > 0 {
		if err := h.flags.ApplyFlags(ctx, entries); err != nil {
			return firstEntry, err
		}
	}
	return stop, stopErr
}

// FlagStore keeps the integrity flags of contest entries (internal/dynamo, flags.go); it
// gets each batch's entries.
type FlagStore interface {
	ApplyFlags(ctx context.Context, entries []quiz.Attempt) error
}

func (h *Handler) report(records []events.DynamoDBEventRecord, failed int) {
	if h.metrics == nil || len(records) == 0 {
		return
	}
	var oldest time.Time
	for _, rec := range records {
		if t := rec.Change.ApproximateCreationDateTime.Time; !t.IsZero() && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
	}
	ms := []metrics.Metric{
		{Name: "StreamRecordsApplied", Unit: metrics.Count, Value: float64(len(records) - failed)},
		{Name: "StreamRecordsFailed", Unit: metrics.Count, Value: float64(failed)},
	}
	if !oldest.IsZero() {
		ms = append(ms, metrics.Metric{Name: "StreamLag", Unit: metrics.Milliseconds, Value: float64(max(0, h.now().Sub(oldest).Milliseconds()))})
	}
	h.metrics.Emit(ms...)
}

// attempt extracts a submitted attempt from a record; ok is false for any other record
// (the template's filter drops them before Lambda, the local poller too).
func (h *Handler) attempt(rec events.DynamoDBEventRecord) (quiz.Attempt, bool, error) {
	if rec.EventName != string(events.DynamoDBOperationTypeInsert) && rec.EventName != string(events.DynamoDBOperationTypeModify) {
		return quiz.Attempt{}, false, nil
	}
	item, err := FromStreamImage(rec.Change.NewImage)
	if err != nil {
		return quiz.Attempt{}, false, err
	}
	a, isAttempt, err := h.decode(item)
	if err != nil || !isAttempt || a.Status != quiz.Submitted {
		return quiz.Attempt{}, false, err
	}
	return a, true, nil
}

// FromStreamImage converts a stream image (Lambda event types) into SDK attribute values.
func FromStreamImage(img map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(img))
	for k, v := range img {
		av, err := fromStreamValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

func fromStreamValue(v events.DynamoDBAttributeValue) (types.AttributeValue, error) {
	switch v.DataType() {
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: v.String()}, nil
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: v.Number()}, nil
	case events.DataTypeBinary:
		return &types.AttributeValueMemberB{Value: v.Binary()}, nil
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: v.Boolean()}, nil
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: v.StringSet()}, nil
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: v.NumberSet()}, nil
	case events.DataTypeBinarySet:
		return &types.AttributeValueMemberBS{Value: v.BinarySet()}, nil
	case events.DataTypeList:
		var l []types.AttributeValue
		for _, x := range v.List() {
			av, err := fromStreamValue(x)
			if err != nil {
				return nil, err
			}
			l = append(l, av)
		}
		return &types.AttributeValueMemberL{Value: l}, nil
	case events.DataTypeMap:
		m, err := FromStreamImage(v.Map())
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	}
	return nil, fmt.Errorf("unknown attribute type %v", v.DataType())
}
