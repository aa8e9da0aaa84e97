// Package samtemplate reads the parts of template.yaml that run locally: the HttpApi
// routes of each function, the table's keys, indexes and stream, and the stream event
// sources. The local gateway and the table set-up use it, so nothing is written twice.
//
// Short-form intrinsics (!Ref X, !GetAtt X.Y, !Sub "...") decode as their plain
// argument, which is all the local tools need (the name of the resource referred to).
package samtemplate

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/nq58/tracker/internal/eventfilter"
)

// Template is a parsed SAM template.
type Template struct {
	Resources map[string]Resource `yaml:"Resources"`
}

// Resource is one resource; Properties are decoded per type on demand.
type Resource struct {
	Type       string    `yaml:"Type"`
	Properties yaml.Node `yaml:"Properties"`
}

// Route is one HttpApi event of a function.
type Route struct {
	Function string // logical id of the AWS::Serverless::Function
	Event    string // logical id of the event within the function
	Method   string
	Path     string // with {param} segments, as API Gateway writes it
	// Authorizer names the HttpApi authorizer that guards the route; empty: public.
	Authorizer string
}

// RouteKey is what API Gateway puts in the event's routeKey, e.g. "GET /v1/units".
func (r Route) RouteKey() string { return r.Method + " " + r.Path }

// StreamSource is a DynamoDB stream event source of a function.
type StreamSource struct {
	Function             string
	Table                string // logical id of the table whose stream feeds the function
	StartingPosition     string
	BatchSize            int
	MaximumRetryAttempts int
	// MaximumRecordAge is how old a record may grow while retried; 0: no limit (-1 in
	// the template, as in Lambda).
	MaximumRecordAge        time.Duration
	BisectBatchOnError      bool
	ReportBatchItemFailures bool
	// BatchingWindow is MaximumBatchingWindowInSeconds: how long records are gathered
	// before an invocation with fewer than BatchSize of them.
	BatchingWindow time.Duration
	// TumblingWindow is TumblingWindowInSeconds; with it Lambda adds the shard id (and
	// the window) to each invocation's event.
	TumblingWindow time.Duration
	// Filters are the FilterCriteria patterns: a record invokes the function only when
	// it matches one of them (none: every record does).
	Filters []eventfilter.Pattern
}

// KeyElement is one attribute of a key schema.
type KeyElement struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"` // HASH or RANGE
}

// AttributeDefinition names a key attribute's type.
type AttributeDefinition struct {
	AttributeName string `yaml:"AttributeName"`
	AttributeType string `yaml:"AttributeType"`
}

// Index is a global secondary index.
type Index struct {
	IndexName  string       `yaml:"IndexName"`
	KeySchema  []KeyElement `yaml:"KeySchema"`
	Projection struct {
		ProjectionType   string   `yaml:"ProjectionType"`
		NonKeyAttributes []string `yaml:"NonKeyAttributes"`
	} `yaml:"Projection"`
}

// Table is an AWS::DynamoDB::Table's properties.
type Table struct {
	LogicalID              string                `yaml:"-"`
	BillingMode            string                `yaml:"BillingMode"`
	AttributeDefinitions   []AttributeDefinition `yaml:"AttributeDefinitions"`
	KeySchema              []KeyElement          `yaml:"KeySchema"`
	GlobalSecondaryIndexes []Index               `yaml:"GlobalSecondaryIndexes"`
	StreamSpecification    struct {
		StreamViewType string `yaml:"StreamViewType"`
	} `yaml:"StreamSpecification"`
	TimeToLiveSpecification struct {
		AttributeName string `yaml:"AttributeName"`
		Enabled       bool   `yaml:"Enabled"`
	} `yaml:"TimeToLiveSpecification"`
}

