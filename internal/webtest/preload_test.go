package webtest

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	tracker "github.com/nq58/tracker"
)

var (
	modulePreload = regexp.MustCompile(`<link rel="modulepreload" href="([^"]+)">`)
	shellEntry    = regexp.MustCompile(`'([a-z]+/[a-z]+\.js)'`)
)

// moduleScripts returns the module scripts an HTML page under web/ loads, as paths in
// tracker.Web(), and those it preloads.
func moduleScripts(t *testing.T, web fs.FS, page string) (scripts, preloaded []string) {
	t.Helper()
	raw, err := fs.ReadFile(web, page)
	if err != nil {
		t.Fatal(err)
	}
	at := func(href string) string {
		if strings.HasPrefix(href, "/") {
			return strings.TrimPrefix(href, "/")
		}
		return path.Join(path.Dir(page), href)
	}
	for _, m := range scriptTag.FindAllStringSubmatch(string(raw), -1) {
		if src := scriptSrc.FindStringSubmatch(m[1]); src != nil && strings.Contains(m[1], `type="module"`) {
			scripts = append(scripts, at(src[1]))
		}
	}
	for _, m := range modulePreload.FindAllStringSubmatch(string(raw), -1) {
		preloaded = append(preloaded, at(m[1]))
	}
	return scripts, preloaded
}

// TestTheMeasuredPagesLoadABundle: the resident page and the staff dashboard (the pages
// issue 25 times on 3G) each load a bundle of their modules, built from their entry
// module, and ask from the head for its entry file and every file that imports (the
// dashboard's panels below the first table come later): their code costs one round trip
// (400 ms on 3G) whatever the import levels. The service worker keeps the resident page's
// bundle for the offline page. TestTheBundlesAreWhatEsbuildMakesNow (infra/webbundle)
// checks the bundles hold today's modules and the preload lines are esbuild's.
func TestTheMeasuredPagesLoadABundle(t *testing.T) {
	web := tracker.Web()
	sw, err := fs.ReadFile(web, worker)
	if err != nil {
		t.Fatal(err)
	}
	var shell []string
	for _, m := range shellEntry.FindAllStringSubmatch(string(sw), -1) {
		shell = append(shell, m[1])
	}
	tests := []struct {
		name, page, entry string
		offline           bool
	}{
		{"the resident page loads the bundle of resident/main.js, preloaded and kept for offline use", "index.html", "resident/main.js", true},
		{"the staff dashboard loads the bundle of staff/dashboard.js, preloaded", "staff/index.html", "staff/dashboard.js", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scripts, preloaded := moduleScripts(t, web, tt.page)
			if len(scripts) != 1 {
				t.Fatalf("%s loads the module scripts %v, want one bundle", tt.page, scripts)
			}
			if got, ok := bundledFrom(t, web, scripts[0]); !ok || got != tt.entry {
				t.Errorf("%s loads %s, built from %q (a bundle: %v), want the bundle of %s", tt.page, scripts[0], got, ok, tt.entry)
			}
			if len(preloaded) == 0 || preloaded[0] != scripts[0] {
				t.Errorf("%s preloads %v, want %s first", tt.page, preloaded, scripts[0])
			}
			for _, p := range preloaded {
				if got, ok := bundledFrom(t, web, p); !ok || got != tt.entry {
					t.Errorf("%s preloads %s, built from %q (a bundle: %v), want only files of the bundle of %s", tt.page, p, got, ok, tt.entry)
				}
			}
			if tt.offline && !slices.Contains(shell, scripts[0]) {
				t.Errorf("the service worker's shell lacks %s (has %s)", scripts[0], strings.Join(shell, ", "))
			}
		})
	}
}
