package samtemplate

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/eventfilter"
)

// parse parses src and fails the test on error.
func parse(t *testing.T, src string) *Template {
	t.Helper()
	tpl, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse error = %v", err)
	}
	return tpl
}

func productTemplate(t *testing.T) *Template {
	t.Helper()
	tpl, err := Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatalf("Parse(tracker.TemplateYAML) error = %v", err)
	}
	return tpl
}

func TestTemplateRoutes(t *testing.T) {
	routes, err := productTemplate(t).Routes()
	if err != nil {
		t.Fatalf("Routes() error = %v", err)
	}
	const fn = "PublicApiFunction"
	wantPublic := []Route{
		{Function: fn, Event: "GetAttempt", Method: "GET", Path: "/v1/attempts/{attemptId}"},
		{Function: fn, Event: "SubmitAttempt", Method: "POST", Path: "/v1/attempts/{attemptId}/submit"},
		{Function: fn, Event: "ContestResults", Method: "GET", Path: "/v1/contests/{quizId}/rounds/{roundId}/results"},
		{Function: fn, Event: "OpenAPI", Method: "GET", Path: "/v1/openapi.json"},
		{Function: fn, Event: "ListQuizzes", Method: "GET", Path: "/v1/quizzes"},
		{Function: fn, Event: "StartAttempt", Method: "POST", Path: "/v1/quizzes/{quizId}/attempts"},
		{Function: fn, Event: "ListUnits", Method: "GET", Path: "/v1/units"},
		{Function: fn, Event: "RequestVerification", Method: "POST", Path: "/v1/verifications"},
		{Function: fn, Event: "ConfirmVerification", Method: "POST", Path: "/v1/verifications/{verificationId}/confirm"},
	}
	var public []Route
	for _, r := range routes {
		switch {
		case r.Authorizer == "":
			public = append(public, r)
		case r.Authorizer != "StaffJwt":
			t.Errorf("route %s has authorizer %q, want StaffJwt", r.RouteKey(), r.Authorizer)
		case r.Function != "StaffApiFunction" && r.Function != "StaffAdminFunction":
			t.Errorf("staff route %s is served by %s, want StaffApiFunction or StaffAdminFunction", r.RouteKey(), r.Function)
		}
	}
	t.Run("the resident routes are exactly the public ones", func(t *testing.T) {
		if !reflect.DeepEqual(public, wantPublic) {
			t.Errorf("public routes =\n%+v\nwant\n%+v", public, wantPublic)
		}
	})
	t.Run("routes are sorted by path then method", func(t *testing.T) {
		for i := 1; i < len(routes); i++ {
			a, b := routes[i-1], routes[i]
			if a.Path > b.Path || (a.Path == b.Path && a.Method > b.Method) {
				t.Errorf("%s comes before %s", a.RouteKey(), b.RouteKey())
			}
		}
	})
	t.Run("a staff route keeps its authorizer", func(t *testing.T) {
		for _, r := range routes {
			if r.RouteKey() == "GET /v1/reports/awareness" && r.Authorizer == "StaffJwt" {
				return
			}
		}
		t.Errorf("GET /v1/reports/awareness is missing or public")
	})
}

