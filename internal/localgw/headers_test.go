package localgw_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/samtemplate"
)

// rawGet sends a GET without the transport's own gzip handling, so the answer's
// encoding is what the gateway chose.
func rawGet(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

func templateHeaders(t *testing.T) []samtemplate.Header {
	t.Helper()
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatal(err)
	}
	headers, err := tpl.SecurityHeaders()
	if err != nil {
		t.Fatal(err)
	}
	return headers
}

func TestEveryAnswerCarriesTheDistributionsSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	want := templateHeaders(t)

	tests := []struct {
		name, path string
		status     int
	}{
		{"the resident page", "/", 200},
		{"the staff dashboard", "/staff/", 200},
		{"the contest page", "/staff/contest.html", 200},
		{"a module", "/lib/session.js", 200},
		{"the pages' configuration", "/config.json", 200},
		{"a public API answer", "/v1/units", 200},
		{"an API answer of a missing route", "/v1/nope", 404},
		{"a staff API answer refused by the authorizer", "/v1/reports/awareness", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name+" carries every header of the response headers policy", func(t *testing.T) {
			resp, _ := rawGet(t, srv.URL+tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.status)
			}
			for _, h := range want {
				if got := resp.Header.Values(h.Name); len(got) != 1 || got[0] != h.Value {
					t.Errorf("GET %s: %s = %q, want exactly %q", tt.path, h.Name, got, h.Value)
				}
			}
		})
	}

	t.Run("the policy forbids framing and inline script", func(t *testing.T) {
		resp, _ := rawGet(t, srv.URL+"/staff/", nil)
		csp := resp.Header.Get("Content-Security-Policy")
		for _, part := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"} {
			if !strings.Contains(csp, part) {
				t.Errorf("Content-Security-Policy = %q, want it to contain %q", csp, part)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "${") {
			t.Errorf("Content-Security-Policy = %q, want no unsafe-inline and no unresolved template value", csp)
		}
	})

	t.Run("the local sign-in page, Cognito's stand-in, keeps its own policy", func(t *testing.T) {
		resp, _ := rawGet(t, srv.URL+"/local/oauth2/authorize", nil)
		if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") {
			t.Errorf("GET /local/oauth2/authorize: Content-Security-Policy = %q, want the sign-in page's own", got)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); got == "" {
			t.Errorf("GET /local/oauth2/authorize: no Strict-Transport-Security, want the policy's filled in")
		}
	})
}

func TestAPIAnswersAreGzippedForClientsThatAcceptIt(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)

	plainResp, plain := rawGet(t, srv.URL+"/v1/openapi.json", nil)
	if plainResp.StatusCode != 200 || !json.Valid(plain) || len(plain) < 1000 {
		t.Fatalf("GET /v1/openapi.json = %d, %d bytes, want 200 and JSON of 1,000 bytes or more", plainResp.StatusCode, len(plain))
	}

	tests := []struct {
		name, path, accept string
		wantGzip           bool
	}{
		{"a large JSON answer is gzipped for a browser", "/v1/openapi.json", "gzip, deflate, br", true},
		{"a large JSON answer is gzipped for a client that accepts gzip only", "/v1/openapi.json", "gzip", true},
		{"a client that refuses gzip gets it plain", "/v1/openapi.json", "gzip;q=0, identity", false},
		{"a client that sends no Accept-Encoding gets it plain", "/v1/openapi.json", "", false},
		{"a small answer stays plain, as CloudFront leaves answers under 1,000 bytes", "/v1/nope", "gzip", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{}
			if tt.accept != "" {
				header["Accept-Encoding"] = tt.accept
			}
			resp, raw := rawGet(t, srv.URL+tt.path, header)
			gzipped := resp.Header.Get("Content-Encoding") == "gzip"
			if gzipped != tt.wantGzip {
				t.Fatalf("GET %s with Accept-Encoding %q: Content-Encoding = %q, want gzip %v", tt.path, tt.accept, resp.Header.Get("Content-Encoding"), tt.wantGzip)
			}
			if !gzipped {
				return
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary = %q, want Accept-Encoding", resp.Header.Get("Vary"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, plain) {
				t.Errorf("gunzipped body differs from the plain answer (%d vs %d bytes)", len(got), len(plain))
			}
		})
	}
}
