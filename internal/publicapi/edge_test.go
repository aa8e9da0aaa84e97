package publicapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/app/public"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/metrics"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/throttle"
)

// verifyDesk is the public function as Lambda wires it (internal/app/public), on a table
// of its own with a contest that requires verified phones, and the local SMS outbox in
// place of Amazon SNS.
type verifyDesk struct {
	t      *testing.T
	db     *dynamodb.Client
	table  string
	store  *dynamo.Store
	clock  *testenv.Clock
	keys   pseudonym.Keyer
	quizID string
}

func newVerifyDesk(t *testing.T, at time.Time) *verifyDesk {
	t.Helper()
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	db := dynamolocal.Client(endpoint)
	store := dynamo.New(db, table)
	if _, err := demo.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	var questions []quiz.Question
	for _, q := range qs {
		for _, qq := range q.Questions {
			if qq.Kind == quiz.Single && len(questions) < 5 {
				questions = append(questions, qq)
			}
		}
	}
	on := true
	c := quiz.Quiz{ID: "hoi-thi-bien", Kind: quiz.KindContest, Title: "Hội thi", Status: quiz.Published, ScopeUnitID: "xa-a",
		TimeLimitSec: 600, Questions: questions, Contest: &contest.Config{VerifyPhone: &on, AttemptsPerRound: 1,
			Rounds: []contest.Round{{ID: "r1", OpensAt: at.Add(-24 * time.Hour), ClosesAt: at.Add(24 * time.Hour)}}}}
	c.Contest.Prediction.Text, c.Contest.Prediction.Truth = "Có bao nhiêu bài dự thi?", contest.TruthEntries
	if err := store.PutQuiz(ctx, c); err != nil {
		t.Fatal(err)
	}
	return &verifyDesk{t: t, db: db, table: table, store: store, clock: testenv.NewClock(at),
		keys: pseudonym.MustNew([]byte("edge-test-deployment-secret-0123456789")), quizID: c.ID}
}

// handler wires the public function with this origin secret; its SMS go to outbox and
// its metrics to metricLog (either may be nil).
func (d *verifyDesk) handler(origin []byte, outbox *localgw.Outbox, metricLog io.Writer) func(events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	d.t.Helper()
	if outbox == nil {
		outbox = localgw.NewOutbox(d.clock.Now)
	}
	h := public.New(d.store, d.clock.Now, slog.New(slog.NewTextHandler(io.Discard, nil)), outbox, d.keys, origin)
	if metricLog != nil {
		h.WithMetrics(metrics.New(metricLog, "nq58-test", d.clock.Now))
	}
	return func(ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
		d.t.Helper()
		resp, err := h.Handle(context.Background(), ev)
		if err != nil {
			d.t.Fatal(err)
		}
		return resp
	}
}

// verificationEvent is POST /v1/verifications as API Gateway hands it over: sourceIP is
// the caller's address as API Gateway sees it, headers what arrived with the request.
func (d *verifyDesk) verificationEvent(phone, sourceIP string, headers map[string]string) events.APIGatewayV2HTTPRequest {
	body, _ := json.Marshal(map[string]string{"phone": phone, "quizId": d.quizID})
	ev := events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/verifications", Body: string(body), Headers: headers}
	ev.RequestContext.HTTP.SourceIP = sourceIP
	return ev
}

// storedVerifications counts the verification items in the table.
func (d *verifyDesk) storedVerifications() int {
	d.t.Helper()
	out, err := d.db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(d.table), Select: types.SelectCount,
		FilterExpression:          aws.String("#e = :v"),
		ExpressionAttributeNames:  map[string]string{"#e": "e"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberS{Value: "verification"}}})
	if err != nil {
		d.t.Fatal(err)
	}
	return int(out.Count)
}

