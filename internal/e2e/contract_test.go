package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/nq58/tracker/api"
)

// TestMain runs the package's tests with a contract check on every exchange: the HTTP
// helpers all go through http.DefaultClient, whose transport validates each request and
// answer under /v1/ against api/openapi.yaml (errors included). A request the
// description refuses must be refused by the API too (4xx); every answer must match it.
// Violations fail the run after the tests, listed with the request that caused them.
func TestMain(m *testing.M) {
	c, err := newContract()
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract:", err)
		os.Exit(1)
	}
	http.DefaultClient.Transport = c
	code := m.Run()
	if code == 0 {
		code = c.report()
	}
	os.Exit(code)
}

type contract struct {
	router routers.Router
	next   http.RoundTripper

	mu         sync.Mutex
	checked    int
	violations []string
}

func newContract() (*contract, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPIYAML)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	for _, ct := range []string{"text/csv", "text/html", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	return &contract{router: router, next: http.DefaultTransport}, nil
}

func (c *contract) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Path, "/v1/") {
		return c.next.RoundTrip(req)
	}
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if v := c.check(req, reqBody, resp, respBody); v != "" {
		c.mu.Lock()
		c.violations = append(c.violations, fmt.Sprintf("%s %s → %d: %s", req.Method, req.URL.Path, resp.StatusCode, v))
		c.mu.Unlock()
	}
	return resp, nil
}

// check returns what in the exchange the description does not allow ("" when nothing).
func (c *contract) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) string {
	c.mu.Lock()
	c.checked++
	c.mu.Unlock()
	// The router matches on the URL the description's server gives: a relative one.
	probe := req.Clone(context.Background())
	probe.URL.Scheme, probe.URL.Host, probe.Host = "", "", ""
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := c.router.FindRoute(probe)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound {
			return "" // the gateway's answer to a route that does not exist
		}
		return "route not described: " + err.Error()
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && resp.StatusCode < 400 {
		return "request refused by the description but accepted by the API: " + err.Error()
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return "answer not as described: " + err.Error()
	}
	return ""
}

// report returns the exit code of the contract check and prints its findings.
func (c *contract) report() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checked == 0 && len(os.Args) > 0 && !strings.Contains(strings.Join(os.Args, " "), "-test.run") {
		fmt.Fprintln(os.Stderr, "contract: no exchange was checked: the HTTP helpers no longer use http.DefaultClient")
		return 1
	}
	if len(c.violations) > 0 {
		fmt.Fprintf(os.Stderr, "contract: %d of %d exchanges break api/openapi.yaml:\n  %s\n", len(c.violations), c.checked, strings.Join(c.violations, "\n  "))
		return 1
	}
	fmt.Fprintf(os.Stderr, "contract: %d exchanges match api/openapi.yaml\n", c.checked)
	return 0
}

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
