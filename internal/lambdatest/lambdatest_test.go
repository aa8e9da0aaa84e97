// Package lambdatest runs the functions' real bootstraps, built for the host, under the
// AWS Lambda Runtime Interface Emulator against DynamoDB Local, with events shaped as AWS
// sends them (aws-lambda-go's events/testdata).
package lambdatest

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/rie"
	"github.com/nq58/tracker/internal/testenv"
)

// originSecret is the origin secret the functions get (ORIGIN_SECRET, Secrets Manager's
// stand-in) and the events carry in X-Origin-Verify, as CloudFront sends it.
const originSecret = "local-emulator-origin-secret-0123456789"

// Personal data sent in the requests below, which must never reach a log line.
const (
	residentName  = "Phạm Thị Lựu"
	residentPhone = "0912345678"
)

// syncBuffer is an emulator's output, written by its process and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type function struct {
	name string
	emu  *rie.Emulator
	out  *syncBuffer
}

// startFunctions builds the four bootstraps once and runs one emulator each against a
// fresh table loaded with the demo data.
func startFunctions(t *testing.T) map[string]*function {
	t.Helper()
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	if _, err := demo.Load(ctx, dynamo.New(dynamolocal.Client(endpoint), table)); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	root, err := rie.ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := rie.Binary(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := rie.Build(ctx, root, dir); err != nil {
		t.Fatal(err)
	}
	fns := map[string]*function{}
	for id, folder := range rie.Functions {
		out := &syncBuffer{}
		emu, err := rie.Start(ctx, rie.Options{Binary: bin, Bootstrap: filepath.Join(dir, folder), Output: out, Env: []string{
			"TABLE_NAME=" + table,
			"AWS_REGION=ap-southeast-1",
			"AWS_ACCESS_KEY_ID=fake",
			"AWS_SECRET_ACCESS_KEY=fake",
			"AWS_ENDPOINT_URL_DYNAMODB=" + endpoint,
			"AWS_LAMBDA_LOG_FORMAT=JSON",
			"AWS_LAMBDA_FUNCTION_NAME=" + id,
			"DEPLOYMENT_SECRET=local-emulator-secret-0123456789abcdef",
			"ORIGIN_SECRET=" + originSecret,
		}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(emu.Stop)
		fns[id] = &function{name: id, emu: emu, out: out}
	}
	return fns
}

// httpEvent is an API Gateway HTTP API payload 2.0 event shaped as in aws-lambda-go's
// events/testdata/apigw-v2-request-*.json; claims, when given, are the JWT authorizer's.
func httpEvent(requestID, method, path string, pathParams map[string]string, query string, body any, claims map[string]string) []byte {
	ev := map[string]any{
		"version": "2.0", "routeKey": method + " " + routePattern(path, pathParams), "rawPath": path, "rawQueryString": query,
		"headers": map[string]string{"content-type": "application/json", "host": "id.execute-api.ap-southeast-1.amazonaws.com",
			"user-agent": "lambdatest", "x-forwarded-for": "203.0.113.7", "cloudfront-viewer-address": "203.0.113.7:443",
			"x-origin-verify": originSecret},
		"requestContext": map[string]any{
			"accountId": "123456789012", "apiId": "api-id", "domainName": "id.execute-api.ap-southeast-1.amazonaws.com",
			"domainPrefix": "id", "requestId": requestID, "routeKey": method + " " + routePattern(path, pathParams), "stage": "$default",
			"time": "30/Nov/2026:09:00:00 +0000", "timeEpoch": 1796029200000,
			"http": map[string]string{"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "lambdatest"},
		},
		"isBase64Encoded": false,
	}
	if len(pathParams) > 0 {
		ev["pathParameters"] = pathParams
	}
	if query != "" {
		qs := map[string]string{}
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			qs[k] = v
		}
		ev["queryStringParameters"] = qs
	}
	if body != nil {
		raw, _ := json.Marshal(body)
		ev["body"] = string(raw)
	}
	if claims != nil {
		ev["requestContext"].(map[string]any)["authorizer"] = map[string]any{"jwt": map[string]any{"claims": claims, "scopes": nil}}
	}
	raw, _ := json.Marshal(ev)
	return raw
}

// routePattern turns a path back into its route (its parameters' values by their names).
func routePattern(path string, params map[string]string) string {
	for k, v := range params {
		path = strings.Replace(path, "/"+v, "/{"+k+"}", 1)
	}
	return path
}

func TestTheBootstrapsAnswerRealEventsUnderTheEmulator(t *testing.T) {
	fns := startFunctions(t)
	// Cognito ID token claims as the HttpApi JWT authorizer passes them: strings, the
	// groups list as "[admin]".
	adminClaims := map[string]string{"sub": "5f3c9a2e-1111-4222-8333-944455556666", "cognito:username": "admin",
		"cognito:groups": "[admin]", "custom:scope": "th", "token_use": "id", "iss": "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_example",
		"aud": "example-client", "exp": "1796032800", "iat": "1796029200"}
	tests := []struct {
		name       string
		function   string
		event      []byte
		wantStatus int
		wantInBody string
	}{
		{"the public function lists the units", "PublicApiFunction",
			httpEvent("req-units", "GET", "/v1/units", nil, "", nil, nil), 200, `"units"`},
		{"the public function serves the OpenAPI description", "PublicApiFunction",
			httpEvent("req-openapi", "GET", "/v1/openapi.json", nil, "", nil, nil), 200, `"openapi":"3.1.0"`},
		{"the public function refuses a name and phone without consent", "PublicApiFunction",
			httpEvent("req-start", "POST", "/v1/quizzes/demo-nq58-survey/attempts", map[string]string{"quizId": "demo-nq58-survey"}, "",
				map[string]any{"participant": map[string]any{"unitId": "xa-a-t01", "name": residentName, "phone": residentPhone}, "consent": false, "clientId": "lambdatest-device"}, nil),
			422, `"validation"`},
		{"the staff function knows the signed-in admin from the authorizer's claims", "StaffApiFunction",
			httpEvent("req-me", "GET", "/v1/admin/me", nil, "", nil, adminClaims), 200, `"username":"admin"`},
		{"the staff function answers an awareness report", "StaffApiFunction",
			httpEvent("req-report", "GET", "/v1/reports/awareness", nil, "quizId=demo-nq58-quiz&unitId=th", nil, adminClaims), 200, `"rows"`},
		{"the staff function refuses a request without claims", "StaffApiFunction",
			httpEvent("req-noclaims", "GET", "/v1/admin/me", nil, "", nil, nil), 401, `"unauthorized"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got events.APIGatewayV2HTTPResponse
			invoke(t, fns[tt.function], requestIDOf(t, tt.event), tt.event, &got)
			if got.StatusCode != tt.wantStatus || !strings.Contains(got.Body, tt.wantInBody) {
				t.Errorf("status %d, body %.300s; want %d with %s", got.StatusCode, got.Body, tt.wantStatus, tt.wantInBody)
			}
		})
	}

	t.Run("the aggregator reports the one bad record of a stream batch", func(t *testing.T) {
		// The tumbling-window event the template's source sends: it names the shard.
		batch := map[string]any{"shardId": "shardId-00000001700000000000-abcdef12", "eventSourceARN": "arn:aws:dynamodb:ap-southeast-1:123456789012:table/tracker/stream/2026-11-30T00:00:00.000",
			"window": map[string]string{"start": "2026-11-30T19:00:00Z", "end": "2026-11-30T19:05:00Z"}, "state": map[string]string{},
			"isFinalInvokeForWindow": false, "isWindowTerminatedEarly": false, "Records": []any{
				streamRecord("111", "MODIFY", map[string]any{"pk": map[string]string{"S": "QUIZ#demo"}, "sk": map[string]string{"S": "META"}, "e": map[string]string{"S": "quiz"}}),
				streamRecord("222", "INSERT", map[string]any{"pk": map[string]string{"S": "ATTEMPT#x"}, "sk": map[string]string{"S": "META"},
					"e": map[string]string{"S": "attempt"}, "birthYear": map[string]string{"S": "not a year"}}),
			}}
		raw, _ := json.Marshal(batch)
		var got events.DynamoDBEventResponse
		invoke(t, fns["AggregatorFunction"], "req-stream", raw, &got)
		if len(got.BatchItemFailures) != 1 || got.BatchItemFailures[0].ItemIdentifier != "222" {
			t.Errorf("batchItemFailures = %+v, want the bad record 222 only", got.BatchItemFailures)
		}
	})

	t.Run("the maintenance function runs on the Schedule event", func(t *testing.T) {
		// The EventBridge Scheduled Event, as the template's daily Schedule sends it.
		raw := []byte(`{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",` +
			`"account":"123456789012","time":"2026-11-30T19:00:00Z","region":"ap-southeast-1",` +
			`"resources":["arn:aws:events:ap-southeast-1:123456789012:rule/tracker-DailyPurge"],"detail":{}}`)
		var got any
		invoke(t, fns["MaintenanceFunction"], "req-schedule", raw, &got)
		if got != nil {
			t.Errorf("answer %v, want null", got)
		}
	})

	t.Run("every log line is JSON with a request id and no personal data", func(t *testing.T) {
		lines := 0
		for _, fn := range fns {
			for _, line := range strings.Split(fn.out.String(), "\n") {
				if strings.Contains(line, residentName) || strings.Contains(line, residentPhone) || strings.Contains(line, "912345678") {
					t.Errorf("%s logged personal data: %s", fn.name, line)
				}
				if !strings.HasPrefix(line, "{") {
					continue
				}
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Errorf("%s: a log line is not JSON: %s", fn.name, line)
					continue
				}
				lines++
				if id, _ := rec["requestId"].(string); !strings.HasPrefix(id, "req-") {
					t.Errorf("%s: log line without the invocation's request id: %s", fn.name, line)
				}
			}
		}
		if lines == 0 {
			t.Error("no JSON log line at all: want the aggregator's and the maintenance function's")
		}
	})

	t.Run("the public function read its origin secret at cold start", func(t *testing.T) {
		if out := fns["PublicApiFunction"].out.String(); strings.Contains(out, "no origin secret") {
			t.Errorf("the public function started without an origin secret:\n%s", out)
		}
	})

	for _, id := range []string{"PublicApiFunction", "StaffApiFunction", "AggregatorFunction", "MaintenanceFunction"} {
		initMs, invokes := reports(fns[id].out.String())
		t.Logf("%-20s INIT %6.2f ms, invokes in order (the first one cold) %v ms (emulator REPORT lines)", id, initMs, invokes)
	}
}

func streamRecord(seq, name string, image map[string]any) map[string]any {
	return map[string]any{
		"eventID": "ev-" + seq, "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "ap-southeast-1",
		"eventSourceARN": "arn:aws:dynamodb:ap-southeast-1:123456789012:table/tracker/stream/2026-11-30T00:00:00.000",
		"dynamodb": map[string]any{"ApproximateCreationDateTime": 1796029200, "Keys": map[string]any{"pk": image["pk"], "sk": image["sk"]},
			"NewImage": image, "SequenceNumber": seq, "SizeBytes": 100, "StreamViewType": "NEW_AND_OLD_IMAGES"},
	}
}

func requestIDOf(t *testing.T, event []byte) string {
	t.Helper()
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(event, &ev); err != nil {
		t.Fatal(err)
	}
	return ev.RequestContext.RequestID
}

func invoke(t *testing.T, fn *function, requestID string, event []byte, into any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	raw, err := fn.emu.Invoke(ctx, requestID, event)
	if err != nil {
		t.Fatalf("%s: %v\n%s", fn.name, err, fn.out.String())
	}
	if err := json.Unmarshal(raw, into); err != nil {
		t.Fatalf("%s answered %s: %v", fn.name, raw, err)
	}
}

var reportLine = regexp.MustCompile(`REPORT RequestId: \S+\s+(?:Init Duration: ([0-9.]+) ms\s+)?Duration: ([0-9.]+) ms`)

// reports reads the emulator's REPORT lines: the INIT duration and each invoke's.
func reports(out string) (initMs float64, invokes []string) {
	for _, m := range reportLine.FindAllStringSubmatch(out, -1) {
		if m[1] != "" {
			initMs, _ = strconv.ParseFloat(m[1], 64)
		}
		invokes = append(invokes, m[2])
	}
	return initMs, invokes
}
