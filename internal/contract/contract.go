// Package contract checks HTTP exchanges against api/openapi.yaml with kin-openapi's
// openapi3filter: every request and answer under /v1/ that passes through a Checker's
// handler is validated, and what the description does not allow is recorded. The local
// gateway wraps its routes in one (StackOptions.Contract); internal/testenv turns it on
// for every test stack and fails the test whose traffic broke the description.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/nq58/tracker/api"
)

// The media types of the downloads and uploads: validated as opaque files.
var fileMediaTypes = []string{"text/csv", "text/html", "application/octet-stream",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

// describedHeaders are the answer headers a client acts on: an answer that sends one
// must declare it (kin-openapi checks only the headers an answer declares).
var describedHeaders = []string{"ETag", "Cache-Control", "Content-Disposition", "X-Next-Cursor", "WWW-Authenticate", "Retry-After"}

// The description is parsed, validated and routed once per process: every test stack
// shares it (openapi3filter.RegisterBodyDecoder is process-wide too).
var loadRouter = sync.OnceValues(func() (*described, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml: %w", err)
	}
	errSchema := doc.Components.Schemas["Error"]
	if errSchema == nil || errSchema.Value == nil {
		return nil, fmt.Errorf("api/openapi.yaml: no components/schemas/Error")
	}
	for _, ct := range fileMediaTypes {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &described{router: router, errorSchema: errSchema.Value}, nil
})

// described is the loaded description: its routes and the one error schema.
type described struct {
	router      routers.Router
	errorSchema *openapi3.Schema
}

// Checker validates the exchanges of the handlers it wraps and keeps what it found.
type Checker struct {
	router      routers.Router
	errorSchema *openapi3.Schema
	// Log, when set, warns of each violation as it happens (`make run CONTRACT=1`), with
	// the method, path and status and without the values kin-openapi quotes (a body's
	// values may be personal data).
	Log *slog.Logger

	mu         sync.Mutex
	checked    int
	violations []string
}

// New returns a checker of api/openapi.yaml.
func New() (*Checker, error) {
	d, err := loadRouter()
	if err != nil {
		return nil, err
	}
	return &Checker{router: d.router, errorSchema: d.errorSchema}, nil
}

// Checked returns how many exchanges under /v1/ were validated.
func (c *Checker) Checked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.checked
}

// Violations returns what the exchanges broke, one line each, with the request.
func (c *Checker) Violations() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.violations...)
}

// Wrap returns next with every exchange under /v1/ validated. The answer is held until
// it is checked, so a violation is recorded before the client has read the answer
// (a test's cleanup then sees it).
func (c *Checker) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		var reqBody []byte
		if r.Body != nil {
			b, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, "contract: read the request: "+err.Error(), http.StatusBadRequest)
				return
			}
			_ = r.Body.Close()
			reqBody = b
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		rec := &recorder{header: http.Header{}}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if problems := c.check(r, reqBody, rec); len(problems) > 0 {
			c.mu.Lock()
			c.violations = append(c.violations, fmt.Sprintf("%s %s → %d: %s", r.Method, r.URL.RequestURI(), rec.status, strings.Join(problems, "; ")))
			c.mu.Unlock()
			if c.Log != nil {
				c.Log.WarnContext(r.Context(), "exchange breaks api/openapi.yaml", "method", r.Method, "path", r.URL.Path,
					"status", rec.status, "problems", withoutValues(problems))
			}
		}
		for k, vs := range rec.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

// check returns what in the exchange the description does not allow (none: nil).
func (c *Checker) check(r *http.Request, reqBody []byte, rec *recorder) []string {
	c.mu.Lock()
	c.checked++
	c.mu.Unlock()
	// The router matches on the URL the description's server gives: a relative one.
	probe := r.Clone(context.Background())
	probe.URL.Scheme, probe.URL.Host, probe.Host = "", "", ""
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := c.router.FindRoute(probe)
	if err != nil {
		if rec.status == http.StatusNotFound {
			// The gateway's answer to a route that does not exist: an error like any other.
			var body any
			if err := json.Unmarshal(rec.body.Bytes(), &body); err != nil {
				return []string{"the 404 of an undescribed route is not JSON: " + err.Error()}
			}
			if err := c.errorSchema.VisitJSON(body); err != nil {
				return []string{"the 404 of an undescribed route does not match the Error schema: " + oneLine(err)}
			}
			return nil
		}
		return []string{"route not described: " + err.Error()}
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route, Options: opts}
	// A request the description refuses must be refused by the API too.
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && rec.status < 400 {
		return []string{"request refused by the description but accepted by the API: " + oneLine(err)}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.status, Header: rec.header,
		Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), Options: opts}
	var problems []string
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		problems = append(problems, "answer not as described: "+oneLine(err))
	}
	if missing := undeclaredHeaders(route.Operation, rec.status, rec.header); len(missing) > 0 {
		problems = append(problems, "answer headers not described: "+strings.Join(missing, ", "))
	}
	// A time the server never set is left out, never sent as Go's zero time: a client
	// would read it as a real date (year 1).
	if strings.HasPrefix(rec.header.Get("Content-Type"), "application/json") && bytes.Contains(rec.body.Bytes(), []byte(`"0001-01-01T00:00:00Z"`)) {
		problems = append(problems, "zero time sent (0001-01-01T00:00:00Z): leave the field out")
	}
	return problems
}

// undeclaredHeaders returns the describedHeaders the answer sends but its description
// (the status's response, else default) does not declare.
func undeclaredHeaders(op *openapi3.Operation, status int, header http.Header) []string {
	resp := op.Responses.Status(status)
	if resp == nil {
		resp = op.Responses.Default()
	}
	var missing []string
	for _, h := range describedHeaders {
		if header.Get(h) == "" {
			continue
		}
		declared := false
		if resp != nil && resp.Value != nil {
			for name := range resp.Value.Headers {
				if strings.EqualFold(name, h) {
					declared = true
				}
			}
		}
		if !declared {
			missing = append(missing, h)
		}
	}
	sort.Strings(missing)
	return missing
}

// withoutValues cuts each problem before the schema and the value kin-openapi quotes.
func withoutValues(problems []string) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		for _, cut := range []string{" Schema:", " Value:"} {
			if j := strings.Index(p, cut); j >= 0 {
				p = p[:j]
			}
		}
		out[i] = p
	}
	return out
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// recorder holds an answer until it is checked.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
