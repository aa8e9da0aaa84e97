// Package publicapi adapts the resident API to API Gateway HTTP API (payload 2.0) events.
package publicapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/api"
	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/metrics"
	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/throttle"
)

// Handler serves the public routes.
type Handler struct {
	*apigw.Router
	svc     *attempts.Service
	phones  *phoneverify.Service
	rounds  *rounds.Service
	metrics *metrics.Emitter
	// origin is the secret CloudFront sends in X-Origin-Verify: only a request that
	// carries it has a viewer address worth believing (nil: none has).
	origin []byte
}

// WithMetrics counts attempts started and submitted, and the SMS sent and refused (nil:
// none).
func (h *Handler) WithMetrics(m *metrics.Emitter) *Handler {
	h.metrics = m
	return h
}

// WithOriginSecret sets the origin secret (see throttle.Source); without one, every
// request's source is API Gateway's sourceIp.
func (h *Handler) WithOriginSecret(secret []byte) *Handler {
	h.origin = secret
	return h
}

// source is the address a request came from, for the limits: CloudFront's viewer
// address when the request proves it came through CloudFront, else API Gateway's
// source IP; never X-Forwarded-For.
func (h *Handler) source(req events.APIGatewayV2HTTPRequest) string {
	return throttle.Source(req.Headers, req.RequestContext.HTTP.SourceIP, h.origin)
}

// WithPhoneVerification serves the phone verification routes with phones (nil: they
// answer an internal error).
func (h *Handler) WithPhoneVerification(phones *phoneverify.Service) *Handler {
	h.phones = phones
	return h
}

// New returns the public API handler.
func New(svc *attempts.Service, contestSvc *rounds.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, rounds: contestSvc}
	h.Router = apigw.NewRouter(log, map[string]apigw.Route{
		"GET /v1/units":                                      h.listUnits,
		"GET /v1/quizzes":                                    h.listQuizzes,
		"POST /v1/quizzes/{quizId}/attempts":                 h.startAttempt,
		"POST /v1/attempts/{attemptId}/submit":               h.submitAttempt,
		"GET /v1/attempts/{attemptId}":                       h.getAttempt,
		"GET /v1/contests/{quizId}/rounds/{roundId}/results": h.contestResults,
		"POST /v1/verifications":                             h.requestVerification,
		"POST /v1/verifications/{verificationId}/confirm":    h.confirmVerification,
		"GET /v1/openapi.json":                               h.openAPI,
	})
	return h
}

// openAPI answers the API's OpenAPI description (api/openapi.yaml) as JSON.
func (h *Handler) openAPI(context.Context, events.APIGatewayV2HTTPRequest) (int, any, error) {
	doc, err := api.OpenAPIJSON()
	return http.StatusOK, json.RawMessage(doc), err
}

// ListMaxAge is how long browsers and CloudFront keep the unit and quiz lists: a page
// opened again within it, or a second attempt, asks the API nothing (or gets a 304),
// and a published or closed quiz shows everywhere within it.
const ListMaxAge = 60 * time.Second

func (h *Handler) listUnits(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.svc.ListUnits(ctx)
	return http.StatusOK, apigw.Cached(req, r, ListMaxAge), err
}

func (h *Handler) listQuizzes(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.svc.ListQuizzes(ctx)
	return http.StatusOK, apigw.Cached(req, r, ListMaxAge), err
}

func (h *Handler) startAttempt(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var body attempts.StartRequest
	if err := apigw.Decode(req, &body); err != nil {
		return 0, nil, err
	}
	body.Source = h.source(req)
	r, err := h.svc.StartAttempt(ctx, req.PathParameters["quizId"], body)
	if err == nil {
		h.metrics.Count("AttemptsStarted", 1)
	}
	return http.StatusCreated, r, err
}

func (h *Handler) submitAttempt(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var body attempts.SubmitRequest
	if err := apigw.Decode(req, &body); err != nil {
		return 0, nil, err
	}
	r, err := h.svc.Submit(ctx, req.PathParameters["attemptId"], body)
	if err == nil {
		h.metrics.Count("AttemptsSubmitted", 1)
	}
	return http.StatusOK, r, err
}

func (h *Handler) getAttempt(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.svc.GetResult(ctx, req.PathParameters["attemptId"], req.QueryStringParameters["token"])
	return http.StatusOK, r, err
}

func (h *Handler) contestResults(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	r, err := h.rounds.Public(ctx, req.PathParameters["quizId"], req.PathParameters["roundId"])
	return http.StatusOK, r, err
}

// errNoPhones answers the verification routes of a handler wired without them.
var errNoPhones = errors.New("phone verification: not configured")

func (h *Handler) requestVerification(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var body phoneverify.VerificationRequest
	if err := apigw.Decode(req, &body); err != nil {
		return 0, nil, err
	}
	if h.phones == nil {
		return 0, nil, errNoPhones
	}
	body.Source = h.source(req) // as for a start
	r, err := h.phones.RequestVerification(ctx, body)
	switch {
	case err == nil:
		h.metrics.Emit(metrics.Metric{Name: "SmsSent", Unit: metrics.Count, Value: 1},
			metrics.Metric{Name: "SmsBudgetUsedPercent", Unit: metrics.Percent, Value: r.SMSBudgetUsedPercent})
	case apperr.CodeOf(err) == apperr.SMSBudget:
		h.metrics.Count("SmsBudgetRefused", 1)
	}
	return http.StatusAccepted, r, err
}

func (h *Handler) confirmVerification(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var body phoneverify.ConfirmRequest
	if err := apigw.Decode(req, &body); err != nil {
		return 0, nil, err
	}
	if h.phones == nil {
		return 0, nil, errNoPhones
	}
	r, err := h.phones.ConfirmVerification(ctx, req.PathParameters["verificationId"], body)
	return http.StatusOK, r, err
}
