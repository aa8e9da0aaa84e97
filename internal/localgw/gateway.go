// Package localgw does locally what API Gateway and Lambda's event source mapping do in
// AWS: it serves the HttpApi routes declared in template.yaml by calling the same
// handler code in-process with payload-2.0 events, serves the pages, and feeds the
// table's stream to the aggregator.
package localgw

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/contract"
	"github.com/nq58/tracker/internal/samtemplate"
)

// HTTPHandler is an HttpApi Lambda handler.
type HTTPHandler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Authorizer verifies an Authorization header as an HttpApi JWT authorizer does and
// returns the token's claims as API Gateway hands them to the function.
type Authorizer interface {
	Verify(header string) (map[string]string, error)
}

// The headers CloudFront adds to every request it sends to the API: the viewer's
// "address:port" and the origin secret (an origin custom header).
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/adding-cloudfront-headers.html
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html
const (
	viewerAddressHeader = "cloudfront-viewer-address"
	originVerifyHeader  = "x-origin-verify"
)

// maxRequestBody mirrors API Gateway's 10 MB payload limit.
const maxRequestBody = 10 << 20

type route struct {
	samtemplate.Route
	segments []string
	handler  HTTPHandler
}

// Gateway is an http.Handler for the template's routes and the pages.
type Gateway struct {
	routes      []route
	web         http.Handler
	log         *slog.Logger
	authorizers map[string]Authorizer
	// OriginSecret is what the gateway sends in X-Origin-Verify on every request it
	// forwards, as CloudFront sends the template's OriginSecret; a client's value is
	// replaced. Empty: the header is dropped, as a request to the API's own address
	// would come without it.
	OriginSecret string
	// KeepViewerAddress keeps a CloudFront-Viewer-Address the client sent, so that
	// tests and benchmarks can act as many sources. Without it the gateway does what
	// CloudFront does: the connection's address replaces any value a client sent.
	KeepViewerAddress bool
	// Contract, when set, validates every request and answer under /v1/ against
	// api/openapi.yaml and records what breaks it (tests; `make run CONTRACT=1`).
	Contract *contract.Checker
}

// New builds a gateway from the template's routes; functions maps each function's
// logical id to its handler. A route whose function has no handler is an error, so the
// template and the code cannot drift apart; so is a route whose authorizer is unknown.
func New(routes []samtemplate.Route, functions map[string]HTTPHandler, authorizers map[string]Authorizer, web fs.FS, log *slog.Logger) (*Gateway, error) {
	g := &Gateway{log: log, authorizers: authorizers}
	if web != nil {
		site, err := newStaticSite(web)
		if err != nil {
			return nil, err
		}
		g.web = site
	}
	for _, r := range routes {
		h, ok := functions[r.Function]
		if !ok {
			return nil, fmt.Errorf("route %s: no handler for function %s", r.RouteKey(), r.Function)
		}
		if _, ok := authorizers[r.Authorizer]; r.Authorizer != "" && !ok {
			return nil, fmt.Errorf("route %s: no authorizer %s", r.RouteKey(), r.Authorizer)
		}
		g.routes = append(g.routes, route{Route: r, segments: splitPath(r.Path), handler: h})
	}
	return g, nil
}

func splitPath(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

// match finds the route for a method and path, preferring literal segments over
// parameters as API Gateway does, and returns the path parameters.
func (g *Gateway) match(method, path string) (*route, map[string]string) {
	segs := splitPath(path)
	var best *route
	var bestParams map[string]string
	bestScore := -1
	for i := range g.routes {
		r := &g.routes[i]
		if r.Method != method && r.Method != "ANY" {
			continue
		}
		params, score, ok := matchSegments(r.segments, segs)
		if ok && score > bestScore {
			best, bestParams, bestScore = r, params, score
		}
	}
	return best, bestParams
}

func matchSegments(pattern, segs []string) (map[string]string, int, bool) {
	params := map[string]string{}
	score := 0
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "+}") { // greedy {proxy+}
			if i >= len(segs) {
				return nil, 0, false
			}
			params[strings.Trim(p, "{+}")] = strings.Join(segs[i:], "/")
			return params, score, true
		}
		if i >= len(segs) {
			return nil, 0, false
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, 0, false
			}
			params[strings.Trim(p, "{}")] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, 0, false
		}
		score++
	}
	if len(pattern) != len(segs) {
		return nil, 0, false
	}
	return params, score, true
}

