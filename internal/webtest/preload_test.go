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

// staticImports returns the modules entry imports, directly or not, entry included, in
// web/ paths. Dynamic import() is left out: what it loads is not needed to start.
func staticImports(t *testing.T, web fs.FS, entry string) []string {
	t.Helper()
	seen := map[string]bool{}
	var visit func(string)
	visit = func(file string) {
		if seen[file] {
			return
		}
		seen[file] = true
		raw, err := fs.ReadFile(web, file)
		if err != nil {
			t.Fatalf("read %s: %v", file, err)
		}
		for _, m := range importLine.FindAllStringSubmatch(string(raw), -1) {
			visit(path.Join(path.Dir(file), m[2]))
		}
	}
	visit(entry)
	mods := make([]string, 0, len(seen))
	for m := range seen {
		mods = append(mods, m)
	}
	slices.Sort(mods)
	return mods
}

// TestTheResidentPagePreloadsItsWholeModuleGraph: index.html asks for every module the
// resident page imports at once (one round trip on 3G instead of one per import level),
// and the service worker keeps each of them for the offline page. A module added to the
// graph but not to both lists fails here instead of costing a round trip or the offline
// shell.
func TestTheResidentPagePreloadsItsWholeModuleGraph(t *testing.T) {
	web := tracker.Web()
	graph := staticImports(t, web, "resident/main.js")

	html, err := fs.ReadFile(web, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	var preloaded []string
	for _, m := range modulePreload.FindAllStringSubmatch(string(html), -1) {
		preloaded = append(preloaded, m[1])
	}
	slices.Sort(preloaded)
	if !slices.Equal(preloaded, graph) {
		t.Errorf("index.html preloads %v,\nwant the resident module graph %v", preloaded, graph)
	}

	sw, err := fs.ReadFile(web, worker)
	if err != nil {
		t.Fatal(err)
	}
	var shell []string
	for _, m := range shellEntry.FindAllStringSubmatch(string(sw), -1) {
		shell = append(shell, m[1])
	}
	for _, m := range graph {
		if !slices.Contains(shell, m) {
			t.Errorf("the service worker's shell lacks %s (has %s)", m, strings.Join(shell, ", "))
		}
	}
}
