// Command gen writes the JSON Schemas of the Go types the handlers decode and encode
// (registry.go) into components.schemas of api/openapi.yaml, below the marker line, so
// the description's shapes and the code's cannot drift apart; `go generate ./api` runs
// it and TestTheSchemasAreWhatTheGeneratorMakesNow fails when the file is not its output.
//
// The schemas come from github.com/invopop/jsonschema, which writes JSON Schema 2020-12:
// the dialect of OpenAPI 3.1's schema objects
// (https://spec.openapis.org/oas/v3.1.0#schema-object). Its `$defs` references are
// rewritten to components.schemas.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/invopop/jsonschema"
	"gopkg.in/yaml.v3"
)

// marker ends the hand-written part of api/openapi.yaml; everything below is generated.
const marker = "    # generated from Go types by `go generate ./api`; do not edit below"

func main() {
	path := "openapi.yaml"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	doc, err := os.ReadFile(path)
	if err == nil {
		doc, err = generate(doc, "..") // go generate runs in api/
	}
	if err == nil {
		err = os.WriteFile(path, doc, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "api/gen:", err)
		os.Exit(1)
	}
}

// entry is one schema of the registry: its name and the Go type, decoded from a request
// (in) or encoded in an answer (out).
type entry struct {
	name string
	typ  reflect.Type
	in   bool
}

// enum is a type's schema name and its values.
type enum struct {
	name   string
	values func() []any
}

// enumMark marks where an enum type was reflected, to become a reference to its schema.
const enumMark = "x-enum-schema"

// scalar is a schema written in the registry rather than reflected.
type scalar struct {
	name   string
	schema *jsonschema.Schema
}

func ptr[T any](v T) *T { return &v }

func in[T any](name string) entry  { return entry{name, reflect.TypeFor[T](), true} }
func out[T any](name string) entry { return entry{name, reflect.TypeFor[T](), false} }

func anys[T any](list []T) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = v
	}
	return out
}

// module is the module's path, the prefix of the Go comments' keys.
const module = "github.com/nq58/tracker"

// generate returns doc with everything below the marker replaced by the registry's
// schemas, described by the Go comments of the module at root.
func generate(doc []byte, root string) ([]byte, error) {
	i := bytes.Index(doc, []byte(marker+"\n"))
	if i < 0 {
		return nil, fmt.Errorf("no marker line %q", marker)
	}
	comments, err := goComments(root)
	if err != nil {
		return nil, err
	}
	defs, unused, err := schemas(registry, comments)
	if err == nil {
		err = errors.Join(unused...)
	}
	if err != nil {
		return nil, err
	}
	body, err := render(defs)
	if err != nil {
		return nil, err
	}
	return append(doc[:i+len(marker)+1:i+len(marker)+1], body...), nil
}

// namer gives every named Go type one schema name: the registry's for the registry's
// types, the Go name for the others, with the package's name before it when another
// package has a type of that name, and "Input" after it for a request's part whose name
// an answer's part has (a request's fields are required differently).
type namer struct {
	given  map[reflect.Type]string // the registry's names of this direction
	suffix string
	taken  map[string]reflect.Type // every name given so far, both directions
	names  map[reflect.Type]string // this direction's names
}

func (n *namer) name(t reflect.Type) string {
	if name, ok := n.names[t]; ok {
		return name
	}
	name, ok := n.given[t]
	if !ok {
		if t.Name() == "" || t == reflect.TypeFor[time.Time]() {
			return ""
		}
		name = t.Name()
		if other, ok := n.taken[name]; ok && other != t {
			name = upperFirst(pkgName(t)) + name
		}
		if other, ok := n.taken[name]; ok && (other != t || n.suffix != "") {
			if strings.HasSuffix(name, n.suffix) {
				name += "Body" // QuestionInput's request form, not QuestionInputInput
			} else {
				name += n.suffix
			}
		}
	}
	if other, ok := n.taken[name]; ok && other != t && n.given[t] == "" {
		panic(fmt.Sprintf("schema name %s given to %v and %v", name, other, t))
	}
	n.taken[name], n.names[t] = t, name
	return name
}

func pkgName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:]
}

func upperFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// schemas reflects the registry's types: answers first, so their parts keep the Go
// names and a request's part of the same name gets "Input".
//
// unused lists the field enums and fixes no schema of reg took: a registry's mistake.
func schemas(reg []entry, comments map[string]string) (defs map[string]*jsonschema.Schema, unused []error, err error) {
	taken := map[string]reflect.Type{}
	defs = map[string]*jsonschema.Schema{}
	types := map[string]reflect.Type{}
	for _, dir := range []bool{false, true} {
		n := &namer{given: map[reflect.Type]string{}, taken: taken, names: map[reflect.Type]string{}}
		if dir {
			n.suffix = "Input"
		}
		for _, e := range reg {
			if e.in == dir {
				if prev, ok := n.given[e.typ]; ok {
					return nil, nil, fmt.Errorf("%v is registered twice, as %s and %s", e.typ, prev, e.name)
				}
				if _, ok := taken[e.name]; ok {
					return nil, nil, fmt.Errorf("schema name %s is registered twice", e.name)
				}
				n.given[e.typ] = e.name
			}
		}
		r := &jsonschema.Reflector{
			Anonymous:                  true,
			RequiredFromJSONSchemaTags: dir,
			CommentMap:                 comments,
			Namer:                      n.name,
			Mapper: func(t reflect.Type) *jsonschema.Schema {
				if e, ok := enums[t]; ok { // marked here, a reference once reflected
					return &jsonschema.Schema{Type: "string", Extras: map[string]any{enumMark: e.name}}
				}
				return nil
			},
		}
		for _, e := range reg {
			if e.in != dir {
				continue
			}
			s := r.ReflectFromType(e.typ)
			for name, d := range s.Definitions {
				defs[name] = d
			}
		}
		for t, name := range n.names {
			types[name] = t
		}
	}
	var errs []error
	for _, sc := range scalars {
		if _, ok := defs[sc.name]; ok {
			errs = append(errs, fmt.Errorf("schema name %s is both a scalar and a type's", sc.name))
		}
		defs[sc.name] = sc.schema
	}
	used := map[fieldKey]bool{}
	usedEnums := map[string]bool{}
	for name, d := range defs {
		if slices.ContainsFunc(scalars, func(sc scalar) bool { return sc.name == name }) {
			continue
		}
		t, ok := types[name]
		if !ok {
			errs = append(errs, fmt.Errorf("schema %s: no Go type", name))
			continue
		}
		complete(d, t, used)
		if fix, ok := fixes[name]; ok {
			fix(d)
		}
		walk(d, func(s *jsonschema.Schema) {
			s.Ref = strings.Replace(s.Ref, "#/$defs/", "#/components/schemas/", 1)
			if name, ok := s.Extras[enumMark].(string); ok {
				*s = jsonschema.Schema{Ref: "#/components/schemas/" + name}
				usedEnums[name] = true
			}
		})
	}
	for _, e := range enums {
		if !usedEnums[e.name] {
			continue // an unused schema is a lint warning
		}
		if _, ok := defs[e.name]; ok {
			errs = append(errs, fmt.Errorf("schema name %s is both an enum and a type's", e.name))
		}
		defs[e.name] = &jsonschema.Schema{Type: "string", Enum: e.values()}
	}
	for k := range fieldEnums {
		if !used[k] {
			unused = append(unused, fmt.Errorf("an enum for %v's field %s, which no schema has", k.typ, k.name))
		}
	}
	for name := range fixes {
		if defs[name] == nil {
			unused = append(unused, fmt.Errorf("a fix for %s, which is not generated", name))
		}
	}
	return defs, unused, errors.Join(errs...)
}

// goComments reads the doc comments of the types and fields under root/internal, the
// schemas' descriptions, each on one line.
func goComments(root string) (map[string]string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	// AddGoComments names packages by the directories it walks: it walks from the root.
	if err := os.Chdir(root); err != nil {
		return nil, err
	}
	defer func() { _ = os.Chdir(wd) }()
	r := &jsonschema.Reflector{}
	if err := r.AddGoComments(module, "internal"); err != nil {
		return nil, err
	}
	for k, v := range r.CommentMap {
		r.CommentMap[k] = strings.Join(strings.Fields(v), " ")
	}
	return r.CommentMap, nil
}

// walk calls fn on s and every schema within it.
func walk(s *jsonschema.Schema, fn func(*jsonschema.Schema)) {
	if s == nil {
		return
	}
	fn(s)
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			walk(p.Value, fn)
		}
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for _, c := range list {
			walk(c, fn)
		}
	}
	for _, c := range s.PatternProperties {
		walk(c, fn)
	}
	walk(s.Items, fn)
	walk(s.AdditionalProperties, fn)
}

// field is a struct field as encoding/json sees it.
type field struct {
	name string
	typ  reflect.Type
	omit bool // omitempty or omitzero: never written as null
}

