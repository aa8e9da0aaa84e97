package contract

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTheCheckRecordsWhatBreaksTheDescription(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		status                   int
		header                   map[string]string
		answer                   string
		want                     string // part of the one violation; "" for none
	}{
		{"a described answer passes", "GET", "/v1/units", "", 200,
			map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"}, `{"units":[]}`, ""},
		{"an answer without a required field is an answer not as described", "GET", "/v1/units", "", 200,
			map[string]string{"Content-Type": "application/json"}, `{}`, "answer not as described"},
		{"a header the answer sends but its description leaves out is reported", "GET", "/v1/units", "", 200,
			map[string]string{"Content-Type": "application/json", "X-Next-Cursor": "abc"}, `{"units":[]}`, "answer headers not described: X-Next-Cursor"},
		{"a request the description refuses but the API accepts is reported", "POST", "/v1/verifications", `{"phone":"0900000000"}`, 202,
			map[string]string{"Content-Type": "application/json"}, `{"verificationId":"v","expiresAt":"2026-01-01T00:00:00Z"}`, "request refused by the description but accepted by the API"},
		{"a request the description refuses and the API refuses passes", "POST", "/v1/verifications", `{"phone":"0900000000"}`, 422,
			map[string]string{"Content-Type": "application/json"}, `{"error":{"code":"validation","message":"Thiếu mã cuộc thi"}}`, ""},
		{"an answer with Go's zero time is reported", "GET", "/v1/quizzes", "", 200,
			map[string]string{"Content-Type": "application/json"}, `{"quizzes":[{"id":"q","kind":"quiz","title":"t","opensAt":"0001-01-01T00:00:00Z"}]}`, "zero time sent"},
		{"an error of an unknown route that is not the Error schema is reported", "GET", "/v1/nothing", "", 404,
			map[string]string{"Content-Type": "application/json"}, `{"oops":true}`, "does not match the Error schema"},
		{"the gateway's own error body passes", "GET", "/v1/nothing", "", 404,
			map[string]string{"Content-Type": "application/json"}, `{"message":"Not Found"}`, ""},
		{"a page outside /v1/ is not checked", "GET", "/index.html", "", 200,
			map[string]string{"Content-Type": "text/html"}, `<p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New()
			if err != nil {
				t.Fatal(err)
			}
			h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.answer))
			}))
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status || rec.Body.String() != tt.answer {
				t.Errorf("the client got %d %q, want the handler's %d %q", rec.Code, rec.Body, tt.status, tt.answer)
			}
			v := c.Violations()
			switch {
			case tt.want == "" && len(v) > 0:
				t.Errorf("violations %q, want none", v)
			case tt.want != "" && (len(v) != 1 || !strings.Contains(v[0], tt.want)):
				t.Errorf("violations %q, want one containing %q", v, tt.want)
			}
		})
	}
}
