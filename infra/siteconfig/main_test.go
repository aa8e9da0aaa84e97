package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const stackJSON = `{"Stacks":[{"StackName":"nq58-dev",
 "Parameters":[{"ParameterKey":"SiteDomain","ParameterValue":"%SITE%"}],
 "Outputs":[
  {"OutputKey":"SiteDomain","OutputValue":"d111.cloudfront.net"},
  {"OutputKey":"WebBucketName","OutputValue":"nq58-dev-webbucket-1"},
  {"OutputKey":"AuthorizeUrl","OutputValue":"https://xa.auth.ap-southeast-1.amazoncognito.com/oauth2/authorize"},
  {"OutputKey":"TokenUrl","OutputValue":"https://xa.auth.ap-southeast-1.amazoncognito.com/oauth2/token"},
  {"OutputKey":"LogoutUrl","OutputValue":"https://xa.auth.ap-southeast-1.amazoncognito.com/logout"},
  {"OutputKey":"UserPoolClientId","OutputValue":"abc123"}]}]}`

func writeStack(t *testing.T, siteParam string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "stack.json")
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(stackJSON, "%SITE%", siteParam)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		siteParam string
		output    string
		pending   bool
		want      string
	}{
		{name: "an output's value is printed alone", output: "WebBucketName", want: "nq58-dev-webbucket-1\n"},
		{name: "the distribution's domain is pending while SiteDomain is empty", pending: true, want: "d111.cloudfront.net\n"},
		{name: "nothing is pending once SiteDomain is set", siteParam: "d111.cloudfront.net", pending: true, want: ""},
		{name: "a commune's own domain is kept", siteParam: "tuyentruyen.example.vn", pending: true, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			if err := run(writeStack(t, tt.siteParam), tt.output, tt.pending, "", &out); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	t.Run("config.json carries the OAuth endpoints, the client and the scopes", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "config.json")
		if err := run(writeStack(t, ""), "", false, dst, new(strings.Builder)); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]any{"auth": {
			"authorizeUrl": "https://xa.auth.ap-southeast-1.amazoncognito.com/oauth2/authorize",
			"tokenUrl":     "https://xa.auth.ap-southeast-1.amazoncognito.com/oauth2/token",
			"logoutUrl":    "https://xa.auth.ap-southeast-1.amazoncognito.com/logout",
			"clientId":     "abc123",
			"scopes":       []any{"openid", "email", "profile"},
		}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("a missing output is an error, not an empty setting", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "stack.json")
		if err := os.WriteFile(p, []byte(`{"Stacks":[{"Outputs":[]}]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := run(p, "", false, filepath.Join(t.TempDir(), "c.json"), new(strings.Builder)); err == nil {
			t.Error("got no error, want one naming the missing outputs")
		}
	})
}