// jsonFields lists t's fields as encoding/json writes them, embedded structs flattened.
func jsonFields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		if tag[0] == "-" {
			continue
		}
		if f.Anonymous && tag[0] == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				out = append(out, jsonFields(et)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag[0] != "" {
			name = tag[0]
		}
		out = append(out, field{name, f.Type, slices.Contains(tag[1:], "omitempty") || slices.Contains(tag[1:], "omitzero")})
	}
	return out
}

// mayBeNull reports whether encoding/json writes a value of t as null (a nil pointer,
// slice, map or interface).
func mayBeNull(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	}
	return false
}

// orNull allows null beside s: a type list, or anyOf around a reference.
func orNull(s *jsonschema.Schema) *jsonschema.Schema {
	switch {
	case s.Ref != "":
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{s, {Type: "null"}}}
	case s.Type != "":
		c := *s
		c.Extras = map[string]any{}
		for k, v := range s.Extras {
			c.Extras[k] = v
		}
		c.Extras["type"] = []string{s.Type, "null"}
		c.Type = ""
		return &c
	}
	return s // no type: null is allowed already
}

// fieldKey names a struct field by its type and JSON name.
type fieldKey struct {
	typ  reflect.Type
	name string
}

func fieldOf[T any](name string) fieldKey { return fieldKey{reflect.TypeFor[T](), name} }

// complete adds to the schema s of Go type t what reflection does not give: the enums of
// fieldEnums, and null wherever encoding/json may write it (a field that is a nil
// pointer, slice or map without omitempty, and such items). References are left alone:
// their own definitions are visited apart.
func complete(s *jsonschema.Schema, t reflect.Type, used map[fieldKey]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s == nil || s.Ref != "" {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if s.Properties == nil {
			return
		}
		for _, f := range jsonFields(t) {
			p, ok := s.Properties.Get(f.name)
			if !ok {
				continue
			}
			complete(p, f.typ, used)
			if values, ok := fieldEnums[fieldKey{t, f.name}]; ok {
				used[fieldKey{t, f.name}] = true
				target := p
				if p.Type == "array" {
					target = p.Items
				}
				target.Enum = values()
			}
			if !f.omit && mayBeNull(f.typ) {
				s.Properties.Set(f.name, orNull(p))
			}
		}
	case reflect.Slice, reflect.Array:
		if s.Items != nil {
			complete(s.Items, t.Elem(), used)
			if mayBeNull(t.Elem()) {
				s.Items = orNull(s.Items)
			}
		}
	case reflect.Map:
		if s.AdditionalProperties != nil && s.AdditionalProperties != jsonschema.FalseSchema {
			complete(s.AdditionalProperties, t.Elem(), used)
			if mayBeNull(t.Elem()) {
				s.AdditionalProperties = orNull(s.AdditionalProperties)
			}
		}
	}
}

// render writes the schemas, by name, as the YAML of components.schemas' entries: the
// innermost mappings on one line, as the hand-written part writes them.
func render(defs map[string]*jsonschema.Schema) ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	names := make([]string, 0, len(defs))
	for name := range defs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b, err := json.Marshal(defs[name])
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		v := doc.Content[0]
		style(v, false)
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: name}, v)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for line := range strings.Lines(buf.String()) {
		out.WriteString("    " + line)
	}
	return out.Bytes(), nil
}

// style writes scalars plainly where YAML allows it, a sequence of scalars or a mapping
// of scalars and such sequences on one line, and a schema's reference or type first
// (properties stay in the struct's order).
func style(n *yaml.Node, properties bool) {
	flat := true
	for i, c := range n.Content {
		style(c, n.Kind == yaml.MappingNode && i%2 == 1 && n.Content[i-1].Value == "properties")
		key := n.Kind == yaml.MappingNode && i%2 == 0
		if !key && c.Kind != yaml.ScalarNode && (n.Kind == yaml.SequenceNode || c.Kind != yaml.SequenceNode || c.Style != yaml.FlowStyle) {
			flat = false
		}
	}
	if n.Kind == yaml.MappingNode && !properties { // a reference or the type first, as people read them
		for i := 2; i < len(n.Content); i += 2 {
			if k := n.Content[i].Value; k == "$ref" || k == "type" {
				pair := []*yaml.Node{n.Content[i], n.Content[i+1]}
				copy(n.Content[2:i+2], n.Content[:i])
				copy(n.Content, pair)
			}
		}
	}
	switch n.Kind {
	case yaml.ScalarNode:
		n.Style = 0
	case yaml.MappingNode, yaml.SequenceNode:
		n.Style = 0
		if flat {
			n.Style = yaml.FlowStyle
		}
	}
}
