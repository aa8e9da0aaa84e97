// Package apigw is the API Gateway HTTP API (payload 2.0) plumbing the resident and
// staff adapters share: the one table from application error codes to HTTP statuses,
// JSON answers and strict JSON request bodies.
package apigw

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apperr"
)

// MaxBody is the largest request body accepted.
const MaxBody = 64 << 10

// statusOf is the one table from application error codes to HTTP statuses.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:          http.StatusBadRequest,
	apperr.TooLarge:         http.StatusBadRequest,
	apperr.Validation:       http.StatusUnprocessableEntity,
	apperr.NotFound:         http.StatusNotFound,
	apperr.Unauthorized:     http.StatusUnauthorized,
	apperr.Forbidden:        http.StatusForbidden,
	apperr.AlreadySubmitted: http.StatusConflict,
	apperr.NotOpen:          http.StatusConflict,
	apperr.QuizClosed:       http.StatusConflict,
	apperr.Conflict:         http.StatusConflict,
	apperr.Expired:          http.StatusGone,
	apperr.PhoneUnverified:  http.StatusForbidden,
	apperr.RateLimited:      http.StatusTooManyRequests,
	apperr.SMSBudget:        http.StatusTooManyRequests,
	apperr.Locked:           http.StatusTooManyRequests,
	apperr.Internal:         http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error.
func StatusOf(err error) int {
	if s, ok := statusOf[apperr.CodeOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Failure answers an error: the one mapping from error to status and body.
func Failure(ctx context.Context, log *slog.Logger, req events.APIGatewayV2HTTPRequest, err error) events.APIGatewayV2HTTPResponse {
	status := StatusOf(err)
	if status >= 500 {
		// Internal details go to the log, never to the client; the route key carries no personal data.
		log.ErrorContext(ctx, "request failed", "route", req.RouteKey, "error", err.Error())
	}
	var b errorBody
	b.Error.Code = apperr.CodeOf(err)
	b.Error.Message = apperr.MessageOf(err)
	resp := Respond(status, b)
	if after := apperr.RetryAfterOf(err); after > 0 {
		resp.Headers["Retry-After"] = strconv.FormatInt(int64((after+time.Second-1)/time.Second), 10)
	}
	return resp
}

type errorBody struct {
	Error struct {
		Code    apperr.Code `json:"code"`
		Message string      `json:"message"`
	} `json:"error"`
}

// Respond answers a status and a JSON body.
func Respond(status int, body any) events.APIGatewayV2HTTPResponse {
	b, err := json.Marshal(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers: map[string]string{
			"Content-Type":           "application/json; charset=utf-8",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: string(b),
	}
}

// Decode reads a JSON body strictly: size limit, valid UTF-8, keys as the fields spell
// them (case counts) and each once, no unknown fields, nothing after it.
func Decode(req events.APIGatewayV2HTTPRequest, v any) error {
	raw := []byte(req.Body)
	if req.IsBase64Encoded {
		d, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return apperr.Errorf(apperr.Invalid, "Nội dung yêu cầu không đọc được")
		}
		raw = d
	}
	if len(raw) > MaxBody {
		return apperr.Errorf(apperr.TooLarge, "Nội dung yêu cầu quá lớn (tối đa %d KB)", MaxBody>>10)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return apperr.Errorf(apperr.Invalid, "Thiếu nội dung yêu cầu (JSON)")
	}
	// encoding/json replaces invalid UTF-8 by U+FFFD without a word: refused instead.
	if !utf8.Valid(raw) {
		return apperr.Errorf(apperr.Invalid, "Nội dung yêu cầu không phải UTF-8 hợp lệ")
	}
	if err := checkKeys(raw, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return apperr.Errorf(apperr.Invalid, "Trường không được hỗ trợ: %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		case errors.As(err, &typeErr):
			return apperr.Errorf(apperr.Invalid, "Trường %q có kiểu dữ liệu sai", typeErr.Field)
		default:
			return apperr.Errorf(apperr.Invalid, "JSON không hợp lệ")
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.Errorf(apperr.Invalid, "JSON không hợp lệ: có dữ liệu thừa sau đối tượng")
	}
	return nil
}

// Route answers one route: a status and a body (JSON, or a Responder), or an error.
type Route func(context.Context, events.APIGatewayV2HTTPRequest) (int, any, error)

// Responder is a body that builds its own response (a file download, say).
type Responder interface {
	Response() events.APIGatewayV2HTTPResponse
}

// Router dispatches HttpApi events to routes by route key and turns their results and
// errors into responses.
type Router struct {
	routes map[string]Route
	log    *slog.Logger
}

// NewRouter returns a router over routes, keyed as API Gateway's routeKey ("GET /v1/units").
func NewRouter(log *slog.Logger, routes map[string]Route) *Router {
	return &Router{routes: routes, log: log}
}

// RouteKeys lists the route keys served (checked against template.yaml).
func (r *Router) RouteKeys() []string {
	return slices.Sorted(maps.Keys(r.routes))
}

// Handle is the Lambda entry point.
func (r *Router) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	route, ok := r.routes[req.RouteKey]
	if !ok {
		return Failure(ctx, r.log, req, apperr.Errorf(apperr.NotFound, "No route %s", req.RouteKey)), nil
	}
	status, body, err := route(ctx, req)
	if err != nil {
		return Failure(ctx, r.log, req, err), nil
	}
	if b, ok := body.(Responder); ok {
		return b.Response(), nil
	}
	return Respond(status, body), nil
}

// Cached is a public JSON answer that browsers and CloudFront may keep for maxAge:
// it carries "Cache-Control: public, max-age=…" and a strong ETag (a hash of the
// body), and answers 304 Not Modified without a body when the request's If-None-Match
// names that ETag. The Lambda answers the 304 itself, so revalidation works the same
// through the local gateway, API Gateway and CloudFront.
func Cached(req events.APIGatewayV2HTTPRequest, body any, maxAge time.Duration) Responder {
	return cached{ifNoneMatch: req.Headers["if-none-match"], body: body, maxAge: maxAge}
}

type cached struct {
	ifNoneMatch string
	body        any
	maxAge      time.Duration
}

func (c cached) Response() events.APIGatewayV2HTTPResponse {
	resp := Respond(http.StatusOK, c.body)
	if resp.StatusCode != http.StatusOK {
		return resp
	}
	sum := sha256.Sum256([]byte(resp.Body))
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	resp.Headers["ETag"] = etag
	resp.Headers["Cache-Control"] = "public, max-age=" + strconv.Itoa(int(c.maxAge/time.Second))
	if etagListed(c.ifNoneMatch, etag) {
		resp.StatusCode, resp.Body = http.StatusNotModified, ""
		delete(resp.Headers, "Content-Type")
	}
	return resp
}

// etagListed reports whether an If-None-Match header names etag; as RFC 9110 says for
// If-None-Match, the comparison is weak (a W/ prefix is ignored) and "*" names any.
func etagListed(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
