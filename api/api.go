// Package api holds the OpenAPI 3.1 description of the HTTP API, api/openapi.yaml: the
// one source of truth clients are generated from, embedded here. Its paths, parameters,
// answers and the Error schema are hand-written; the schemas below its marker line are
// generated from the Go types the handlers decode and encode (api/gen). The public
// function serves it as JSON at GET /v1/openapi.json.
package api

//go:generate go run ./gen

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"
)

// OpenAPIYAML is api/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte

var (
	jsonOnce sync.Once
	jsonDoc  []byte
	jsonErr  error
)

// OpenAPIJSON returns the description as JSON, converted once.
func OpenAPIJSON() ([]byte, error) {
	jsonOnce.Do(func() {
		var doc any
		if err := yaml.Unmarshal(OpenAPIYAML, &doc); err != nil {
			jsonErr = fmt.Errorf("openapi.yaml: %w", err)
			return
		}
		jsonDoc, jsonErr = json.Marshal(doc)
		if jsonErr != nil {
			jsonErr = fmt.Errorf("openapi.yaml as JSON: %w", jsonErr)
		}
	})
	return jsonDoc, jsonErr
}
