// Package eventfilter matches events against Lambda event-filter patterns, the
// FilterCriteria of an event source mapping, so that the local stream poller drops the
// records Lambda would drop before invoking a function.
//
// It implements the subset of the pattern language the template uses: nested objects,
// arrays of exact values (strings, numbers, booleans, null; a field matches when it
// equals any of them), and the operators {"prefix": "..."}, {"exists": true|false}
// and {"anything-but": [...]} (exact values). Any other operator is an error when the
// pattern is parsed, never a silent mismatch.
package eventfilter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Pattern is one parsed filter pattern.
type Pattern struct {
	fields map[string]node
	source string
}

// node is either a nested object (fields) or a list of conditions on a leaf value.
type node struct {
	fields map[string]node
	conds  []cond
}

type condKind int

const (
	equals condKind = iota
	prefix
	exists
	anythingBut
)

type cond struct {
	kind   condKind
	value  any   // equals, prefix (string), exists (bool)
	values []any // anything-but
}

// Parse reads a pattern written as JSON, as in the template's FilterCriteria.Filters.
func Parse(src string) (Pattern, error) {
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(src)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return Pattern{}, fmt.Errorf("filter pattern: %w", err)
	}
	fields, err := parseObject(raw, "")
	if err != nil {
		return Pattern{}, err
	}
	return Pattern{fields: fields, source: src}, nil
}

// String returns the pattern as written.
func (p Pattern) String() string { return p.source }

func parseObject(raw map[string]any, path string) (map[string]node, error) {
	out := make(map[string]node, len(raw))
	for k, v := range raw {
		at := path + "." + k
		switch v := v.(type) {
		case map[string]any:
			f, err := parseObject(v, at)
			if err != nil {
				return nil, err
			}
			out[k] = node{fields: f}
		case []any:
			if len(v) == 0 {
				return nil, fmt.Errorf("filter pattern %s: an empty list matches nothing", at)
			}
			var cs []cond
			for _, x := range v {
				c, err := parseCond(x, at)
				if err != nil {
					return nil, err
				}
				cs = append(cs, c)
			}
			out[k] = node{conds: cs}
		default:
			return nil, fmt.Errorf("filter pattern %s: values must be in a list", at)
		}
	}
	return out, nil
}

func parseCond(x any, at string) (cond, error) {
	op, ok := x.(map[string]any)
	if !ok {
		if _, nested := x.([]any); nested {
			return cond{}, fmt.Errorf("filter pattern %s: nested lists are not supported", at)
		}
		return cond{kind: equals, value: normalise(x)}, nil
	}
	if len(op) != 1 {
		return cond{}, fmt.Errorf("filter pattern %s: an operator object has exactly one key", at)
	}
	for name, arg := range op {
		switch name {
		case "prefix":
			s, ok := arg.(string)
			if !ok {
				return cond{}, fmt.Errorf("filter pattern %s: prefix takes a string", at)
			}
			return cond{kind: prefix, value: s}, nil
		case "exists":
			b, ok := arg.(bool)
			if !ok {
				return cond{}, fmt.Errorf("filter pattern %s: exists takes true or false", at)
			}
			return cond{kind: exists, value: b}, nil
		case "anything-but":
			list, ok := arg.([]any)
			if !ok {
				list = []any{arg}
			}
			c := cond{kind: anythingBut}
			for _, v := range list {
				if _, obj := v.(map[string]any); obj {
					return cond{}, fmt.Errorf("filter pattern %s: anything-but takes exact values only", at)
				}
				c.values = append(c.values, normalise(v))
			}
			return c, nil
		default:
			return cond{}, fmt.Errorf("filter pattern %s: operator %q is not supported locally", at, name)
		}
	}
	panic("unreachable")
}

// normalise makes numbers comparable whatever their spelling (1, 1.0).
func normalise(v any) any {
	if n, ok := v.(json.Number); ok {
		if f, err := n.Float64(); err == nil {
			return f
		}
		return n.String()
	}
	if f, ok := v.(float64); ok {
		return f
	}
	return v
}

// Match reports whether an event, given as the JSON Lambda would filter, matches.
func (p Pattern) Match(event []byte) (bool, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return false, fmt.Errorf("filter event: %w", err)
	}
	return matchObject(p.fields, doc), nil
}

func matchObject(fields map[string]node, doc map[string]any) bool {
	for k, n := range fields {
		v, present := doc[k]
		if n.fields != nil {
			sub, ok := v.(map[string]any)
			if !ok || !matchObject(n.fields, sub) {
				return false
			}
			continue
		}
		if !slices.ContainsFunc(n.conds, func(c cond) bool { return c.match(v, present) }) {
			return false
		}
	}
	return true
}

// match tests one condition on a leaf; a list value matches when any element does.
func (c cond) match(v any, present bool) bool {
	if c.kind == exists {
		_, isObject := v.(map[string]any)
		return c.value.(bool) == (present && !isObject)
	}
	if !present {
		return false
	}
	if list, ok := v.([]any); ok {
		return slices.ContainsFunc(list, func(x any) bool { return c.match(x, true) })
	}
	v = normalise(v)
	switch c.kind {
	case equals:
		return v == c.value
	case prefix:
		s, ok := v.(string)
		return ok && len(s) >= len(c.value.(string)) && s[:len(c.value.(string))] == c.value.(string)
	case anythingBut:
		if _, isObject := v.(map[string]any); isObject {
			return false
		}
		return !slices.Contains(c.values, v)
	}
	return false
}

// Any reports whether event matches at least one of patterns (Lambda ORs the filters);
// with no patterns every event matches.
func Any(patterns []Pattern, event []byte) (bool, error) {
	if len(patterns) == 0 {
		return true, nil
	}
	for _, p := range patterns {
		ok, err := p.Match(event)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}