func TestAForgedViewerAddressWithoutTheOriginSecretChangesNothing(t *testing.T) {
	// This test is about sources: the hourly SMS budget stays out of the way.
	t.Setenv(throttle.EnvSMSBudget, "10000")
	d := newVerifyDesk(t, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	secret := []byte("origin-secret-of-this-deployment-0123456789abcd")
	viewer := func(i int) string { return fmt.Sprintf("203.0.%d.%d:443", i/250, i%250+1) }
	tests := []struct {
		name       string
		configured []byte // the function's origin secret
		headers    func(i int) map[string]string
		wantSent   int
	}{
		{"150 forged viewer addresses without the secret are one source: 20 codes, 130 refused", secret,
			func(i int) map[string]string { return map[string]string{"cloudfront-viewer-address": viewer(i)} }, 20},
		{"150 forged viewer addresses with a wrong secret are one source: 20 codes, 130 refused", secret,
			func(i int) map[string]string {
				return map[string]string{"cloudfront-viewer-address": viewer(i), "x-origin-verify": "origin-secret-guess"}
			}, 20},
		{"with no origin secret configured, even an empty secret header does not make 150 sources", nil,
			func(i int) map[string]string {
				return map[string]string{"cloudfront-viewer-address": viewer(i), "x-origin-verify": ""}
			}, 20},
		{"150 viewer addresses with the right secret are 150 sources: 150 codes", secret,
			func(i int) map[string]string {
				return map[string]string{"cloudfront-viewer-address": viewer(i), "x-origin-verify": string(secret)}
			}, 150},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outbox := localgw.NewOutbox(d.clock.Now)
			handle := d.handler(tt.configured, outbox, nil)
			caller := fmt.Sprintf("198.51.100.%d", n+1) // the one address that really calls, a new one per case
			statuses := map[int]int{}
			for i := range 150 {
				resp := handle(d.verificationEvent(fmt.Sprintf("0913%06d", n*1000+i), caller, tt.headers(i)))
				statuses[resp.StatusCode]++
			}
			if statuses[http.StatusAccepted] != tt.wantSent || statuses[http.StatusTooManyRequests] != 150-tt.wantSent {
				t.Errorf("statuses = %v, want %d × 202 and %d × 429", statuses, tt.wantSent, 150-tt.wantSent)
			}
			if got := len(outbox.Messages()); got != tt.wantSent {
				t.Errorf("SMS in the outbox = %d, want %d", got, tt.wantSent)
			}
		})
	}
}

