package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/dynamolocal"
)

// rawItemBytes is the size of the item phase (a) writes, as DynamoDB counts it (attribute
// names plus values): exactly 1 KB, the most one write unit covers.
const rawItemBytes = 1024

// rawResult is phase (a) with the write units DynamoDB reported.
type rawResult struct {
	phase
	ItemBytes  int
	WriteUnits float64 // summed ConsumedCapacity of the completed puts
}

// UnitsPerPut is the write units one PutItem consumed.
func (r rawResult) UnitsPerPut() float64 {
	if r.Completed == 0 {
		return 0
	}
	return r.WriteUnits / float64(r.Completed)
}

// WritesPerSec is the store's write-unit throughput: PutItem/s × units per PutItem.
func (r rawResult) WritesPerSec() float64 { return r.PerSec() * r.UnitsPerPut() }

// rawClient is one DynamoDB client shared by all workers. The SDK's default transport
// keeps only 10 idle connections per host; with more workers than that, connections
// would be closed and reopened all the time and the benchmark would measure TCP set-up.
func rawClient(endpoint string, workers int) *dynamodb.Client {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = max(64, workers)
		tr.MaxIdleConnsPerHost = max(64, workers)
	})
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.HTTPClient = hc
	})
}

// rawLoad is phase (a): PutItem of 1 KB items with distinct random keys into the
// benchmark's table, which localgw.NewStack created from the template (same keys,
// stream and TTL as the product's table). The RAW# keys never meet the product's keys,
// and these puts go through a client of their own, so the store's meter never sees them.
type rawLoad struct {
	db         *dynamodb.Client
	table      string
	milliUnits atomic.Int64 // write units of the completed puts, in thousandths
}

func newRawLoad(cfg config, table string) *rawLoad {
	return &rawLoad{db: rawClient(cfg.endpoint, cfg.workers), table: table}
}

// put is one operation of phase (a).
func (l *rawLoad) put(ctx context.Context, _, _ int) error {
	out, err := l.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:              aws.String(l.table),
		Item:                   rawItem(),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return err
	}
	l.milliUnits.Add(int64(math.Round(writeUnits(out.ConsumedCapacity) * 1000)))
	return nil
}

// begin forgets the warm-up's write units: what end reports is the measured slices'.
func (l *rawLoad) begin() { l.milliUnits.Store(0) }

// end is phase (a) as measured by its slices p (merged).
func (l *rawLoad) end(p phase) rawResult {
	return rawResult{phase: p, ItemBytes: rawItemBytes, WriteUnits: float64(l.milliUnits.Load()) / 1000}
}

// rawPad fills the item up to rawItemBytes: pk "RAW#" + 32 hex digits (36 bytes), sk "A"
// and the padding attribute "d".
var rawPad = strings.Repeat("x", rawItemBytes-(len("pk")+36)-(len("sk")+1)-len("d"))

// rawItem builds a 1 KB item under a fresh random key, so every put is an insert into a
// partition of its own, like a started attempt.
func rawItem() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("RAW#%016x%016x", rand.Uint64(), rand.Uint64())},
		"sk": &types.AttributeValueMemberS{Value: "A"},
		"d":  &types.AttributeValueMemberS{Value: rawPad},
	}
}

// writeUnits reads the write units of a ConsumedCapacity the way the store meters its
// own requests: WriteCapacityUnits when given, else CapacityUnits.
func writeUnits(c *types.ConsumedCapacity) float64 {
	switch {
	case c == nil:
		return 0
	case c.WriteCapacityUnits != nil:
		return *c.WriteCapacityUnits
	case c.CapacityUnits != nil:
		return *c.CapacityUnits
	}
	return 0
}
