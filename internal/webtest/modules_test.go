package webtest

import (
	"context"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/testenv"
)

var (
	scriptTag    = regexp.MustCompile(`<script\b([^>]*)>`)
	scriptSrc    = regexp.MustCompile(`\bsrc="([^"]+)"`)
	importLine   = regexp.MustCompile(`(?m)^import\s+(?:\{([^}]*)\}\s*from\s*)?'([^']+)';`)
	reexport     = regexp.MustCompile(`(?m)^export\s+\{([^}]*)\}\s*from\s*'([^']+)';`)
	dynImport    = regexp.MustCompile(`\bimport\('([^']+)'\)`)
	exportName   = regexp.MustCompile(`(?m)^export\s+(?:function|var|const|let|class)\s+([A-Za-z_$][\w$]*)`)
	windowGlobal = regexp.MustCompile(`\bwindow\.[A-Za-z_$][\w$]*\s*=[^=]`)
)

// vendored files are classic scripts copied by make web-vendor (Chart.js).
func vendored(p string) bool { return strings.HasPrefix(p, "staff/vendor/") }

// bundleBanner is the first line infra/webbundle writes in a bundle: it names the
// bundle's entry module.
var bundleBanner = regexp.MustCompile(`^// Built from (\S+\.js) by infra/webbundle`)

