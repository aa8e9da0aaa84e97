// Package streamapi is the Lambda side of the table's stream: it turns batches of
// stream records into counter updates and reports the records that failed.
package streamapi

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/metrics"
	"github.com/nq58/tracker/internal/quiz"
)

// Handler applies submitted attempts to counters.
type Handler struct {
	store   aggregate.Store
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

// New returns the stream handler.
func New(store aggregate.Store, log *slog.Logger) *Handler { return &Handler{store: store, log: log} }

// Handle processes one batch. Each record is applied exactly once by the store, so a
// failed record is reported (ReportBatchItemFailures) and the retried batch re-applies
// only what did not land.
func (h *Handler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	defer func() { h.report(ev, len(resp.BatchItemFailures)) }()
	for _, rec := range ev.Records {
		if err := h.record(ctx, rec); err != nil {
			h.log.ErrorContext(ctx, "stream record failed", "eventId", rec.EventID,
				"sequenceNumber", rec.Change.SequenceNumber, "error", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return resp, nil
}

func (h *Handler) report(ev events.DynamoDBEvent, failed int) {
	if h.metrics == nil || len(ev.Records) == 0 {
		return
	}
	var oldest time.Time
	for _, rec := range ev.Records {
		if t := rec.Change.ApproximateCreationDateTime.Time; !t.IsZero() && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
	}
	ms := []metrics.Metric{
		{Name: "StreamRecordsApplied", Unit: metrics.Count, Value: float64(len(ev.Records) - failed)},
		{Name: "StreamRecordsFailed", Unit: metrics.Count, Value: float64(failed)},
	}
	if !oldest.IsZero() {
		ms = append(ms, metrics.Metric{Name: "StreamLag", Unit: metrics.Milliseconds, Value: float64(max(0, h.now().Sub(oldest).Milliseconds()))})
	}
	h.metrics.Emit(ms...)
}

func (h *Handler) record(ctx context.Context, rec events.DynamoDBEventRecord) error {
	if rec.EventName != string(events.DynamoDBOperationTypeInsert) && rec.EventName != string(events.DynamoDBOperationTypeModify) {
		return nil
	}
	item, err := FromStreamImage(rec.Change.NewImage)
	if err != nil {
		return err
	}
	a, isAttempt, err := dynamo.AttemptFromItem(item)
	if err != nil || !isAttempt || a.Status != quiz.Submitted {
		return err
	}
	e := aggregate.EventOf(a)
	if err := h.store.Apply(ctx, e); err != nil {
		return err
	}
	if e.RoundID != "" {
		return h.store.ApplyRound(ctx, e)
	}
	return nil
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
