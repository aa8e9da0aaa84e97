package localgw

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func staticGateway(t *testing.T) *Gateway {
	t.Helper()
	page := strings.Repeat("<p>Tìm hiểu Nghị quyết 58-NQ/TW</p>\n", 50)
	web := fstest.MapFS{
		"index.html":       {Data: []byte("<!DOCTYPE html>" + page)},
		"app.css":          {Data: []byte(strings.Repeat("body{margin:0}\n", 40))},
		"sw.js":            {Data: []byte(strings.Repeat("self.addEventListener('fetch', function () {});\n", 10))},
		"favicon.svg":      {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" fill="#9b1c1c"/></svg>`)},
		"resident/main.js": {Data: []byte(strings.Repeat("import { $ } from '../lib/dom.js';\n", 30))},
		"staff/index.html": {Data: []byte("<!DOCTYPE html>" + page)},
		"tiny.txt":         {Data: []byte("a")},
	}
	g, err := New(nil, nil, nil, web, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func get(t *testing.T, g *Gateway, method, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		return raw
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return plain
}

func TestStaticFilesAreCompressedAndCached(t *testing.T) {
	g := staticGateway(t)
	gz := map[string]string{"Accept-Encoding": "gzip, deflate, br"}
	tests := []struct {
		name, target string
		header       map[string]string
		status       int
		encoding     string
		cache        string
		contentType  string
	}{
		{"the resident page is gzipped and revalidated on every visit", "/", gz, 200, "gzip", "no-cache", "text/html; charset=utf-8"},
		{"a stylesheet is gzipped and kept five minutes", "/app.css", gz, 200, "gzip", "max-age=300", "text/css; charset=utf-8"},
		{"a module is gzipped, kept five minutes and typed as JavaScript", "/resident/main.js", gz, 200, "gzip", "max-age=300", "text/javascript; charset=utf-8"},
		{"the service worker is revalidated on every visit", "/sw.js", gz, 200, "gzip", "no-cache", "text/javascript; charset=utf-8"},
		{"the favicon is an SVG", "/favicon.svg", nil, 200, "", "max-age=300", "image/svg+xml"},
		{"a browser that does not take gzip gets the plain file", "/app.css", nil, 200, "", "max-age=300", "text/css; charset=utf-8"},
		{"gzip refused with q=0 gets the plain file", "/app.css", map[string]string{"Accept-Encoding": "gzip;q=0"}, 200, "", "max-age=300", "text/css; charset=utf-8"},
		{"a file gzip would not shrink stays plain", "/tiny.txt", gz, 200, "", "max-age=300", "text/plain; charset=utf-8"},
		{"a folder with a slash is its index page", "/staff/", gz, 200, "gzip", "no-cache", "text/html; charset=utf-8"},
		{"an unknown file is 404", "/nope.js", gz, 404, "", "", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, g, "GET", tt.target, tt.header)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.encoding)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cache)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
			if tt.status != 200 {
				return
			}
			if got := resp.Header.Get("ETag"); !strings.HasPrefix(got, `"`) {
				t.Errorf("ETag = %q, want a strong tag", got)
			}
			if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q, want Accept-Encoding", got)
			}
			if b := body(t, resp); len(b) == 0 {
				t.Errorf("empty body")
			}
		})
	}
}

func TestStaticFilesAnswerRevalidationWithNotModified(t *testing.T) {
	g := staticGateway(t)
	gz := map[string]string{"Accept-Encoding": "gzip"}
	first := get(t, g, "GET", "/app.css", gz)
	plain := get(t, g, "GET", "/app.css", nil)
	tag, plainTag := first.Header.Get("ETag"), plain.Header.Get("ETag")
	if tag == plainTag {
		t.Errorf("gzip and plain share the ETag %s, want one per representation", tag)
	}
	if again := get(t, g, "GET", "/app.css", gz).Header.Get("ETag"); again != tag {
		t.Errorf("ETag changed between requests: %s then %s", tag, again)
	}
	tests := []struct {
		name, ifNoneMatch string
		status            int
	}{
		{"the tag the browser holds is 304", tag, 304},
		{"the plain file's tag is 304 too", plainTag, 304},
		{"a weak form of the tag is 304", "W/" + tag, 304},
		{"one of a list of tags is 304", `"old", ` + tag, 304},
		{"a star is 304", "*", 304},
		{"another file's tag is the whole file", get(t, g, "GET", "/", gz).Header.Get("ETag"), 200},
		{"an outdated tag is the whole file", `"0123456789abcdef01234567"`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, g, "GET", "/app.css", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": tt.ifNoneMatch})
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			b, _ := io.ReadAll(resp.Body)
			if tt.status == 304 && len(b) != 0 {
				t.Errorf("304 with a %d-byte body, want none", len(b))
			}
			if got := resp.Header.Get("ETag"); got != tag {
				t.Errorf("ETag = %q, want %q", got, tag)
			}
		})
	}
}

func TestStaticFolderWithoutSlashRedirects(t *testing.T) {
	g := staticGateway(t)
	resp := get(t, g, "GET", "/staff?x=1", nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/staff/?x=1" {
		t.Errorf("GET /staff = %d to %q, want 301 to /staff/?x=1", resp.StatusCode, resp.Header.Get("Location"))
	}
	head := get(t, g, "HEAD", "/app.css", nil)
	if b, _ := io.ReadAll(head.Body); head.StatusCode != 200 || len(b) != 0 || head.Header.Get("Content-Length") == "" {
		t.Errorf("HEAD /app.css = %d with %d bytes, want 200, a length and no body", head.StatusCode, len(b))
	}
}
