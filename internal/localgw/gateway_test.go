package localgw_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/publicapi"
	"github.com/nq58/tracker/internal/samtemplate"
	"github.com/nq58/tracker/internal/staffadminapi"
	"github.com/nq58/tracker/internal/staffapi"
)

func TestEveryTemplateRouteIsServedByItsHandler(t *testing.T) {
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.Routes()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string][]string{
		"PublicApiFunction":  publicapi.New(nil, nil, nil).RouteKeys(),
		"StaffApiFunction":   staffapi.New(nil, nil, nil, nil, nil, nil).RouteKeys(),
		"StaffAdminFunction": staffadminapi.New(nil, nil).RouteKeys(),
	}
	fromTemplate := map[string][]string{}
	for _, r := range routes {
		fromTemplate[r.Function] = append(fromTemplate[r.Function], r.RouteKey())
	}
	for fn, keys := range fromTemplate {
		t.Run(fn+" serves exactly its template routes", func(t *testing.T) {
			slices.Sort(keys)
			if !slices.Equal(keys, served[fn]) {
				t.Errorf("template routes %v, handler routes %v: they must be the same", keys, served[fn])
			}
		})
	}
}

func TestTheLocalGatewaySetsTheViewerAddressAsCloudFrontDoes(t *testing.T) {
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.Routes()
	if err != nil {
		t.Fatal(err)
	}
	echo := func(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: ev.Headers["cloudfront-viewer-address"] + " " + ev.Headers["x-origin-verify"]}, nil
	}
	functions := map[string]localgw.HTTPHandler{}
	for _, r := range routes {
		functions[r.Function] = echo
	}
	const remote, forged, secret = "192.0.2.44:51000", "203.0.113.5:46532", "origin-secret-of-this-run"
	tests := []struct {
		name    string
		keep    bool
		headers map[string]string
		want    string
	}{
		{"a request without the header gets the connection's address and the origin secret", false, nil, remote + " " + secret},
		{"a client's viewer address and origin secret are replaced, as CloudFront replaces them", false,
			map[string]string{"CloudFront-Viewer-Address": forged, "X-Origin-Verify": "guess"}, remote + " " + secret},
		{"with KeepViewerAddress a request that carries one keeps it, so tests can act as many sources", true,
			map[string]string{"CloudFront-Viewer-Address": forged}, forged + " " + secret},
		{"with KeepViewerAddress a request without one gets the connection's address", true, nil, remote + " " + secret},
		{"with KeepViewerAddress a client's origin secret is still replaced", true,
			map[string]string{"CloudFront-Viewer-Address": forged, "X-Origin-Verify": "guess"}, forged + " " + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw, err := localgw.New(routes, functions, map[string]localgw.Authorizer{"StaffJwt": nil}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			gw.OriginSecret, gw.KeepViewerAddress = secret, tt.keep
			req := httptest.NewRequest("GET", "/v1/units", nil)
			req.RemoteAddr = remote
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			gw.ServeHTTP(rec, req)
			if got := rec.Body.String(); got != tt.want {
				t.Errorf("viewer address and origin secret = %q, want %q", got, tt.want)
			}
		})
	}
}
