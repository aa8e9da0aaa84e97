package localgw

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
)

// Invoker runs a function of the template (by logical id) out of process, e.g. its real
// bootstrap under the Lambda Runtime Interface Emulator (internal/rie): it takes the
// event as JSON and returns the function's answer.
type Invoker interface {
	Invoke(ctx context.Context, function, requestID string, event []byte) ([]byte, error)
}

func invokeJSON[Out any](ctx context.Context, inv Invoker, function, requestID string, event any) (Out, error) {
	var out Out
	raw, err := json.Marshal(event)
	if err != nil {
		return out, err
	}
	answer, err := inv.Invoke(ctx, function, requestID, raw)
	if err != nil {
		return out, fmt.Errorf("invoke %s: %w", function, err)
	}
	if err := json.Unmarshal(answer, &out); err != nil {
		return out, fmt.Errorf("%s answered %.200s: %w", function, answer, err)
	}
	return out, nil
}

func remoteHTTP(inv Invoker, function string) HTTPHandler {
	return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return invokeJSON[events.APIGatewayV2HTTPResponse](ctx, inv, function, req.RequestContext.RequestID, req)
	}
}

func remoteStream(inv Invoker, function string) StreamHandler {
	return func(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
		return invokeJSON[events.DynamoDBTimeWindowEventResponse](ctx, inv, function, "", ev)
	}
}

func remoteScheduled(inv Invoker, function string) ScheduledHandler {
	return func(ctx context.Context, ev events.EventBridgeEvent) error {
		_, err := invokeJSON[json.RawMessage](ctx, inv, function, "", ev)
		return err
	}
}
