package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheBundlesAreWhatEsbuildMakesNow builds the bundles from today's modules with the
// pinned esbuild and compares them with the committed ones: a module changed without
// `make bundle` fails here instead of reaching the pages as yesterday's code.
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
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".js") {
			_, err = os.ReadFile(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := build(esbuild, web, out); err != nil {
		t.Fatal(err)
	}
	for _, b := range bundles {
		t.Run(b.out+" is the bundle of "+b.entry, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(out, b.out))
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(web, b.out))
			if err != nil {
				t.Fatalf("no committed bundle: %v (run `make bundle` and commit)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("web/%s (%d bytes) differs from what esbuild makes of %s now (%d bytes): run `make bundle` and commit", b.out, len(got), b.entry, len(want))
			}
			if !bytes.HasPrefix(got, []byte(banner(b.entry)+"\n")) {
				t.Errorf("web/%s does not start with the line naming its entry, %q", b.out, banner(b.entry))
			}
		})
	}
}
