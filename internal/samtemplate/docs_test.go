package samtemplate_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goPackages lists the module's package directories relative to its root, as
// `go list ./...` does: every directory holding a .go file (tests only, too), outside hidden
// directories and the git-ignored build, data and node_modules folders.
func goPackages(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "node_modules" || name == "build" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") {
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for p := range seen {
		pkgs = append(pkgs, p)
	}
	slices.Sort(pkgs)
	return pkgs
}

// TestArchitectureNamesEveryPackage keeps docs/architecture.md's package table whole:
// a package added without its line there fails here.
func TestArchitectureNamesEveryPackage(t *testing.T) {
	raw, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	pkgs := goPackages(t, "../..")
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages: %v", len(pkgs), pkgs)
	}
	for _, p := range pkgs {
		t.Run(p+" has a line in the package table", func(t *testing.T) {
			if !strings.Contains(doc, "\n| `"+p+"`") {
				t.Errorf("docs/architecture.md has no table row starting with `%s`", p)
			}
		})
	}
}
