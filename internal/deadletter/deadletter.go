// Package deadletter keeps the stream batches the aggregator failed on after every
// retry, and replays them once the cause is fixed. A letter has the shape of Lambda's
// on-failure destination record for a DynamoDB stream (what AWS puts on the SQS queue:
// where the batch lies in the stream, not the records); the local gateway's letters also
// carry the records themselves, since nothing limits their size.
package deadletter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Letter is one failed batch.
type Letter struct {
	RequestContext RequestContext `json:"requestContext"`
	Version        string         `json:"version"`
	Timestamp      time.Time      `json:"timestamp"`
	Batch          BatchInfo      `json:"DDBStreamBatchInfo"`
	// Records are the batch's records (local letters only).
	Records []events.DynamoDBEventRecord `json:"records,omitempty"`
}

// RequestContext says why Lambda gave up on the batch.
type RequestContext struct {
	RequestID              string `json:"requestId"`
	FunctionArn            string `json:"functionArn"`
	Condition              string `json:"condition"` // RetryAttemptsExhausted, RecordAgeExceeded
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

// BatchInfo locates the batch in the stream.
type BatchInfo struct {
	ShardID                         string    `json:"shardId"`
	StartSequenceNumber             string    `json:"startSequenceNumber"`
	EndSequenceNumber               string    `json:"endSequenceNumber"`
	ApproximateArrivalOfFirstRecord time.Time `json:"approximateArrivalOfFirstRecord"`
	ApproximateArrivalOfLastRecord  time.Time `json:"approximateArrivalOfLastRecord"`
	BatchSize                       int       `json:"batchSize"`
	StreamArn                       string    `json:"streamArn"`
}

// Why Lambda stops retrying a batch.
const (
	RetryAttemptsExhausted = "RetryAttemptsExhausted"
	RecordAgeExceeded      = "RecordAgeExceeded"
)

// Stored is a letter as a source holds it.
type Stored struct {
	ID     string // a file name, or an SQS receipt handle
	Letter Letter
}

// Source lists dead letters and removes those replayed.
type Source interface {
	List(ctx context.Context) ([]Stored, error)
	Remove(ctx context.Context, s Stored) error
}

// Handler is the stream function.
type Handler func(context.Context, events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error)

// Fetcher reads a batch's records from the stream, for letters that do not carry them.
type Fetcher func(ctx context.Context, b BatchInfo) ([]events.DynamoDBEventRecord, error)

// Report says what a replay did.
type Report struct {
	Letters  int // letters read
	Records  int // records delivered
	Replayed int // letters applied and removed
	Failed   int // letters kept because the function still fails on them
}

// Replay delivers every letter's records to the handler again and removes the letters
// it applied. The aggregator applies each attempt once, so a letter replayed twice, or
// a record that also reached the counters another way, is not counted twice.
func Replay(ctx context.Context, src Source, fetch Fetcher, handler Handler, batchSize int) (Report, error) {
	var r Report
	letters, err := src.List(ctx)
	if err != nil {
		return r, err
	}
	if batchSize <= 0 {
		batchSize = 100
	}
	for _, s := range letters {
		r.Letters++
		records := s.Letter.Records
		if len(records) == 0 {
			if fetch == nil {
				return r, fmt.Errorf("letter %s carries no records and no stream reader was given", s.ID)
			}
			if records, err = fetch(ctx, s.Letter.Batch); err != nil {
				return r, fmt.Errorf("read the records of letter %s: %w", s.ID, err)
			}
		}
		ok := true
		for chunk := range slices.Chunk(records, batchSize) {
			r.Records += len(chunk)
			// A lane of its own per letter: the shard's checkpoints moved past these
			// records while they waited, and a second replay of the letter finds its own.
			resp, err := handler(ctx, events.DynamoDBTimeWindowEvent{DynamoDBEvent: events.DynamoDBEvent{Records: chunk},
				TimeWindowProperties: events.TimeWindowProperties{ShardID: ReplayLane(s.Letter.Batch), EventSourceARN: s.Letter.Batch.StreamArn}})
			if err != nil || len(resp.BatchItemFailures) > 0 {
				ok = false
				break
			}
		}
		if !ok {
			r.Failed++
			continue
		}
		if err := src.Remove(ctx, s); err != nil {
			return r, err
		}
		r.Replayed++
	}
	return r, nil
}

// ReplayLane names the counting lane of a replayed letter's records.
func ReplayLane(b BatchInfo) string { return "replay-" + b.ShardID + "-" + b.StartSequenceNumber }

// Dir keeps letters as JSON files in a folder: the local gateway's dead-letter store.
type Dir struct{ Path string }

// Put writes a letter; the file appears whole or not at all.
func (d Dir) Put(_ context.Context, l Letter) error {
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s-%s.json", l.Timestamp.UTC().Format("20060102T150405.000000000"),
		safe(l.Batch.ShardID), safe(l.Batch.StartSequenceNumber))
	tmp, err := os.CreateTemp(d.Path, ".letter-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(d.Path, name))
}

// List returns the letters, oldest first.
func (d Dir) List(_ context.Context) ([]Stored, error) {
	entries, err := os.ReadDir(d.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Stored
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(d.Path, e.Name()))
		if err != nil {
			return nil, err
		}
		var l Letter
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("letter %s: %w", e.Name(), err)
		}
		out = append(out, Stored{ID: e.Name(), Letter: l})
	}
	return out, nil
}

// Remove deletes a replayed letter.
func (d Dir) Remove(_ context.Context, s Stored) error {
	return os.Remove(filepath.Join(d.Path, filepath.Base(s.ID)))
}

func safe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// SequenceAfter reports whether stream sequence number a comes after b (they are
// decimal numbers too long for int64).
func SequenceAfter(a, b string) bool {
	x, okX := new(big.Int).SetString(a, 10)
	y, okY := new(big.Int).SetString(b, 10)
	if !okX || !okY {
		return a > b
	}
	return x.Cmp(y) > 0
}
