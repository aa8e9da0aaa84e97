package localgw_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/contract"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/samtemplate"
)

// staticAuthorizer accepts one token, as the StaffJwt authorizer accepts a valid one.
type staticAuthorizer struct{ token string }

func (a staticAuthorizer) Verify(header string) (map[string]string, error) {
	if header != "Bearer "+a.token {
		return nil, errors.New("unauthorized")
	}
	return map[string]string{"sub": "tester"}, nil
}

// The gateway's own answers (API Gateway's in AWS) match the one Error schema every error
// answer of api/openapi.yaml uses, as the functions' answers do.
func TestTheGatewaysOwnErrorsMatchTheOneErrorSchema(t *testing.T) {
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.Routes()
	if err != nil {
		t.Fatal(err)
	}
	// The functions are never reached: each answer here is the gateway's own.
	unreached := func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, errors.New("the function was invoked")
	}
	functions := map[string]localgw.HTTPHandler{}
	for _, r := range routes {
		functions[r.Function] = unreached
	}
	const token = "valid-token"
	huge := strings.Repeat(" ", 10<<20+1) // one byte over API Gateway's 10 MB
	tests := []struct {
		name, method, path, auth, body string
		want                           int
	}{
		{"a public body over 10 MB is refused with 413", "POST", "/v1/verifications", "", huge, http.StatusRequestEntityTooLarge},
		{"a staff body over 10 MB is refused with 413", "POST", "/v1/activities", "Bearer " + token, huge, http.StatusRequestEntityTooLarge},
		{"a staff route without a token is refused with 401", "GET", "/v1/admin/me", "", "", http.StatusUnauthorized},
		{"a route that does not exist answers 404", "GET", "/v1/nothing-here", "", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw, err := localgw.New(routes, functions, map[string]localgw.Authorizer{"StaffJwt": staticAuthorizer{token}}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if gw.Contract, err = contract.New(); err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			gw.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("%s %s: got %d %s, want %d", tt.method, tt.path, rec.Code, rec.Body, tt.want)
			}
			if v := gw.Contract.Violations(); len(v) > 0 {
				t.Errorf("the gateway's own answer breaks api/openapi.yaml:\n  %s", strings.Join(v, "\n  "))
			}
		})
	}
}
