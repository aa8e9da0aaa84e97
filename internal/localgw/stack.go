package localgw

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/aggregator"
	"github.com/nq58/tracker/internal/ddblocal"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/httpapi"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/samtemplate"
)

// Stack is the whole product wired as in AWS, against a DynamoDB Local endpoint.
type Stack struct {
	Gateway *Gateway
	Pollers []*Poller
	Store   *dynamo.Store
	DB      *dynamodb.Client
	Table   string
	// StreamARN, Sources and StreamFunctions let tests build pollers of their own.
	StreamARN       string
	Sources         []samtemplate.StreamSource
	StreamFunctions map[string]StreamHandler
}

// StackOptions configure a stack.
type StackOptions struct {
	Endpoint string           // DynamoDB Local
	Table    string           // created from template.yaml when missing
	Now      func() time.Time // the service clock; nil: time.Now
	Log      *slog.Logger
	Web      fs.FS // the pages; nil: tracker.Web()
}

// NewStack creates the table from the template if needed and wires every function of
// the template to its handler, exactly as functions/*/main.go do in Lambda.
func NewStack(ctx context.Context, o StackOptions) (*Stack, error) {
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		return nil, err
	}
	spec, err := tpl.Table()
	if err != nil {
		return nil, err
	}
	db := ddblocal.Client(o.Endpoint)
	arn, err := dynamo.EnsureTable(ctx, db, o.Table, spec)
	if err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Web == nil {
		o.Web = tracker.Web()
	}
	store := dynamo.New(db, o.Table)

	// The functions of template.yaml, by logical id.
	httpFunctions := map[string]HTTPHandler{
		"PublicApiFunction": httpapi.New(quiz.NewService(store, o.Now), o.Log).Handle,
	}
	streamFunctions := map[string]StreamHandler{
		"AggregatorFunction": aggregator.New(store, o.Log).Handle,
	}

	routes, err := tpl.Routes()
	if err != nil {
		return nil, err
	}
	gw, err := New(routes, httpFunctions, o.Web, o.Log)
	if err != nil {
		return nil, err
	}
	sources, err := tpl.StreamSources()
	if err != nil {
		return nil, err
	}
	s := &Stack{Gateway: gw, Store: store, DB: db, Table: o.Table, StreamARN: arn, Sources: sources, StreamFunctions: streamFunctions}
	streams := ddblocal.StreamsClient(o.Endpoint)
	for _, src := range sources {
		h, ok := streamFunctions[src.Function]
		if !ok {
			return nil, fmt.Errorf("stream source of %s: no handler", src.Function)
		}
		if src.Table != spec.LogicalID || arn == "" {
			return nil, fmt.Errorf("stream source of %s: table %s has no stream", src.Function, src.Table)
		}
		s.Pollers = append(s.Pollers, NewPoller(streams, arn, src, h, o.Log))
	}
	return s, nil
}

// RunPollers feeds the stream to its handlers until ctx ends.
func (s *Stack) RunPollers(ctx context.Context) {
	for _, p := range s.Pollers {
		go p.Run(ctx)
	}
}

// DrainStreams delivers every record written so far.
func (s *Stack) DrainStreams(ctx context.Context) error {
	for _, p := range s.Pollers {
		if err := p.Drain(ctx); err != nil {
			return err
		}
	}
	return nil
}

func samtemplateParse() (*samtemplate.Template, error) {
	return samtemplate.Parse(tracker.TemplateYAML)
}
