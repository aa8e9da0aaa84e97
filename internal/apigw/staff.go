package apigw

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/auth"
)

// StaffRoute serves one staff route for the signed-in staff member.
type StaffRoute func(context.Context, auth.Staff, events.APIGatewayV2HTTPRequest) (int, any, error)

// NewStaffRouter is a router whose routes first read the caller from the JWT
// authorizer's claims: API Gateway has verified the token, so a handler reads only them.
func NewStaffRouter(log *slog.Logger, routes map[string]StaffRoute) *Router {
	wrapped := make(map[string]Route, len(routes))
	for key, r := range routes {
		wrapped[key] = asStaff(r)
	}
	return NewRouter(log, wrapped)
}

func asStaff(route StaffRoute) Route {
	return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, any, error) {
		var claims map[string]string
		if a := req.RequestContext.Authorizer; a != nil && a.JWT != nil {
			claims = a.JWT.Claims
		}
		staff, err := auth.FromClaims(claims)
		if err != nil {
			return 0, nil, err
		}
		return route(ctx, staff, req)
	}
}
