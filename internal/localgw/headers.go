package localgw

import (
	"bytes"
	"compress/gzip"
	"mime"
	"net/http"
	"strings"

	"github.com/nq58/tracker/internal/samtemplate"
)

// CloudFront compresses answers of this many bytes and up to 10 MB, and only these types
// among the API's (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html).
const (
	minCompressed = 1000
	maxCompressed = 10_000_000
)

var compressedAPITypes = map[string]bool{"application/json": true, "text/csv": true}

// withEdge does to every answer what the distribution does in AWS: it adds the response
// headers policy's headers (the template's, through samtemplate.SecurityHeaders),
// replacing any the origin set as the policy's Override does, and gzips /v1/* JSON and
// CSV answers for a client that accepts gzip, as the API behaviours' Compress does with
// the API cache policy's Accept-Encoding. /local/* stands in for Cognito's managed login
// and SNS, which are not behind the distribution: their own headers are kept and the
// policy's only fill in the ones they lack.
func withEdge(next http.Handler, headers []samtemplate.Header) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ew := &edgeWriter{ResponseWriter: w, headers: headers, override: !strings.HasPrefix(r.URL.Path, "/local/")}
		if strings.HasPrefix(r.URL.Path, "/v1/") && r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			ew.buf = &bytes.Buffer{}
		}
		next.ServeHTTP(ew, r)
		ew.finish()
	})
}

// edgeWriter adds the headers when the answer's header is written; with buf set it
// holds the whole answer back until finish decides on compression.
type edgeWriter struct {
	http.ResponseWriter
	headers  []samtemplate.Header
	override bool
	buf      *bytes.Buffer
	status   int
	wrote    bool
}

func (e *edgeWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

func (e *edgeWriter) addHeaders() {
	h := e.ResponseWriter.Header()
	for _, x := range e.headers {
		if e.override || h.Get(x.Name) == "" {
			h.Set(x.Name, x.Value)
		}
	}
}

func (e *edgeWriter) WriteHeader(status int) {
	if e.wrote {
		return
	}
	e.wrote = true
	e.status = status
	if e.buf != nil {
		return
	}
	e.addHeaders()
	e.ResponseWriter.WriteHeader(status)
}

func (e *edgeWriter) Write(p []byte) (int, error) {
	if !e.wrote {
		e.WriteHeader(http.StatusOK)
	}
	if e.buf != nil {
		return e.buf.Write(p)
	}
	return e.ResponseWriter.Write(p)
}

// finish writes a held-back answer, gzipped when CloudFront would compress it.
func (e *edgeWriter) finish() {
	if e.buf == nil {
		return
	}
	if !e.wrote {
		e.status = http.StatusOK
	}
	e.addHeaders()
	h := e.ResponseWriter.Header()
	body := e.buf.Bytes()
	media, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if e.status >= 200 && e.status != http.StatusNoContent && e.status != http.StatusPartialContent &&
		compressedAPITypes[media] && h.Get("Content-Encoding") == "" &&
		len(body) >= minCompressed && len(body) <= maxCompressed {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		if _, err := zw.Write(body); err == nil && zw.Close() == nil {
			body = z.Bytes()
			h.Set("Content-Encoding", "gzip")
			h.Add("Vary", "Accept-Encoding")
			h.Del("Content-Length")
		}
	}
	e.ResponseWriter.WriteHeader(e.status)
	_, _ = e.ResponseWriter.Write(body)
}