func TestTemplateTable(t *testing.T) {
	tb, err := productTemplate(t).Table()
	if err != nil {
		t.Fatalf("Table() error = %v", err)
	}
	if got, want := tb.LogicalID, "Table"; got != want {
		t.Errorf("Table().LogicalID = %q, want %q", got, want)
	}
	if got, want := tb.BillingMode, "PAY_PER_REQUEST"; got != want {
		t.Errorf("Table().BillingMode = %q, want %q", got, want)
	}
	wantKeys := []KeyElement{{AttributeName: "pk", KeyType: "HASH"}, {AttributeName: "sk", KeyType: "RANGE"}}
	if !reflect.DeepEqual(tb.KeySchema, wantKeys) {
		t.Errorf("Table().KeySchema = %+v, want %+v", tb.KeySchema, wantKeys)
	}
	wantAttrs := []AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}, {AttributeName: "sk", AttributeType: "S"},
		{AttributeName: "rk", AttributeType: "S"}, {AttributeName: "rs", AttributeType: "S"},
		{AttributeName: "qk", AttributeType: "S"}, {AttributeName: "qs", AttributeType: "S"}}
	if !reflect.DeepEqual(tb.AttributeDefinitions, wantAttrs) {
		t.Errorf("Table().AttributeDefinitions = %+v, want %+v", tb.AttributeDefinitions, wantAttrs)
	}
	if got, want := tb.StreamSpecification.StreamViewType, "NEW_IMAGE"; got != want {
		t.Errorf("Table().StreamSpecification.StreamViewType = %q, want %q", got, want)
	}
	if got, want := tb.TimeToLiveSpecification.AttributeName, "ttl"; got != want {
		t.Errorf("Table().TimeToLiveSpecification.AttributeName = %q, want %q", got, want)
	}
	if !tb.TimeToLiveSpecification.Enabled {
		t.Errorf("Table().TimeToLiveSpecification.Enabled = false, want true")
	}
	if g := tb.GlobalSecondaryIndexes; len(g) != 2 || g[0].IndexName != "ByRound" || g[0].Projection.ProjectionType != "ALL" ||
		!reflect.DeepEqual(g[0].KeySchema, []KeyElement{{AttributeName: "rk", KeyType: "HASH"}, {AttributeName: "rs", KeyType: "RANGE"}}) ||
		g[1].IndexName != "ByQuiz" || g[1].Projection.ProjectionType != "KEYS_ONLY" || len(g[1].Projection.NonKeyAttributes) != 0 ||
		!reflect.DeepEqual(g[1].KeySchema, []KeyElement{{AttributeName: "qk", KeyType: "HASH"}, {AttributeName: "qs", KeyType: "RANGE"}}) {
		t.Errorf("Table().GlobalSecondaryIndexes = %+v, want ByRound on rk/rs projecting everything and ByQuiz on qk/qs keys only", g)
	}
}

