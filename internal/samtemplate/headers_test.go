package samtemplate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nq58/tracker"
)

func TestTemplateSecurityHeaders(t *testing.T) {
	got, err := productTemplate(t).SecurityHeaders()
	if err != nil {
		t.Fatalf("SecurityHeaders() error = %v", err)
	}
	want := []Header{
		{"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
		{"Strict-Transport-Security", "max-age=63072000"},
		{"Referrer-Policy", "same-origin"},
		{"X-Content-Type-Options", "nosniff"},
		{"X-Frame-Options", "DENY"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SecurityHeaders() =\n%q\nwant\n%q", got, want)
	}
	t.Run("in AWS the CSP also lets the pages reach the Cognito domain", func(t *testing.T) {
		if !strings.Contains(string(tracker.TemplateYAML), "connect-src 'self' https://${AuthDomainPrefix}.auth.${AWS::Region}.amazoncognito.com;") {
			t.Errorf("the template's CSP does not name the Cognito domain in connect-src")
		}
	})
}

func TestSecurityHeadersOfInlineTemplates(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []Header
		wantErr string
	}{
		{"a source naming a template value is left out, and a directive left without sources", `
Resources:
  P:
    Type: AWS::CloudFront::ResponseHeadersPolicy
    Properties:
      ResponseHeadersPolicyConfig:
        SecurityHeadersConfig:
          ContentSecurityPolicy:
            ContentSecurityPolicy: !Sub "default-src 'self'; connect-src 'self' https://${Domain}; img-src ${Only}"
          StrictTransportSecurity: {AccessControlMaxAgeSec: 60, IncludeSubdomains: true, Preload: true}
        CustomHeadersConfig:
          Items:
            - {Header: Permissions-Policy, Value: "camera=()", Override: true}
`, []Header{{"Content-Security-Policy", "default-src 'self'; connect-src 'self'"}, {"Strict-Transport-Security", "max-age=60; includeSubDomains; preload"}, {"Permissions-Policy", "camera=()"}}, ""},
		{"a template without a policy is an error", "Resources:\n  B: {Type: AWS::S3::Bucket}\n", nil, "exactly one"},
		{"a policy without headers is an error", `
Resources:
  P:
    Type: AWS::CloudFront::ResponseHeadersPolicy
    Properties:
      ResponseHeadersPolicyConfig: {Name: x}
`, nil, "no headers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, tt.src).SecurityHeaders()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("SecurityHeaders() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SecurityHeaders() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
