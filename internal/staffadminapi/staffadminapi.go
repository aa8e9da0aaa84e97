// Package staffadminapi adapts the staff-account routes (StaffAdminFunction) to API
// Gateway HTTP API events: a function of its own because its directory in AWS is
// Cognito, whose client the staff API need not link. The accounts are staffdir's.
package staffadminapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/staffdir"
)

// Handler serves the staff-account routes.
type Handler struct {
	staff *staffdir.Service
	*apigw.Router
}

// New returns the staff-account handler.
func New(staffSvc *staffdir.Service, log *slog.Logger) *Handler {
	h := &Handler{staff: staffSvc}
	h.Router = apigw.NewStaffRouter(log, map[string]apigw.StaffRoute{
		"GET /v1/admin/staff":                     h.listStaff,
		"POST /v1/admin/staff":                    h.inviteStaff,
		"POST /v1/admin/staff/{username}/disable": h.disableStaff,
	})
	return h
}

// StaffList is GET /v1/admin/staff's answer.
type StaffList struct {
	Staff []staffdir.Member `json:"staff"`
}

func (h *Handler) listStaff(ctx context.Context, s auth.Staff, _ events.APIGatewayV2HTTPRequest) (int, any, error) {
	list, err := h.staff.List(ctx, s)
	return http.StatusOK, StaffList{Staff: list}, err
}

func (h *Handler) inviteStaff(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in staffdir.Invitation
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	m, err := h.staff.Invite(ctx, s, in)
	return http.StatusCreated, m, err
}

func (h *Handler) disableStaff(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	if err := h.staff.Disable(ctx, s, req.PathParameters["username"]); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