func TestTemplateStreamSources(t *testing.T) {
	got, err := productTemplate(t).StreamSources()
	if err != nil {
		t.Fatalf("StreamSources() error = %v", err)
	}
	const submitted = `{"eventName": ["INSERT", "MODIFY"], "dynamodb": {"NewImage": {"e": {"S": ["attempt"]}, "status": {"S": ["submitted"]}}}}`
	filter, err := eventfilter.Parse(submitted)
	if err != nil {
		t.Fatal(err)
	}
	want := []StreamSource{{
		Function: "AggregatorFunction", Table: "Table", StartingPosition: "TRIM_HORIZON", BatchSize: 1000,
		MaximumRetryAttempts: 10, MaximumRecordAge: 6 * time.Hour, BisectBatchOnError: true, ReportBatchItemFailures: true,
		Filters: []eventfilter.Pattern{filter}, BatchingWindow: 20 * time.Second, TumblingWindow: 300 * time.Second,
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StreamSources() =\n%+v\nwant\n%+v", got, want)
	}
}

func TestInlineTemplates(t *testing.T) {
	t.Run("routes are sorted by path then method, methods upper-cased and other events ignored", func(t *testing.T) {
		tpl := parse(t, `
Resources:
  B:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Post:
          Type: HttpApi
          Properties: {Method: post, Path: /v1/a}
        Timer:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: HttpApi
          Properties: {Method: GET, Path: /v1/a}
        Other:
          Type: HttpApi
          Properties: {Method: GET, Path: /v1/0}
  Bucket:
    Type: AWS::S3::Bucket
`)
		got, err := tpl.Routes()
		if err != nil {
			t.Fatalf("Routes() error = %v", err)
		}
		want := []Route{
			{Function: "A", Event: "Other", Method: "GET", Path: "/v1/0"},
			{Function: "A", Event: "Get", Method: "GET", Path: "/v1/a"},
			{Function: "B", Event: "Post", Method: "POST", Path: "/v1/a"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Routes() =\n%+v\nwant\n%+v", got, want)
		}
		if sources, err := tpl.StreamSources(); err != nil || len(sources) != 0 {
			t.Errorf("StreamSources() = %+v, %v, want none, nil", sources, err)
		}
	})
	t.Run("a stream source names the table its !GetAtt refers to", func(t *testing.T) {
		tpl := parse(t, `
Resources:
  Events:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        S:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Events.StreamArn
            StartingPosition: LATEST
            BatchSize: 7
`)
		got, err := tpl.StreamSources()
		if err != nil {
			t.Fatalf("StreamSources() error = %v", err)
		}
		want := []StreamSource{{Function: "Fn", Table: "Events", StartingPosition: "LATEST", BatchSize: 7}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("StreamSources() = %+v, want %+v", got, want)
		}
	})
}

func TestTemplateErrors(t *testing.T) {
	const table = `
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
`
	streamFn := func(stream string) string {
		return table + `
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        S:
          Type: DynamoDB
          Properties:
            Stream: ` + stream + "\n"
	}
	tests := []struct {
		name     string
		src      string
		call     func(*Template) error
		contains []string
	}{
		{"a template without Resources is rejected", "AWSTemplateFormatVersion: \"2010-09-09\"\n", nil, []string{"no Resources"}},
		{"a template with empty Resources is rejected", "Resources: {}\n", nil, []string{"no Resources"}},
		{"a template that is not YAML is rejected", "Resources: [\n", nil, []string{"parse template"}},
		{"a route declared twice by two functions is rejected", `
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        One: {Type: HttpApi, Properties: {Method: GET, Path: /v1/x}}
  B:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Two: {Type: HttpApi, Properties: {Method: get, Path: /v1/x}}
`, routes, []string{"GET /v1/x", "declared twice", "A.One", "B.Two"}},
		{"a route declared twice by one function is rejected", `
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        One: {Type: HttpApi, Properties: {Method: POST, Path: /v1/x}}
        Two: {Type: HttpApi, Properties: {Method: POST, Path: /v1/x}}
`, routes, []string{"POST /v1/x", "declared twice"}},
		{"an HttpApi event without Path is rejected", `
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        NoPath: {Type: HttpApi, Properties: {Method: GET}}
`, routes, []string{"A", "NoPath", "Method and Path"}},
		{"an HttpApi event without Method is rejected", `
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        NoMethod: {Type: HttpApi, Properties: {Path: /v1/x}}
`, routes, []string{"NoMethod", "Method and Path"}},
		{"an HttpApi path without a leading slash is rejected", `
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Rel: {Type: HttpApi, Properties: {Method: GET, Path: v1/x}}
`, routes, []string{"Rel", "Method and Path"}},
		{"a stream given as !Ref is rejected", "Resources:" + streamFn("!Ref Table"), streams, []string{"Fn", "!GetAtt <Table>.StreamArn"}},
		{"a stream given as a table's Arn is rejected", "Resources:" + streamFn("!GetAtt Table.Arn"), streams, []string{"!GetAtt <Table>.StreamArn"}},
		{"a stream of a resource that is not a table is rejected", "Resources:" + streamFn("!GetAtt Fn.StreamArn"), streams, []string{"!GetAtt <Table>.StreamArn"}},
		{"a stream of a resource that does not exist is rejected", "Resources:" + streamFn("!GetAtt Nope.StreamArn"), streams, []string{"!GetAtt <Table>.StreamArn"}},
		{"a filter pattern with an operator the poller cannot apply is rejected", "Resources:" + streamFn("!GetAtt Table.StreamArn") +
			"            FilterCriteria:\n              Filters:\n                - Pattern: '{\"n\": [{\"numeric\": [\">\", 1]}]}'\n",
			streams, []string{"Fn", "numeric", "not supported"}},
		{"two tables are rejected", "Resources:" + table + `
  Other:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
`, tableOf, []string{"exactly one", "found 2"}},
		{"no table is rejected", `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`, tableOf, []string{"exactly one", "found 0"}},
		{"a table without KeySchema is rejected", `
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
`, tableOf, []string{"Table", "no KeySchema"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse([]byte(tt.src))
			if tt.call == nil {
				if tpl != nil {
					t.Errorf("Parse returned a template, want nil")
				}
			} else {
				if err != nil {
					t.Fatalf("Parse error = %v, want the error from a later call", err)
				}
				err = tt.call(tpl)
			}
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.contains)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func routes(t *Template) error {
	_, err := t.Routes()
	return err
}

func streams(t *Template) error {
	_, err := t.StreamSources()
	return err
}

func tableOf(t *Template) error {
	_, err := t.Table()
	return err
}

func TestTemplateSchedules(t *testing.T) {
	got, err := productTemplate(t).Schedules()
	if err != nil {
		t.Fatalf("Schedules() error = %v", err)
	}
	want := []Schedule{{Function: "MaintenanceFunction", Event: "Daily", Every: 24 * time.Hour},
		{Function: "MaintenanceFunction", Event: "RegradeJobs", Every: time.Minute,
			Input: `{"version":"0","detail-type":"Regrade Jobs","source":"tracker.maintenance","detail":{}}`}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Schedules() = %+v, want %+v", got, want)
	}
}

func TestScheduleRates(t *testing.T) {
	tests := []struct {
		expr    string
		want    time.Duration
		wantErr bool
	}{
		{"rate(1 day)", 24 * time.Hour, false},
		{"rate(5 minutes)", 5 * time.Minute, false},
		{"rate(2 hours)", 2 * time.Hour, false},
		{"cron(0 3 * * ? *)", 0, true},
		{"rate(0 days)", 0, true},
		{"rate(1 week)", 0, true},
		{"rate(day)", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.expr+" is read as the template means it", func(t *testing.T) {
			got, err := parseRate(tt.expr)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseRate(%q) = %v, %v; want %v, error %v", tt.expr, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestCloudFrontCachesTheListsBeforeTheRestOfTheAPI(t *testing.T) {
	var doc struct {
		Resources map[string]struct {
			Properties struct {
				DistributionConfig struct {
					CacheBehaviors []struct {
						PathPattern    string   `yaml:"PathPattern"`
						AllowedMethods []string `yaml:"AllowedMethods"`
						CachePolicyID  string   `yaml:"CachePolicyId"`
					} `yaml:"CacheBehaviors"`
				} `yaml:"DistributionConfig"`
				CachePolicyConfig struct {
					MaxTTL int `yaml:"MaxTTL"`
				} `yaml:"CachePolicyConfig"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(tracker.TemplateYAML, &doc); err != nil {
		t.Fatal(err)
	}
	behaviours := doc.Resources["Distribution"].Properties.DistributionConfig.CacheBehaviors
	order := map[string]int{}
	for i, b := range behaviours {
		order[b.PathPattern] = i
	}
	for _, path := range []string{"/v1/units", "/v1/quizzes"} {
		t.Run(path+" has a cache behaviour ahead of /v1/*", func(t *testing.T) {
			i, ok := order[path]
			if !ok || i > order["/v1/*"] {
				t.Fatalf("behaviour of %s at %d (present %v), /v1/* at %d: want it present and first", path, i, ok, order["/v1/*"])
			}
			b := behaviours[i]
			if !reflect.DeepEqual(b.AllowedMethods, []string{"GET", "HEAD"}) {
				t.Errorf("AllowedMethods = %v, want GET and HEAD only", b.AllowedMethods)
			}
			policy := doc.Resources[b.CachePolicyID].Properties.CachePolicyConfig
			if policy.MaxTTL == 0 || policy.MaxTTL > 60 {
				t.Errorf("cache policy %s MaxTTL = %d, want a short TTL (1–60 s)", b.CachePolicyID, policy.MaxTTL)
			}
		})
	}
}