// bundledFrom returns the entry module a bundle under web/ was built from; ok is false for
// a file that is not a bundle.
func bundledFrom(t *testing.T, web fs.FS, p string) (entry string, ok bool) {
	t.Helper()
	raw, err := fs.ReadFile(web, p)
	if err != nil {
		return "", false
	}
	m := bundleBanner.FindSubmatch(raw)
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// worker is the resident page's service worker: a classic script the page registers
// (resident/main.js), never imported.
const worker = "sw.js"

// pageModules returns every page's module entry points (paths in tracker.Web()): for a
// page that loads a bundle, the module the bundle was built from.
func pageModules(t *testing.T, web fs.FS) []string {
	t.Helper()
	pages, err := fs.Glob(web, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := fs.Glob(web, "*/*.html")
	pages = append(pages, more...)
	var entries []string
	for _, page := range pages {
		raw, err := fs.ReadFile(web, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range scriptTag.FindAllStringSubmatch(string(raw), -1) {
			src := scriptSrc.FindStringSubmatch(m[1])
			if src == nil {
				t.Errorf("%s has an inline script: pages load modules only", page)
				continue
			}
			p := strings.TrimPrefix(src[1], "/")
			if !strings.HasPrefix(src[1], "/") {
				p = path.Join(path.Dir(page), src[1])
			}
			module := strings.Contains(m[1], `type="module"`)
			switch {
			case vendored(p) && module:
				t.Errorf("%s loads the vendored %s as a module; it is a classic (UMD) script", page, p)
			case !vendored(p) && !module:
				t.Errorf("%s loads %s as a classic script, want type=\"module\"", page, p)
			case !vendored(p):
				if entry, ok := bundledFrom(t, web, p); ok {
					p = entry
				}
				entries = append(entries, p)
			}
		}
	}
	if len(entries) < 3 {
		t.Fatalf("found module entry points %v, want one per page (resident, dashboard, contest)", entries)
	}
	return entries
}

// TestModulesResolve follows every page's imports through web/: each imported file
// exists under web/ (relative specifiers only, nothing from the internet), each imported
// name is exported by it, no module sets a window global, and every .js file under web/
// (but the vendored Chart.js and the bundles built from the modules) is used by a page.
func TestModulesResolve(t *testing.T) {
	web := tracker.Web()
	exports := map[string][]string{}
	seen := map[string]bool{}
	var visit func(file, from string)
	visit = func(file, from string) {
		if seen[file] {
			return
		}
		seen[file] = true
		raw, err := fs.ReadFile(web, file)
		if err != nil {
			t.Errorf("%s imports %s, which is not under web/: %v", from, file, err)
			return
		}
		src := string(raw)
		for _, m := range exportName.FindAllStringSubmatch(src, -1) {
			exports[file] = append(exports[file], m[1])
		}
		// export { a, b } from './x.js' exports a and b and imports them from x.js;
		// import('./x.js') loads a module later (names unchecked: they are read at run time).
		reexports := reexport.FindAllStringSubmatch(src, -1)
		for _, m := range reexports {
			for _, name := range strings.Split(m[1], ",") {
				if name = strings.TrimSpace(name); name != "" {
					_, as, found := strings.Cut(name, " as ")
					if found {
						name = as
					}
					exports[file] = append(exports[file], strings.TrimSpace(name))
				}
			}
		}
		imports := append(importLine.FindAllStringSubmatch(src, -1), reexports...)
		for _, m := range dynImport.FindAllStringSubmatch(src, -1) {
			imports = append(imports, []string{m[0], "", m[1]})
		}
		if windowGlobal.MatchString(src) {
			t.Errorf("%s sets a window global (%s): share through imports", file, windowGlobal.FindString(src))
		}
		for _, m := range imports {
			spec := m[2]
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: only relative paths work without a build step", file, spec)
				continue
			}
			target := path.Join(path.Dir(file), spec)
			visit(target, file)
			for _, name := range strings.Split(m[1], ",") {
				name = strings.TrimSpace(name)
				if name == "" {
					continue
				}
				name, _, _ = strings.Cut(name, " as ")
				if _, ok := exports[target]; ok && !slices.Contains(exports[target], strings.TrimSpace(name)) {
					t.Errorf("%s imports %s from %s, which does not export it", file, name, target)
				}
			}
		}
	}
	for _, entry := range pageModules(t, web) {
		visit(entry, "a page")
	}
	err := fs.WalkDir(web, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || vendored(p) || p == worker || seen[p] {
			return err
		}
		if _, ok := bundledFrom(t, web, p); !ok {
			t.Errorf("%s is not imported by any page", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGatewayServesModules checks that the local gateway serves every module with a
// JavaScript MIME type (browsers refuse module scripts served otherwise), and that
// each page runs its modules in Chromium without an error in the console: the resident
// page shows its start screen, the staff pages their sign-in form.
func TestGatewayServesModules(t *testing.T) {
	stack := testenv.Stack(t, nil)
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)

	err := fs.WalkDir(tracker.Web(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || vendored(p) {
			return err
		}
		res, err := http.Get(srv.URL + "/" + p)
		if err != nil {
			return err
		}
		res.Body.Close()
		media, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
		if res.StatusCode != http.StatusOK || (media != "text/javascript" && media != "application/javascript") {
			t.Errorf("GET /%s = %d %q, want 200 with a JavaScript MIME type", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx := browser(t)
	if err := chromedp.Do(ctx); err != nil { // open the tab, so that no event is missed
		t.Fatal(err)
	}
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			p = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				p += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				p = "console.error"
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError && !strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
				p = fmt.Sprintf("%s: %s", ev.Entry.URL, ev.Entry.Text)
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	for _, page := range []struct{ path, shown string }{
		{"/", "#start-screen"},
		{"/staff/", "#signin-screen"},
		{"/staff/contest.html", "#signin-screen"},
		{"/staff/paper.html", "#signin-screen"},
	} {
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(wctx, chromedp.Navigate(srv.URL+page.path), chromedp.WaitVisible(page.shown))
		cancel()
		mu.Lock()
		got := problems
		problems = nil
		mu.Unlock()
		if err != nil {
			shot(t, ctx, strings.Trim(strings.ReplaceAll(page.path, "/", "-"), "-"))
			t.Errorf("%s: %s not shown, the modules did not run (%v)", page.path, page.shown, err)
		}
		if len(got) > 0 {
			t.Errorf("%s: errors in the console:\n%s", page.path, strings.Join(got, "\n"))
		}
	}
}
