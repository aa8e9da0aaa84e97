package tracker

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/nq58/tracker"

// goImports maps every package directory of the module (as a path relative to the
// module root) to the module packages its files import; test files count when tests is
// true.
func goImports(t *testing.T, tests bool) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != "." && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "web") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || (!tests && strings.HasSuffix(p, "_test.go")) {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(p))
		for _, imp := range f.Imports {
			ip, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			if rel, ok := strings.CutPrefix(ip, module+"/"); ok && !slices.Contains(out[dir], rel) {
				out[dir] = append(out[dir], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// within reports whether the package at dir is pkg or below it.
func within(dir, pkg string) bool { return dir == pkg || strings.HasPrefix(dir, pkg+"/") }

// TestImportsPointDownward checks the arrows between packages that once pointed the
// wrong way: a domain package does not import a writer of its data, a writer does not
// import what it writes (export owns Table; reports and rounds fill it), a library under
// internal/ does not import a command or tool under infra/, and the stream handler
// reaches storage only through what its wiring hands it.
func TestImportsPointDownward(t *testing.T) {
	rules := []struct {
		name     string
		from, to string // package subtrees, relative to the module root
		tests    bool   // whether test files count too
	}{
		{"the quiz domain does not import the exports", "internal/quiz", "internal/export", false},
		{"the resident service reaches phone verification only through its interface", "internal/quiz/attempts", "internal/phoneverify", false},
		{"the quiz domain does not import the resident service beneath it", "internal/quiz", "internal/quiz/attempts", false},
		{"the contest rules do not import the rounds service beneath them", "internal/contest", "internal/contest/rounds", false},
		{"the paper domain does not import the sheets service beneath it", "internal/paper", "internal/paper/sheets", false},
		{"the sample domain does not import the samples service beneath it", "internal/sample", "internal/sample/samples", false},
		{"nothing under internal/, tests included, imports infra/", "internal", "infra", true},
		{"the stream handler does not import the storage package", "internal/aggregatorapi", "internal/dynamo", false},
		{"the exports do not import the reports they lay out", "internal/export", "internal/report", false},
		{"the contest rounds do not import the reports for their tables", "internal/contest/rounds", "internal/report", false},
	}
	withTests, withoutTests := goImports(t, true), goImports(t, false)
	if len(withoutTests) < 30 {
		t.Fatalf("found %d packages, want the module's", len(withoutTests))
	}
	found := 0
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			graph := withoutTests
			if r.tests {
				graph = withTests
			}
			dirs := make([]string, 0, len(graph))
			for dir := range graph {
				dirs = append(dirs, dir)
			}
			slices.Sort(dirs)
			for _, dir := range dirs {
				if !within(dir, r.from) {
					continue
				}
				for _, imp := range graph[dir] {
					if within(imp, r.to) {
						found++
						t.Errorf("%s imports %s: want no arrow from %s up to %s", dir, path.Clean(imp), r.from, r.to)
					}
				}
			}
		})
	}
	if found > 0 {
		t.Errorf("found %d upward imports, want 0", found)
	}
}

// layerRank orders the layers of docs/architecture.md's package table, lowest first.
var layerRank = map[string]int{"domain": 0, "service": 1, "adapter": 2, "wiring": 3, "command": 4, "tests": 5}

var packageRow = regexp.MustCompile("(?m)^\\| `([^`]+)`(?: \\(`tracker`\\))? \\| ([a-z]+) \\|")

// TestEveryImportPointsToItsLayerOrBelow reads each package's layer from the package
// table of docs/architecture.md and checks every import of non-test code against it:
// a package imports only packages of its own layer or a lower one. The rules of
// TestImportsPointDownward add the arrows that must not exist within a layer.
func TestEveryImportPointsToItsLayerOrBelow(t *testing.T) {
	raw, err := os.ReadFile("docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	layers := map[string]string{}
	for _, m := range packageRow.FindAllStringSubmatch(string(raw), -1) {
		if _, ok := layerRank[m[2]]; !ok {
			t.Errorf("docs/architecture.md gives %s the unknown layer %q", m[1], m[2])
		}
		layers[m[1]] = m[2]
	}
	graph := goImports(t, false)
	if len(layers) < len(graph) {
		t.Errorf("the package table gives a layer to %d packages, the module has %d with code", len(layers), len(graph))
	}
	edges := 0
	for dir, imps := range graph {
		from, ok := layers[dir]
		if !ok {
			t.Errorf("%s has no layer in docs/architecture.md", dir)
			continue
		}
		for _, imp := range imps {
			to, ok := layers[imp]
			if !ok {
				t.Errorf("%s imports %s, which has no layer in docs/architecture.md", dir, imp)
				continue
			}
			edges++
			if layerRank[to] > layerRank[from] {
				t.Errorf("%s (%s) imports %s (%s): an arrow up", dir, from, imp, to)
			}
		}
	}
	if edges < 100 {
		t.Errorf("checked %d imports, want the module's", edges)
	}
}
