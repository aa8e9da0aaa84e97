package metrics

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEmit(t *testing.T) {
	at := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		metrics []Metric
		want    string // the one line, "" for none
	}{
		{
			name:    "a count is one JSON line with its _aws directive",
			metrics: []Metric{{Name: "AttemptsStarted", Unit: Count, Value: 1}},
			want:    `{"AttemptsStarted":1,"_aws":{"Timestamp":1740816000000,"CloudWatchMetrics":[{"Namespace":"nq58-dev","Dimensions":[[]],"Metrics":[{"Name":"AttemptsStarted","Unit":"Count"}]}]}}`,
		},
		{
			name: "several metrics share one line",
			metrics: []Metric{{Name: "StreamRecordsApplied", Unit: Count, Value: 99},
				{Name: "StreamRecordsFailed", Unit: Count, Value: 1}, {Name: "StreamLag", Unit: Milliseconds, Value: 1500}},
			want: `{"StreamLag":1500,"StreamRecordsApplied":99,"StreamRecordsFailed":1,"_aws":{"Timestamp":1740816000000,"CloudWatchMetrics":[{"Namespace":"nq58-dev","Dimensions":[[]],"Metrics":[{"Name":"StreamRecordsApplied","Unit":"Count"},{"Name":"StreamRecordsFailed","Unit":"Count"},{"Name":"StreamLag","Unit":"Milliseconds"}]}]}}`,
		},
		{name: "no metric writes nothing", metrics: nil, want: ""},
		{name: "a metric named _aws cannot overwrite the metadata", metrics: []Metric{{Name: "_aws", Unit: Count, Value: 1}}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			New(&buf, "nq58-dev", func() time.Time { return at }).Emit(tt.metrics...)
			got := strings.TrimSuffix(buf.String(), "\n")
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if tt.want != "" && strings.Count(buf.String(), "\n") != 1 {
				t.Errorf("got %q, want exactly one line", buf.String())
			}
		})
	}
}

func TestEveryDeclaredMetricHasAValue(t *testing.T) {
	t.Run("each metric in the directive is a top-level number, as EMF requires", func(t *testing.T) {
		var buf bytes.Buffer
		New(&buf, "ns", nil).Emit(Metric{Name: "A", Unit: Count, Value: 2}, Metric{Name: "B", Unit: Milliseconds, Value: 3})
		var doc struct {
			AWS struct {
				CloudWatchMetrics []struct {
					Metrics []struct{ Name string }
				}
			} `json:"_aws"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var top map[string]any
		if err := json.Unmarshal(buf.Bytes(), &top); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range doc.AWS.CloudWatchMetrics[0].Metrics {
			if _, ok := top[m.Name].(float64); ok {
				got = append(got, m.Name)
			}
		}
		if want := []string{"A", "B"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

func TestDisabled(t *testing.T) {
	t.Run("without METRICS_NAMESPACE the emitter is off and safe to call", func(t *testing.T) {
		e := FromEnv(func(string) string { return "" })
		if e != nil {
			t.Fatalf("got %v, want nil", e)
		}
		e.Count("AttemptsStarted", 1) // must not panic
	})
}
