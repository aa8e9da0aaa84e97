package staffapi

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/sample/samples"
)

// WithSamples gives the handler the random-sample service. Its routes are registered by
// New with the others; the wiring sets the service (a separate call keeps New's
// signature for the callers that list routes only).
func (h *Handler) WithSamples(svc *samples.Service) *Handler {
	h.samples = svc
	return h
}

// sampleRoutes are the random-sample survey routes (admins and officers of the unit).
func (h *Handler) sampleRoutes() map[string]apigw.StaffRoute {
	return map[string]apigw.StaffRoute{
		"POST /v1/admin/samples":                            h.createSample,
		"GET /v1/admin/samples":                             h.listSamples,
		"GET /v1/admin/samples/{sampleId}":                  h.getSample,
		"PUT /v1/admin/samples/{sampleId}/frame":            h.putSampleFrame,
		"POST /v1/admin/samples/{sampleId}/draw":            h.drawSample,
		"POST /v1/admin/samples/{sampleId}/outcomes":        h.sampleOutcome,
		"GET /v1/admin/samples/{sampleId}/sheets":           h.sampleSheets,
		"PUT /v1/admin/samples/{sampleId}/responses/{code}": h.sampleResponse,
	}
}

func (h *Handler) sampleService() (*samples.Service, error) {
	if h.samples == nil {
		return nil, apperr.Errorf(apperr.Internal, "samples: no service wired")
	}
	return h.samples, nil
}

func (h *Handler) createSample(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	var in samples.CreateRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	v, err := svc.Create(ctx, s, in)
	return http.StatusCreated, v, err
}

func (h *Handler) getSample(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	v, err := svc.Get(ctx, s, req.PathParameters["sampleId"])
	return http.StatusOK, v, err
}

// putSampleFrame answers the frame's sizes, or 422 with every row error.
func (h *Handler) putSampleFrame(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	b, err := rawBody(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := svc.PutFrame(ctx, s, req.PathParameters["sampleId"], req.Headers["content-type"], b)
	if err != nil && len(r.Errors) > 0 {
		body := map[string]any{"error": map[string]any{"code": apperr.CodeOf(err), "message": apperr.MessageOf(err)}, "rows": r.Errors}
		return http.StatusUnprocessableEntity, body, nil
	}
	return http.StatusOK, r, err
}

func (h *Handler) drawSample(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	var in samples.DrawRequest
	if req.Body != "" {
		if err := apigw.Decode(req, &in); err != nil {
			return 0, nil, err
		}
	}
	v, err := svc.Draw(ctx, s, req.PathParameters["sampleId"], in)
	return http.StatusOK, v, err
}

func (h *Handler) sampleOutcome(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	var in samples.OutcomeRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	c, err := svc.SetOutcome(ctx, s, req.PathParameters["sampleId"], in)
	return http.StatusOK, c, err
}

// sampleReport answers GET /v1/reports/awareness with sampleId: the sample's own
// figures, never mixed with the open quiz's.
func (h *Handler) sampleReport(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	r, err := svc.Report(ctx, s, req.QueryStringParameters["sampleId"])
	if err != nil {
		return 0, nil, err
	}
	return tables(req, "mau-ngau-nhien-"+r.UnitID, r, r.Tables)
}

func (h *Handler) sampleSheets(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	v, err := svc.Sheets(ctx, s, req.PathParameters["sampleId"], req.QueryStringParameters["unitId"])
	return http.StatusOK, v, err
}

// sampleResponse enters a sample's sheet: 201, once per drawn code.
func (h *Handler) sampleResponse(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	var in samples.ResponseRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	r, err := svc.EnterResponse(ctx, s, req.PathParameters["sampleId"], req.PathParameters["code"], in)
	return http.StatusCreated, r, err
}

// listSamples needs quizId: without it the request is incomplete (422).
func (h *Handler) listSamples(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	svc, err := h.sampleService()
	if err != nil {
		return 0, nil, err
	}
	l, err := svc.List(ctx, s, req.QueryStringParameters["quizId"])
	return http.StatusOK, samples.List{Samples: l}, err
}