// metricValues reads the values of one metric from EMF lines.
func metricValues(t *testing.T, emf string, name string) []float64 {
	t.Helper()
	var out []float64
	for _, line := range strings.Split(strings.TrimSpace(emf), "\n") {
		if line == "" {
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(line), &doc); err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		if v, ok := doc[name].(float64); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestTheHourlySMSBudgetStopsCodesForTheWholeDeployment(t *testing.T) {
	t.Setenv(throttle.EnvSMSBudget, "5")
	t.Setenv(throttle.EnvVerifyHard, "4")
	// 09:40 in Vietnam: the budget's hour ends in 20 minutes.
	d := newVerifyDesk(t, time.Date(2026, 11, 20, 9, 40, 0, 0, quiz.VietnamTime))
	secret := []byte("origin-secret-of-this-deployment-0123456789abcd")
	outbox := localgw.NewOutbox(d.clock.Now)
	var emf bytes.Buffer
	handle := d.handler(secret, outbox, &emf)
	from := func(viewer string) map[string]string {
		return map[string]string{"cloudfront-viewer-address": viewer, "x-origin-verify": string(secret)}
	}
	type request struct {
		phone, viewer string
		wantStatus    int
		wantCode      string
	}
	steps := []struct {
		name     string
		requests []request
	}{
		{"three codes for one phone are sent (3 of the budget of 5)", []request{
			{"0977100001", "203.0.113.1:1", 202, ""}, {"0977100001", "203.0.113.1:2", 202, ""}, {"0977100001", "203.0.113.1:3", 202, ""}}},
		{"a fourth for that phone is refused per phone and spends no budget", []request{
			{"0977100001", "203.0.113.1:4", 429, "rate_limited"}}},
		{"a fifth from that address is refused per source and spends no budget", []request{
			{"0977100002", "203.0.113.1:5", 429, "rate_limited"}}},
		{"two more codes from elsewhere are sent: the budget's 4th and 5th", []request{
			{"0977100002", "198.51.100.2:1", 202, ""}, {"0977100003", "198.51.100.3:1", 202, ""}}},
		{"the next code anywhere is refused as sms_budget", []request{
			{"0977100004", "198.51.100.4:1", 429, "sms_budget"}, {"0977100005", "198.51.100.5:1", 429, "sms_budget"}}},
	}
	var refusals []events.APIGatewayV2HTTPResponse
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			for _, r := range step.requests {
				resp := handle(d.verificationEvent(r.phone, "192.0.2.1", from(r.viewer)))
				code := ""
				if resp.StatusCode != http.StatusAccepted {
					code = errorCode(t, resp.Body)
				}
				if resp.StatusCode != r.wantStatus || code != r.wantCode {
					t.Errorf("request for %s from %s = %d %s, want %d %s", r.phone, r.viewer, resp.StatusCode, resp.Body, r.wantStatus, r.wantCode)
				}
				if code == "sms_budget" {
					refusals = append(refusals, resp)
				}
			}
		})
	}
	t.Run("a budget refusal says when to retry: Retry-After until the hour ends, in Vietnamese", func(t *testing.T) {
		if len(refusals) == 0 {
			t.Fatal("no sms_budget refusal")
		}
		for _, resp := range refusals {
			if got := resp.Headers["Retry-After"]; got != "1200" {
				t.Errorf("Retry-After = %q, want 1200 (until 10:00)", got)
			}
			var body struct {
				Error struct{ Message string }
			}
			_ = json.Unmarshal([]byte(resp.Body), &body)
			if !strings.Contains(body.Error.Message, "trong giờ này") || !strings.Contains(body.Error.Message, "10:00") {
				t.Errorf("message = %q, want the hour's budget and 10:00", body.Error.Message)
			}
		}
	})
	t.Run("only the five codes within the budget were sent and stored", func(t *testing.T) {
		if got := len(outbox.Messages()); got != 5 {
			t.Errorf("SMS sent = %d, want 5", got)
		}
		if got := d.storedVerifications(); got != 5 {
			t.Errorf("verifications stored = %d, want 5", got)
		}
	})
	t.Run("the metrics count the SMS sent, the budget used and the refusals", func(t *testing.T) {
		if got := metricValues(t, emf.String(), "SmsSent"); len(got) != 5 {
			t.Errorf("SmsSent lines = %v, want five of 1", got)
		}
		if got, want := fmt.Sprint(metricValues(t, emf.String(), "SmsBudgetUsedPercent")), "[20 40 60 80 100]"; got != want {
			t.Errorf("SmsBudgetUsedPercent = %s, want %s", got, want)
		}
		if got := metricValues(t, emf.String(), "SmsBudgetRefused"); len(got) != 2 {
			t.Errorf("SmsBudgetRefused lines = %v, want two of 1", got)
		}
		if !strings.Contains(emf.String(), `{"Name":"SmsBudgetUsedPercent","Unit":"Percent"}`) {
			t.Errorf("SmsBudgetUsedPercent is not declared in Percent: %s", emf.String())
		}
	})
	t.Run("the next hour has a budget again", func(t *testing.T) {
		d.clock.Advance(20 * time.Minute)
		if resp := handle(d.verificationEvent("0977100006", "192.0.2.1", from("198.51.100.6:1"))); resp.StatusCode != http.StatusAccepted {
			t.Errorf("request in the next hour = %d %s, want 202", resp.StatusCode, resp.Body)
		}
	})
}
