// Package api holds the OpenAPI 3.1 description of the HTTP API, api/openapi.yaml: the
// one source of truth clients are generated from, hand-written and embedded here. The
// public function serves it as JSON at GET /v1/openapi.json.
package api

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
