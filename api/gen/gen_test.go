package main

import (
	"bytes"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/nq58/tracker/internal/auth"
)

// The committed description's generated schemas are what the registry's Go types give
// now: a changed type without `go generate ./api` fails here, so the description and the
// code cannot drift apart.
func TestTheSchemasAreWhatTheGeneratorMakesNow(t *testing.T) {
	committed, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(committed, "../..")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("api/openapi.yaml (%d bytes) differs from what api/gen makes of the Go types now (%d bytes): run `go generate ./api` and commit", len(committed), len(got))
	}
}

// Every registered type gives a schema of its registered name, and no two schemas share
// a name (a collision would describe one type with another's shape).
func TestEveryRegisteredTypeIsGeneratedUnderItsName(t *testing.T) {
	defs, unused, err := schemas(registry, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unused {
		t.Error(u)
	}
	for _, e := range registry {
		t.Run(e.name, func(t *testing.T) {
			if defs[e.name] == nil {
				t.Errorf("no schema %s for %v", e.name, e.typ)
			}
		})
	}
}

// sample has a field of each kind the generator treats apart.
type sample struct {
	List     []string    `json:"list"`
	Optional []string    `json:"optional,omitempty"`
	Pointer  *int        `json:"pointer"`
	Part     *samplePart `json:"part"`
	When     time.Time   `json:"when,omitzero"`
	Needed   string      `json:"needed" jsonschema:"required"`
	Hidden   string      `json:"-"`
}

type samplePart struct {
	Role auth.Role `json:"role"`
}

// The schemas say what encoding/json writes and what the decoder requires: null where a
// nil slice, map or pointer is written, required fields by direction, enums by reference.
func TestTheSchemasSayWhatEncodingJSONWrites(t *testing.T) {
	defs, _, err := schemas([]entry{out[sample]("Out"), in[sample]("In")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	prop := func(t *testing.T, schema, name string) *jsonschema.Schema {
		t.Helper()
		p, ok := defs[schema].Properties.Get(name)
		if !ok {
			t.Fatalf("%s has no property %s", schema, name)
		}
		return p
	}
	typeOf := func(s *jsonschema.Schema) any {
		if s.Type != "" {
			return s.Type
		}
		return s.Extras["type"]
	}
	tests := []struct {
		name, schema, property string
		got                    func(*jsonschema.Schema) any
		want                   any
	}{
		{"a slice without omitempty may be null", "Out", "list", typeOf, []string{"array", "null"}},
		{"a slice with omitempty is never null", "Out", "optional", typeOf, "array"},
		{"a pointer without omitempty may be null", "Out", "pointer", typeOf, []string{"integer", "null"}},
		{"a pointer to a struct may be null beside its reference", "Out", "part",
			func(s *jsonschema.Schema) any {
				return len(s.AnyOf) == 2 && s.AnyOf[0].Ref == "#/components/schemas/samplePart" && s.AnyOf[1].Type == "null"
			}, true},
		{"a time is a date-time", "Out", "when", func(s *jsonschema.Schema) any { return s.Format }, "date-time"},
		{"an enum type of the code is a reference to its schema", "samplePart", "role", func(s *jsonschema.Schema) any { return s.Ref }, "#/components/schemas/Role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(prop(t, tt.schema, tt.property)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s.%s: got %v, want %v", tt.schema, tt.property, got, tt.want)
			}
		})
	}
	required := []struct {
		name, schema string
		want         []string
	}{
		{"an answer requires every field without omitempty or omitzero", "Out", []string{"list", "pointer", "part", "needed"}},
		{"a request requires only the fields tagged required", "In", []string{"needed"}},
	}
	for _, tt := range required {
		t.Run(tt.name, func(t *testing.T) {
			if got := defs[tt.schema].Required; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s required: got %v, want %v", tt.schema, got, tt.want)
			}
		})
	}
	if _, ok := defs["Out"].Properties.Get("Hidden"); ok {
		t.Error(`a json:"-" field is described`)
	}
	if got := defs["Role"].Enum; !reflect.DeepEqual(got, anys(auth.Roles())) {
		t.Errorf("Role's enum: got %v, want auth.Roles() %v", got, auth.Roles())
	}
}
