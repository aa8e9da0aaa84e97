package staffapi

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/paper/sheets"
)

// paperRoutes are the paper-sheet routes (collectors, officers, admins).
func (h *Handler) paperRoutes() map[string]apigw.StaffRoute {
	return map[string]apigw.StaffRoute{
		"POST /v1/paper/prints":                   h.printSheets,
		"GET /v1/paper/sheets/{code}":             h.getSheet,
		"PUT /v1/paper/sheets/{code}":             h.enterSheet,
		"POST /v1/paper/uploads":                  h.uploadSheets,
		"GET /v1/paper/progress":                  h.sheetProgress,
		"POST /v1/paper/sheets/{code}/correction": h.correctSheet,
	}
}

func (h *Handler) printSheets(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in sheets.PrintRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	v, err := h.sheets.Print(ctx, s, in)
	return http.StatusCreated, v, err
}

func (h *Handler) getSheet(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	v, err := h.sheets.GetSheet(ctx, s, req.PathParameters["code"])
	return http.StatusOK, v, err
}

// enterSheet answers 201 for a new entry and 200 for the same entry again (a resend
// from the offline queue), 409 for other content.
func (h *Handler) enterSheet(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in sheets.EntryRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	r, err := h.sheets.Enter(ctx, s, req.PathParameters["code"], in)
	if err == nil && !r.Created {
		return http.StatusOK, r, nil
	}
	return http.StatusCreated, r, err
}

func (h *Handler) uploadSheets(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	b, err := rawBody(req)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.sheets.Upload(ctx, s, req.Headers["content-type"], b)
	if err != nil && len(r.Errors) > 0 {
		return http.StatusUnprocessableEntity, rowErrors(err, r.Errors), nil
	}
	return http.StatusOK, r, err
}

// sheetProgress needs quizId: without it the request is incomplete (422), not a quiz
// that does not exist (404).
func (h *Handler) sheetProgress(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	if req.QueryStringParameters["quizId"] == "" {
		return 0, nil, apperr.Errorf(apperr.Validation, "Thiếu mã bài (quizId)")
	}
	p, err := h.sheets.Progress(ctx, s, req.QueryStringParameters["quizId"], req.QueryStringParameters["unitId"])
	return http.StatusOK, p, err
}

// correctSheet replaces an entered sheet's answers, with a reason, audited.
func (h *Handler) correctSheet(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in sheets.CorrectionRequest
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	r, err := h.sheets.Correct(ctx, s, req.PathParameters["code"], in)
	return http.StatusOK, r, err
}