type functionProps struct {
	Events map[string]struct {
		Type       string    `yaml:"Type"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Events"`
}

type httpAPIEvent struct {
	Method string `yaml:"Method"`
	Path   string `yaml:"Path"`
	Auth   struct {
		Authorizer string `yaml:"Authorizer"`
	} `yaml:"Auth"`
}

type dynamoDBEvent struct {
	Stream                     string   `yaml:"Stream"`
	StartingPosition           string   `yaml:"StartingPosition"`
	BatchSize                  int      `yaml:"BatchSize"`
	MaximumRetryAttempts       int      `yaml:"MaximumRetryAttempts"`
	MaximumRecordAgeInSeconds  int      `yaml:"MaximumRecordAgeInSeconds"`
	BisectBatchOnFunctionError bool     `yaml:"BisectBatchOnFunctionError"`
	MaximumBatchingWindow      int      `yaml:"MaximumBatchingWindowInSeconds"`
	TumblingWindowInSeconds    int      `yaml:"TumblingWindowInSeconds"`
	FunctionResponseTypes      []string `yaml:"FunctionResponseTypes"`
	FilterCriteria             struct {
		Filters []struct {
			Pattern string `yaml:"Pattern"`
		} `yaml:"Filters"`
	} `yaml:"FilterCriteria"`
}

// Parse reads a template.
func Parse(src []byte) (*Template, error) {
	var t Template
	if err := yaml.Unmarshal(src, &t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if len(t.Resources) == 0 {
		return nil, fmt.Errorf("parse template: no Resources")
	}
	return &t, nil
}

func (t *Template) sortedIDs(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (t *Template) functionEvents(id string) (functionProps, error) {
	var p functionProps
	props := t.Resources[id].Properties
	if err := props.Decode(&p); err != nil {
		return p, fmt.Errorf("function %s: %w", id, err)
	}
	return p, nil
}

// Routes returns every HttpApi route, sorted by path then method.
func (t *Template) Routes() ([]Route, error) {
	var routes []Route
	seen := map[string]string{}
	for _, fn := range t.sortedIDs("AWS::Serverless::Function") {
		p, err := t.functionEvents(fn)
		if err != nil {
			return nil, err
		}
		for name, ev := range p.Events {
			if ev.Type != "HttpApi" {
				continue
			}
			var h httpAPIEvent
			if err := ev.Properties.Decode(&h); err != nil {
				return nil, fmt.Errorf("function %s event %s: %w", fn, name, err)
			}
			r := Route{Function: fn, Event: name, Method: strings.ToUpper(h.Method), Path: h.Path, Authorizer: h.Auth.Authorizer}
			if r.Authorizer == "NONE" {
				r.Authorizer = ""
			}
			if r.Method == "" || !strings.HasPrefix(r.Path, "/") {
				return nil, fmt.Errorf("function %s event %s: HttpApi events need Method and Path", fn, name)
			}
			if other, dup := seen[r.RouteKey()]; dup {
				return nil, fmt.Errorf("route %s is declared twice (%s and %s.%s)", r.RouteKey(), other, fn, name)
			}
			seen[r.RouteKey()] = fn + "." + name
			routes = append(routes, r)
		}
	}
	slices.SortFunc(routes, func(a, b Route) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return routes, nil
}

// StreamSources returns every DynamoDB stream event source.
func (t *Template) StreamSources() ([]StreamSource, error) {
	var out []StreamSource
	for _, fn := range t.sortedIDs("AWS::Serverless::Function") {
		p, err := t.functionEvents(fn)
		if err != nil {
			return nil, err
		}
		for name, ev := range p.Events {
			if ev.Type != "DynamoDB" {
				continue
			}
			var d dynamoDBEvent
			if err := ev.Properties.Decode(&d); err != nil {
				return nil, fmt.Errorf("function %s event %s: %w", fn, name, err)
			}
			table, attr, _ := strings.Cut(d.Stream, ".")
			if attr != "StreamArn" || t.Resources[table].Type != "AWS::DynamoDB::Table" {
				return nil, fmt.Errorf("function %s event %s: Stream must be !GetAtt <Table>.StreamArn", fn, name)
			}
			var filters []eventfilter.Pattern
			for _, f := range d.FilterCriteria.Filters {
				p, err := eventfilter.Parse(f.Pattern)
				if err != nil {
					return nil, fmt.Errorf("function %s event %s: %w", fn, name, err)
				}
				filters = append(filters, p)
			}
			out = append(out, StreamSource{
				Function: fn, Table: table, StartingPosition: d.StartingPosition, BatchSize: d.BatchSize,
				MaximumRetryAttempts: d.MaximumRetryAttempts, BisectBatchOnError: d.BisectBatchOnFunctionError,
				MaximumRecordAge:        max(0, time.Duration(d.MaximumRecordAgeInSeconds)*time.Second),
				ReportBatchItemFailures: slices.Contains(d.FunctionResponseTypes, "ReportBatchItemFailures"),
				Filters:                 filters,
				BatchingWindow:          time.Duration(d.MaximumBatchingWindow) * time.Second,
				TumblingWindow:          time.Duration(d.TumblingWindowInSeconds) * time.Second,
			})
		}
	}
	return out, nil
}

// Table returns the template's one DynamoDB table.
func (t *Template) Table() (Table, error) {
	ids := t.sortedIDs("AWS::DynamoDB::Table")
	if len(ids) != 1 {
		return Table{}, fmt.Errorf("the template must declare exactly one AWS::DynamoDB::Table, found %d", len(ids))
	}
	var tb Table
	props := t.Resources[ids[0]].Properties
	if err := props.Decode(&tb); err != nil {
		return Table{}, fmt.Errorf("table %s: %w", ids[0], err)
	}
	tb.LogicalID = ids[0]
	if len(tb.KeySchema) == 0 {
		return Table{}, fmt.Errorf("table %s: no KeySchema", ids[0])
	}
	return tb, nil
}

// Schedule is a Schedule event of a function: EventBridge invokes it at a fixed rate.
type Schedule struct {
	Function string
	Event    string
	Every    time.Duration
	// Input is the event's fixed JSON input, sent instead of EventBridge's own event
	// (empty: none).
	Input string
}

// Schedules returns every Schedule event. Only rate(N unit) expressions are read; a cron
// expression is an error, since the local gateway could not run it.
func (t *Template) Schedules() ([]Schedule, error) {
	var out []Schedule
	for _, fn := range t.sortedIDs("AWS::Serverless::Function") {
		p, err := t.functionEvents(fn)
		if err != nil {
			return nil, err
		}
		for _, name := range slices.Sorted(maps.Keys(p.Events)) {
			ev := p.Events[name]
			if ev.Type != "Schedule" {
				continue
			}
			var s struct {
				Schedule string `yaml:"Schedule"`
				Input    string `yaml:"Input"`
			}
			if err := ev.Properties.Decode(&s); err != nil {
				return nil, fmt.Errorf("function %s event %s: %w", fn, name, err)
			}
			every, err := parseRate(s.Schedule)
			if err != nil {
				return nil, fmt.Errorf("function %s event %s: %w", fn, name, err)
			}
			out = append(out, Schedule{Function: fn, Event: name, Every: every, Input: s.Input})
		}
	}
	return out, nil
}

// parseRate reads EventBridge's rate(value unit), e.g. rate(1 day), rate(5 minutes).
func parseRate(expr string) (time.Duration, error) {
	inner, ok := strings.CutPrefix(strings.TrimSpace(expr), "rate(")
	inner, ok2 := strings.CutSuffix(inner, ")")
	fields := strings.Fields(inner)
	if !ok || !ok2 || len(fields) != 2 {
		return 0, fmt.Errorf("schedule %q: only rate(N unit) is supported", expr)
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("schedule %q: the rate must be a positive whole number", expr)
	}
	units := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}
	unit, ok := units[strings.TrimSuffix(fields[1], "s")]
	if !ok {
		return 0, fmt.Errorf("schedule %q: unit must be minutes, hours or days", expr)
	}
	return time.Duration(n) * unit, nil
}
