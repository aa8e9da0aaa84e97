package eventfilter_test

import (
	"testing"

	"github.com/nq58/tracker/internal/eventfilter"
)

// submitted is the aggregator's pattern in template.yaml, written out here to test the
// language on a realistic pattern.
const submitted = `{"eventName": ["INSERT", "MODIFY"],
 "dynamodb": {"NewImage": {"e": {"S": ["attempt"]}, "status": {"S": ["submitted"]}}}}`

func TestMatch(t *testing.T) {
	cases := []struct {
		name    string
		pattern string
		event   string
		want    bool
	}{
		{"a submitted attempt inserted matches", submitted,
			`{"eventName":"INSERT","dynamodb":{"NewImage":{"e":{"S":"attempt"},"status":{"S":"submitted"},"score":{"N":"3"}}}}`, true},
		{"a submitted attempt modified matches", submitted,
			`{"eventName":"MODIFY","dynamodb":{"NewImage":{"e":{"S":"attempt"},"status":{"S":"submitted"}}}}`, true},
		{"a started attempt does not match", submitted,
			`{"eventName":"INSERT","dynamodb":{"NewImage":{"e":{"S":"attempt"},"status":{"S":"started"}}}}`, false},
		{"a counter item does not match", submitted,
			`{"eventName":"MODIFY","dynamodb":{"NewImage":{"e":{"S":"counter"},"attempts":{"N":"4"}}}}`, false},
		{"a removal has no new image and does not match", submitted,
			`{"eventName":"REMOVE","dynamodb":{"OldImage":{"e":{"S":"attempt"},"status":{"S":"submitted"}}}}`, false},
		{"an attribute of another type does not match", submitted,
			`{"eventName":"INSERT","dynamodb":{"NewImage":{"e":{"S":"attempt"},"status":{"N":"1"}}}}`, false},
		{"numbers match whatever their spelling", `{"n": [1]}`, `{"n": 1.0}`, true},
		{"a list value matches when one element does", `{"tags": ["b"]}`, `{"tags": ["a", "b"]}`, true},
		{"prefix matches the start of a string", `{"pk": [{"prefix": "ATTEMPT#"}]}`, `{"pk": "ATTEMPT#42"}`, true},
		{"prefix does not match elsewhere", `{"pk": [{"prefix": "ATTEMPT#"}]}`, `{"pk": "APPLIED#ATTEMPT#42"}`, false},
		{"exists true needs the field", `{"a": [{"exists": true}]}`, `{"b": 1}`, false},
		{"exists false matches a missing field", `{"a": [{"exists": false}]}`, `{"b": 1}`, true},
		{"anything-but rejects the values listed", `{"s": [{"anything-but": ["x", "y"]}]}`, `{"s": "y"}`, false},
		{"anything-but accepts other values", `{"s": [{"anything-but": ["x", "y"]}]}`, `{"s": "z"}`, true},
		{"anything-but does not match a missing field", `{"s": [{"anything-but": ["x"]}]}`, `{}`, false},
		{"a nested pattern does not match a leaf", `{"a": {"b": ["c"]}}`, `{"a": "c"}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := eventfilter.Parse(c.pattern)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Match([]byte(c.event))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("Match = %v, want %v", got, c.want)
			}
		})
	}
}

func TestParseRefusesWhatItCannotMatch(t *testing.T) {
	cases := []struct{ name, pattern string }{
		{"a bare value outside a list", `{"a": "x"}`},
		{"an empty list", `{"a": []}`},
		{"an unsupported operator", `{"a": [{"numeric": [">", 1]}]}`},
		{"an operator object with two keys", `{"a": [{"prefix": "x", "exists": true}]}`},
		{"exists with a string", `{"a": [{"exists": "yes"}]}`},
		{"text that is not JSON", `{"a": `},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := eventfilter.Parse(c.pattern); err == nil {
				t.Errorf("Parse(%s) succeeded, want an error", c.pattern)
			}
		})
	}
}

func TestAnyOrsThePatterns(t *testing.T) {
	a, _ := eventfilter.Parse(`{"k": ["a"]}`)
	b, _ := eventfilter.Parse(`{"k": ["b"]}`)
	cases := []struct {
		name     string
		patterns []eventfilter.Pattern
		event    string
		want     bool
	}{
		{"no patterns let every event through", nil, `{"k":"z"}`, true},
		{"the second pattern may match", []eventfilter.Pattern{a, b}, `{"k":"b"}`, true},
		{"no pattern matching drops the event", []eventfilter.Pattern{a, b}, `{"k":"z"}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := eventfilter.Any(c.patterns, []byte(c.event))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("Any = %v, want %v", got, c.want)
			}
		})
	}
}
