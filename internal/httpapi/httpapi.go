// Package httpapi adapts the resident API to API Gateway HTTP API (payload 2.0) events.
package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contests"
	"github.com/nq58/tracker/internal/quiz"
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
	apperr.Conflict:         http.StatusConflict,
	apperr.Expired:          http.StatusGone,
	apperr.Internal:         http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error.
func StatusOf(err error) int {
	if s, ok := statusOf[apperr.CodeOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Handler serves the public routes.
type Handler struct {
	svc      *quiz.Service
	contests *contests.Service
	log      *slog.Logger
	routes   map[string]func(context.Context, events.APIGatewayV2HTTPRequest) (int, any, error)
}

// New returns the public API handler.
func New(svc *quiz.Service, contestSvc *contests.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, contests: contestSvc, log: log}
	h.routes = map[string]func(context.Context, events.APIGatewayV2HTTPRequest) (int, any, error){
		"GET /v1/units":                                      h.listUnits,
		"GET /v1/quizzes":                                    h.listQuizzes,
		"POST /v1/quizzes/{quizId}/attempts":                 h.startAttempt,
		"POST /v1/attempts/{attemptId}/submit":               h.submitAttempt,
		"GET /v1/attempts/{attemptId}":                       h.getAttempt,
		"GET /v1/contests/{quizId}/rounds/{roundId}/results": h.contestResults,
	}
	return h
}

// RouteKeys lists the route keys this handler serves (checked against template.yaml).
func (h *Handler) RouteKeys() []string {
	return slices.Sorted(maps.Keys(h.routes))
}

// Handle is the Lambda entry point.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	route, ok := h.routes[req.RouteKey]
	if !ok {
		return h.fail(ctx, req, apperr.Errorf(apperr.NotFound, "No route %s", req.RouteKey)), nil
	}
	status, body, err := route(ctx, req)
	if err != nil {
		return h.fail(ctx, req, err), nil
	}
	return Respond(status, body), nil
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
	return Respond(status, b)
}

type errorBody struct {
	Error struct {
		Code    apperr.Code `json:"code"`
		Message string      `json:"message"`
	} `json:"error"`
}

func (h *Handler) fail(ctx context.Context, req events.APIGatewayV2HTTPRequest, err error) events.APIGatewayV2HTTPResponse {
	return Failure(ctx, h.log, req, err)
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

// Decode reads a JSON body strictly: size limit, no unknown fields, nothing after it.
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

func (h *Handler) listUnits(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.svc.ListUnits(ctx)
	return http.StatusOK, r, err
}

func (h *Handler) listQuizzes(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.svc.ListQuizzes(ctx)
	return http.StatusOK, r, err
}

func (h *Handler) startAttempt(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var body quiz.StartRequest
	if err := Decode(req, &body); err != nil {
		return 0, nil, err
	}
	r, err := h.svc.StartAttempt(ctx, req.PathParameters["quizId"], body)
	return http.StatusCreated, r, err
}

func (h *Handler) submitAttempt(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var body quiz.SubmitRequest
	if err := Decode(req, &body); err != nil {
		return 0, nil, err
	}
	r, err := h.svc.Submit(ctx, req.PathParameters["attemptId"], body)
	return http.StatusOK, r, err
}

func (h *Handler) getAttempt(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.svc.GetResult(ctx, req.PathParameters["attemptId"], req.QueryStringParameters["token"])
	return http.StatusOK, r, err
}

func (h *Handler) contestResults(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.contests.Public(ctx, req.PathParameters["quizId"], req.PathParameters["roundId"])
	return http.StatusOK, r, err
}
