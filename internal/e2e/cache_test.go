package e2e

import (
	"io"
	"net/http"
	"testing"
)

func TestTheListsRevalidateThroughTheGateway(t *testing.T) {
	e := newEnv(t)
	get := func(t *testing.T, path, ifNoneMatch string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, e.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	for _, path := range []string{"/v1/units", "/v1/quizzes"} {
		t.Run(path+" is cacheable and answers 304 to its own ETag", func(t *testing.T) {
			first, body := get(t, path, "")
			etag := first.Header.Get("ETag")
			if first.StatusCode != http.StatusOK || len(body) == 0 || etag == "" {
				t.Fatalf("first GET = %d, %d bytes, ETag %q, want 200 with a body and an ETag", first.StatusCode, len(body), etag)
			}
			if got := first.Header.Get("Cache-Control"); got != "public, max-age=60" {
				t.Errorf("Cache-Control = %q, want public, max-age=60", got)
			}
			again, body := get(t, path, etag)
			if again.StatusCode != http.StatusNotModified || len(body) != 0 {
				t.Errorf("GET with If-None-Match = %d with %d bytes, want 304 without a body", again.StatusCode, len(body))
			}
			if got := again.Header.Get("ETag"); got != etag {
				t.Errorf("304 ETag = %q, want %q", got, etag)
			}
		})
	}
	t.Run("an attempt's answers are never cached", func(t *testing.T) {
		s := e.start(demoQuiz, resident(village, "", "device-cache"))
		resp, _ := get(t, "/v1/attempts/"+s.AttemptID+"?token="+s.AttemptToken, "")
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", got)
		}
	})
}
