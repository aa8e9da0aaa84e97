// Package metrics writes CloudWatch metrics in the Embedded Metric Format: one JSON object
// per line on stdout, with its "_aws" metadata, which CloudWatch Logs turns into metrics
// without an API call. Only counts, durations and percentages: never anything about a
// person.
package metrics

import (
	"encoding/json"
	"io"
	"os"
	"sync"
	"time"
)

// Units used here (CloudWatch's names, the Unit values of a MetricDatum, which EMF's
// MetricDefinition takes).
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
const (
	Count        = "Count"
	Milliseconds = "Milliseconds"
	Percent      = "Percent"
)

// Metric is one value.
type Metric struct {
	Name  string
	Unit  string
	Value float64
}

// Emitter writes metric lines; the zero value and nil write nothing.
type Emitter struct {
	mu        sync.Mutex
	w         io.Writer
	namespace string
	now       func() time.Time
}

// New writes to w under namespace; now is the clock (nil: time.Now).
func New(w io.Writer, namespace string, now func() time.Time) *Emitter {
	if now == nil {
		now = time.Now
	}
	return &Emitter{w: w, namespace: namespace, now: now}
}

// FromEnv writes to stdout under METRICS_NAMESPACE (the stack's name, set by the
// template); without it (locally, in tests) nothing is written.
func FromEnv(getenv func(string) string) *Emitter {
	ns := getenv("METRICS_NAMESPACE")
	if ns == "" {
		return nil
	}
	return New(os.Stdout, ns, nil)
}

type metricDef struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

type directive struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []metricDef `json:"Metrics"`
}

type metadata struct {
	Timestamp         int64       `json:"Timestamp"`
	CloudWatchMetrics []directive `json:"CloudWatchMetrics"`
}

// Emit writes the metrics as one line; metrics without a name are skipped. Write
// errors are ignored: a lost metric must never fail a request.
func (e *Emitter) Emit(ms ...Metric) {
	if e == nil || e.w == nil {
		return
	}
	doc := map[string]any{}
	d := directive{Namespace: e.namespace, Dimensions: [][]string{{}}}
	for _, m := range ms {
		if m.Name == "" || m.Name == "_aws" {
			continue
		}
		d.Metrics = append(d.Metrics, metricDef{Name: m.Name, Unit: m.Unit})
		doc[m.Name] = m.Value
	}
	if len(d.Metrics) == 0 {
		return
	}
	doc["_aws"] = metadata{Timestamp: e.now().UnixMilli(), CloudWatchMetrics: []directive{d}}
	b, err := json.Marshal(doc)
	if err != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, _ = e.w.Write(append(b, '\n'))
}

// Count emits one count.
func (e *Emitter) Count(name string, n int) {
	e.Emit(Metric{Name: name, Unit: Count, Value: float64(n)})
}
