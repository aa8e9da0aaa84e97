package webtest

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	tracker "github.com/nq58/tracker"
)

// jsImportGraph maps every module under web/ (but the vendored scripts and the service
// worker) to the modules it imports (import, export … from and dynamic import()), as
// paths in tracker.Web(). A dynamic import counts too: a loop through it still ties the
// modules to each other.
func jsImportGraph(t *testing.T, web fs.FS) map[string][]string {
	t.Helper()
	graph := map[string][]string{}
	err := fs.WalkDir(web, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || vendored(p) || p == worker {
			return err
		}
		raw, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		graph[p] = []string{}
		src := string(raw)
		for _, m := range append(importLine.FindAllStringSubmatch(src, -1), reexport.FindAllStringSubmatch(src, -1)...) {
			graph[p] = append(graph[p], path.Join(path.Dir(p), m[2]))
		}
		for _, m := range dynImport.FindAllStringSubmatch(src, -1) {
			graph[p] = append(graph[p], path.Join(path.Dir(p), m[1]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return graph
}

// importCycles returns one path per import cycle that a depth-first walk of graph meets
// (each closed by a back edge), in a stable order.
func importCycles(graph map[string][]string) [][]string {
	const (
		unseen = iota
		open
		done
	)
	mark := map[string]int{}
	var stack []string
	var cycles [][]string
	var visit func(string)
	visit = func(m string) {
		mark[m] = open
		stack = append(stack, m)
		for _, next := range graph[m] {
			switch mark[next] {
			case unseen:
				visit(next)
			case open:
				at := slices.Index(stack, next)
				cycles = append(cycles, append(slices.Clone(stack[at:]), next))
			}
		}
		stack = stack[:len(stack)-1]
		mark[m] = done
	}
	modules := make([]string, 0, len(graph))
	for m := range graph {
		modules = append(modules, m)
	}
	slices.Sort(modules)
	for _, m := range modules {
		if mark[m] == unseen {
			visit(m)
		}
	}
	return cycles
}

// TestModulesImportWithoutCycles checks that the static imports of the pages' modules
// point one way: a cycle makes a module run before the ones it needs have finished
// loading, and makes a screen impossible to read without all the others.
func TestModulesImportWithoutCycles(t *testing.T) {
	t.Run("the cycle finder finds a loop of three and ignores a diamond", func(t *testing.T) {
		loop := map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"a"}}
		if got := importCycles(loop); len(got) != 1 || strings.Join(got[0], " → ") != "a → b → c → a" {
			t.Errorf("importCycles(loop) = %v, want [[a b c a]]", got)
		}
		diamond := map[string][]string{"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": {}}
		if got := importCycles(diamond); len(got) != 0 {
			t.Errorf("importCycles(diamond) = %v, want none", got)
		}
	})
	t.Run("no module under web/ imports itself through others", func(t *testing.T) {
		graph := jsImportGraph(t, tracker.Web())
		if len(graph) < 20 {
			t.Fatalf("found %d modules under web/, want the pages' modules", len(graph))
		}
		cycles := importCycles(graph)
		for _, c := range cycles {
			t.Errorf("import cycle: %s", strings.Join(c, " → "))
		}
		if len(cycles) > 0 {
			t.Errorf("found %d import cycles, want 0", len(cycles))
		}
	})
	t.Run("the shared modules in lib/ import no page's module", func(t *testing.T) {
		graph := jsImportGraph(t, tracker.Web())
		shared := 0
		for m, imps := range graph {
			if !strings.HasPrefix(m, "lib/") {
				continue
			}
			shared++
			for _, imp := range imps {
				if !strings.HasPrefix(imp, "lib/") {
					t.Errorf("%s imports %s: a shared module may import only lib/", m, imp)
				}
			}
		}
		if shared < 5 {
			t.Errorf("found %d modules in lib/, want the shared ones", shared)
		}
	})
}
