// Package apiclient is a Go client of the HTTP API generated from api/openapi.yaml by
// oapi-codegen (version pinned by the tool line of go.mod). It exists so a third party's
// view of the API is tested: internal/e2e drives journeys with it alone, and
// TestTheClientIsWhatTheGeneratorMakesNow fails when the committed code differs from what
// the generator makes of the description today.
package apiclient

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../api/openapi.yaml
