package apigw_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/apigw"
)

func cachedAnswer(t *testing.T, ifNoneMatch string, body any) events.APIGatewayV2HTTPResponse {
	t.Helper()
	req := events.APIGatewayV2HTTPRequest{Headers: map[string]string{}}
	if ifNoneMatch != "" {
		req.Headers["if-none-match"] = ifNoneMatch
	}
	return apigw.Cached(req, body, time.Minute).Response()
}

func TestCachedAnswersCarryAnETagAndRevalidate(t *testing.T) {
	body := map[string]any{"units": []string{"xa-a"}}
	first := cachedAnswer(t, "", body)
	etag := first.Headers["ETag"]

	t.Run("a first request gets the body, a strong ETag and a short public max-age", func(t *testing.T) {
		if first.StatusCode != http.StatusOK || first.Body == "" {
			t.Fatalf("status %d body %q, want 200 with a body", first.StatusCode, first.Body)
		}
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
			t.Errorf("ETag = %q, want a strong quoted tag", etag)
		}
		if got, want := first.Headers["Cache-Control"], "public, max-age=60"; got != want {
			t.Errorf("Cache-Control = %q, want %q", got, want)
		}
	})

	cases := []struct {
		name        string
		ifNoneMatch string
		body        any
		want        int
	}{
		{"the same ETag gets a 304 without a body", etag, body, http.StatusNotModified},
		{"the ETag among others gets a 304", `"other", ` + etag, body, http.StatusNotModified},
		{"the ETag marked weak gets a 304", "W/" + etag, body, http.StatusNotModified},
		{"a star gets a 304", "*", body, http.StatusNotModified},
		{"another ETag gets the body", `"other"`, body, http.StatusOK},
		{"a changed body gets the new body", etag, map[string]any{"units": []string{"xa-b"}}, http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := cachedAnswer(t, c.ifNoneMatch, c.body)
			if got.StatusCode != c.want {
				t.Fatalf("status = %d, want %d", got.StatusCode, c.want)
			}
			if c.want == http.StatusNotModified {
				if got.Body != "" || got.Headers["ETag"] != etag || got.Headers["Cache-Control"] == "" {
					t.Errorf("304 body %q ETag %q Cache-Control %q, want no body and the same ETag and Cache-Control",
						got.Body, got.Headers["ETag"], got.Headers["Cache-Control"])
				}
			}
			if c.want == http.StatusOK && got.Headers["ETag"] == etag && c.ifNoneMatch == etag {
				t.Errorf("a changed body kept the ETag %q", etag)
			}
		})
	}
}