// ServeHTTP routes API calls to handlers and everything else to the pages, through the
// contract check when there is one.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.Contract != nil {
		g.Contract.Wrap(http.HandlerFunc(g.serve)).ServeHTTP(w, r)
		return
	}
	g.serve(w, r)
}

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	rt, params := g.match(r.Method, r.URL.Path)
	if rt == nil {
		if g.web != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasPrefix(r.URL.Path, "/v1/") {
			g.web.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message":"Not Found"}`)
		return
	}
	var claims map[string]string
	if rt.Authorizer != "" {
		c, err := g.authorizers[rt.Authorizer].Verify(r.Header.Get("Authorization"))
		if err != nil {
			// API Gateway's own answer; the function is not invoked.
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("WWW-Authenticate", "Bearer")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"message":"Unauthorized"}`)
			return
		}
		claims = c
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = io.WriteString(w, `{"message":"Request Entity Too Large"}`)
		return
	}
	ev := g.toEvent(r, rt, params, body)
	if claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims}}
	}
	// A client that goes away does not stop a Lambda invocation: it runs until it returns
	// or hits the function's timeout, its context's only deadline (the invocation outlives
	// its caller's connection: https://github.com/boto/boto3/issues/2510;
	// https://docs.aws.amazon.com/lambda/latest/dg/golang-context.html). So the handler's
	// context does not end with the browser's request (a page that navigates away).
	ctx := lambdacontext.NewContext(context.WithoutCancel(r.Context()), &lambdacontext.LambdaContext{AwsRequestID: ev.RequestContext.RequestID})
	resp, err := rt.handler(ctx, ev)
	if err != nil {
		// What API Gateway answers when the function itself fails.
		g.log.ErrorContext(ctx, "handler returned an error", "route", rt.RouteKey(), "error", err.Error())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"message":"Internal Server Error"}`)
		return
	}
	writeResponse(w, resp)
}

func (g *Gateway) toEvent(r *http.Request, rt *route, params map[string]string, body []byte) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	for k, v := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	// CloudFront's part: the viewer's address and port from the connection, over any
	// value the client sent (unless KeepViewerAddress), and the origin secret.
	if !g.KeepViewerAddress || headers[viewerAddressHeader] == "" {
		headers[viewerAddressHeader] = r.RemoteAddr
	}
	delete(headers, originVerifyHeader)
	if g.OriginSecret != "" {
		headers[originVerifyHeader] = g.OriginSecret
	}
	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = map[string]string{}
		for k, v := range q {
			query[k] = strings.Join(v, ",")
		}
	}
	var cookies []string
	for _, c := range r.Cookies() {
		cookies = append(cookies, c.String())
	}
	if len(params) == 0 {
		params = nil
	}
	now := time.Now()
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: rt.RouteKey(), RawPath: r.URL.Path, RawQueryString: r.URL.RawQuery,
		Cookies: cookies, Headers: headers, QueryStringParameters: query, PathParameters: params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: rt.RouteKey(), AccountID: "local", Stage: "$default", RequestID: uuid.NewString(),
			APIID: "local", DomainName: r.Host, DomainPrefix: "local", Time: now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.URL.Path,
				Protocol: r.Proto, SourceIP: sourceIP(r.RemoteAddr), UserAgent: r.UserAgent()},
		},
	}
	if len(body) > 0 {
		if utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

func sourceIP(remote string) string {
	if i := strings.LastIndex(remote, ":"); i > 0 {
		return strings.Trim(remote[:i], "[]")
	}
	return remote
}

func writeResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) {
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if d, err := base64.StdEncoding.DecodeString(resp.Body); err == nil {
			body = d
		}
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
