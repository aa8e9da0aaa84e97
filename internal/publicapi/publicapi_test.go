package publicapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/publicapi"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"
)

// throttledClient fails every PutItem as DynamoDB does under throttling, which DynamoDB
// Local never does by itself.
func throttledClient(endpoint string, puts *atomic.Int32) *dynamodb.Client {
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("throttle",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if awsmiddleware.GetOperationName(ctx) == "PutItem" {
						puts.Add(1)
						return middleware.InitializeOutput{}, middleware.Metadata{}, &types.ProvisionedThroughputExceededException{Message: aws.String("Rate of requests exceeds the allowed throughput")}
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	})
}

func startEvent(body string, base64Body bool) events.APIGatewayV2HTTPRequest {
	ev := events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/quizzes/{quizId}/attempts",
		PathParameters: map[string]string{"quizId": "demo-nq58-quiz"}, Body: body}
	if base64Body {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(body)), true
	}
	return ev
}

const startBody = `{"participant":{"name":"Phạm Thị Lan","phone":"0912345678","unitId":"xa-a-t01"},"consent":true,"clientId":"dev"}`

func TestAStorageFailureIsAnInternalErrorThatLeaksNothing(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	good := dynamo.New(dynamolocal.Client(endpoint), table)
	if _, err := demo.Load(ctx, good); err != nil {
		t.Fatal(err)
	}
	var puts atomic.Int32
	var logs bytes.Buffer
	h := publicapi.New(attempts.NewService(dynamo.New(throttledClient(endpoint, &puts), table), nil), nil,
		slog.New(slog.NewJSONHandler(&logs, nil)))

	// The start writes nothing (no limits here); the submit's one PutItem fails.
	resp, err := h.Handle(ctx, startEvent(startBody, false))
	if err != nil {
		t.Fatal(err)
	}
	var started attempts.StartResponse
	if resp.StatusCode != 201 || json.Unmarshal([]byte(resp.Body), &started) != nil {
		t.Fatalf("start = %d %s, want 201", resp.StatusCode, resp.Body)
	}
	resp, err = h.Handle(ctx, events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/attempts/{attemptId}/submit",
		PathParameters: map[string]string{"attemptId": started.AttemptID},
		Body:           `{"attemptToken":"` + started.AttemptToken + `","answers":[]}`})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 500 || resp.Body != `{"error":{"code":"internal","message":"internal error"}}` {
		t.Errorf("response = %d %s, want 500 with only \"internal error\"", resp.StatusCode, resp.Body)
	}
	if puts.Load() == 0 {
		t.Fatal("the failure was never injected")
	}
	if !strings.Contains(logs.String(), "ProvisionedThroughputExceeded") || !strings.Contains(logs.String(), "POST /v1/attempts/{attemptId}/submit") {
		t.Errorf("log %q, want the cause and the route", logs.String())
	}
	for _, personal := range []string{"0912345678", "+84912345678", "Phạm Thị Lan"} {
		if strings.Contains(logs.String(), personal) {
			t.Errorf("log contains personal data %q: %s", personal, logs.String())
		}
	}
	attempts, err := good.SubmittedAttempts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 0 {
		t.Errorf("a failed submit left %d attempts", len(attempts))
	}
}

func TestABase64BodyIsReadAsAPIGatewaySendsIt(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	if _, err := demo.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	h := publicapi.New(attempts.NewService(store, nil), nil, slog.Default())
	resp, err := h.Handle(ctx, startEvent(startBody, true))
	if err != nil {
		t.Fatal(err)
	}
	var got attempts.StartResponse
	if resp.StatusCode != 201 || json.Unmarshal([]byte(resp.Body), &got) != nil || got.AttemptID == "" {
		t.Errorf("start with a base64 body = %d %s, want 201 with an attempt", resp.StatusCode, resp.Body)
	}
}
