package localgw

// The pages, served as the deployment's CDN serves them: compressed, with a strong ETag
// from the content's hash, revalidated HTML and briefly cached assets.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Cache lifetimes of the pages' files. HTML and the service worker are revalidated on
// every visit (a 304 costs a round trip and no body); scripts, styles and images are
// reused for five minutes, then revalidated, so a deployment reaches every phone within
// minutes without versioned file names.
const (
	cacheHTML   = "no-cache"
	cacheAssets = "max-age=300"
)

// staticFile is one file of the pages, read once, with its gzip form when that is smaller.
type staticFile struct {
	body, gz     []byte
	etag, gzEtag string
	contentType  string
	cacheControl string
}

// staticSite serves the pages from memory.
type staticSite struct {
	files map[string]*staticFile // by path without the leading slash
	dirs  map[string]bool
}

// newStaticSite reads every file of web once.
func newStaticSite(web fs.FS) (*staticSite, error) {
	s := &staticSite{files: map[string]*staticFile{}, dirs: map[string]bool{".": true}}
	err := fs.WalkDir(web, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			s.dirs[p] = true
			return nil
		}
		body, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		s.files[p] = newStaticFile(p, body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the pages: %w", err)
	}
	return s, nil
}

func newStaticFile(p string, body []byte) *staticFile {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	f := &staticFile{body: body, etag: `"` + tag + `"`, contentType: contentType(p), cacheControl: cacheAssets}
	if strings.HasSuffix(p, ".html") || p == "sw.js" {
		f.cacheControl = cacheHTML
	}
	if compressible(f.contentType) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if buf.Len() < len(body) {
			f.gz, f.gzEtag = buf.Bytes(), `"`+tag+`-gz"`
		}
	}
	return f
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".webmanifest":
		return "application/manifest+json"
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "svg") ||
		strings.Contains(ct, "javascript") || strings.Contains(ct, "xml")
}

// ServeHTTP answers GET and HEAD for the pages: "/" and "dir/" are their index.html.
func (s *staticSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if p == "" {
		p = "."
	}
	if s.dirs[p] {
		if p != "." && !strings.HasSuffix(r.URL.Path, "/") {
			target := "/" + p + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		p = path.Join(p, "index.html")
	}
	f := s.files[p]
	if f == nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	body, etag := f.body, f.etag
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	if f.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = f.gz, f.gzEtag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", f.cacheControl)
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if etagMatches(r.Header.Get("If-None-Match"), f.etag, f.gzEtag) {
		h.Del("Content-Type")
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
}

// etagMatches reports whether If-None-Match names one of the file's representations
// (either encoding: the content is the same) or is "*".
func etagMatches(header string, tags ...string) bool {
	for _, part := range strings.Split(header, ",") {
		c := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if c == "" {
			continue
		}
		if c == "*" {
			return true
		}
		for _, t := range tags {
			if t != "" && c == t {
				return true
			}
		}
	}
	return false
}
