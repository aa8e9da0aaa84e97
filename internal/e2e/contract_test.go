package e2e

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/nq58/tracker/api"
)

// Every exchange of these tests is checked against api/openapi.yaml by the local gateway
// itself (StackOptions.Contract, on in every testenv stack): a violation fails the test
// that caused it when the test ends.

func TestTheOpenAPIDescriptionIsServed(t *testing.T) {
	e := newEnv(t)
	status, body := e.call("GET", "/v1/openapi.json", nil)
	want, err := api.OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK || !bytes.Equal(body, want) {
		t.Errorf("GET /v1/openapi.json: status %d, %d bytes; want 200 and the %d bytes of api/openapi.yaml as JSON", status, len(body), len(want))
	}
}

func TestEveryTestStackChecksTheContract(t *testing.T) {
	e := newEnv(t)
	if e.stack.Contract == nil {
		t.Fatal("the test stack has no contract check: testenv must turn StackOptions.Contract on")
	}
	before := e.stack.Contract.Checked()
	e.call("GET", "/v1/units", nil)
	if got := e.stack.Contract.Checked() - before; got != 1 {
		t.Errorf("exchanges checked for one GET /v1/units: got %d, want 1", got)
	}
}
