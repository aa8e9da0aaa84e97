package staffapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/staffdir"
)

// AdminHandler serves the staff-account routes (StaffAdminFunction): a handler of its
// own because its directory in AWS is Cognito, whose client the staff API need not link.
type AdminHandler struct {
	staff *staffdir.Service
	*apigw.Router
}

// NewAdmin returns the staff-account handler.
func NewAdmin(staffSvc *staffdir.Service, log *slog.Logger) *AdminHandler {
	h := &AdminHandler{staff: staffSvc}
	h.Router = staffRouter(log, map[string]staffRoute{
		"GET /v1/admin/staff":                     h.listStaff,
		"POST /v1/admin/staff":                    h.inviteStaff,
		"POST /v1/admin/staff/{username}/disable": h.disableStaff,
	})
	return h
}

func (h *AdminHandler) listStaff(ctx context.Context, s auth.Staff, _ events.APIGatewayV2HTTPRequest) (int, any, error) {
	list, err := h.staff.List(ctx, s)
	return http.StatusOK, map[string]any{"staff": list}, err
}

func (h *AdminHandler) inviteStaff(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	var in staffdir.Invitation
	if err := apigw.Decode(req, &in); err != nil {
		return 0, nil, err
	}
	m, err := h.staff.Invite(ctx, s, in)
	return http.StatusCreated, m, err
}

func (h *AdminHandler) disableStaff(ctx context.Context, s auth.Staff, req events.APIGatewayV2HTTPRequest) (int, any, error) {
	if err := h.staff.Disable(ctx, s, req.PathParameters["username"]); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
