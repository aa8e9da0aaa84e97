package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTheBundlesAreWhatEsbuildMakesNow builds the bundles from today's modules with the
// pinned esbuild and compares them, and the pages' preload lines, with the committed
// ones: a module changed without `make bundle` fails here instead of reaching the pages
// as yesterday's code.
func TestTheBundlesAreWhatEsbuildMakesNow(t *testing.T) {
	root := filepath.Join("..", "..")
	esbuild := filepath.Join(root, "node_modules", ".bin", "esbuild")
	if _, err := os.Stat(esbuild); err != nil {
		t.Fatalf("esbuild is needed at %s (npm ci installs it; make test does): %v", esbuild, err)
	}
	web := filepath.Join(root, "web")
	// The test reads the modules itself so that go test's cache knows the result depends
	// on them (esbuild reads them in another process).
	err := filepath.WalkDir(web, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".html")) {
			_, err = os.ReadFile(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	all, err := build(esbuild, web, out)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range all {
		t.Run("the bundle of "+b.entry+" and the preload lines of "+b.page+" are esbuild's", func(t *testing.T) {
			committed := []string{b.out}
			if b.dir != "" {
				entries, err := os.ReadDir(filepath.Join(web, b.dir))
				if err != nil {
					t.Fatalf("no committed bundle: %v (run `make bundle` and commit)", err)
				}
				committed = committed[:0]
				for _, e := range entries {
					committed = append(committed, b.dir+"/"+e.Name())
				}
			}
			if !slices.Equal(committed, b.files) {
				t.Errorf("web/ holds the files %v of the bundle, esbuild makes %v now: run `make bundle` and commit", committed, b.files)
			}
			for _, f := range b.files {
				want, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(web, f))
				if err != nil {
					continue // told above
				}
				if !bytes.Equal(got, want) {
					t.Errorf("web/%s (%d bytes) differs from what esbuild makes of %s now (%d bytes): run `make bundle` and commit", f, len(got), b.entry, len(want))
				}
				if !bytes.HasPrefix(got, []byte(banner(b.entry)+"\n")) {
					t.Errorf("web/%s does not start with the line naming its entry, %q", f, banner(b.entry))
				}
			}
			html, err := os.ReadFile(filepath.Join(web, b.page))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(preloadBlock.Find(html)); got != b.block {
				t.Errorf("%s preloads\n%s\nwant\n%s(run `make bundle` and commit)", b.page, got, b.block)
			}
		})
	}
}
