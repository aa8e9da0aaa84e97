package main

import (
	"bytes"
	"os"
	"testing"
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
	defs, err := schemas(registry, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range registry {
		t.Run(e.name, func(t *testing.T) {
			if defs[e.name] == nil {
				t.Errorf("no schema %s for %v", e.name, e.typ)
			}
		})
	}
}
