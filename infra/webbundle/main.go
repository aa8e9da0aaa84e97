// Command webbundle builds the bundles of the resident page and of the staff dashboard
// from their ES modules with esbuild (the version package.json pins), and writes in each
// page the modulepreload lines of the files its first screen needs:
//
//	go run ./infra/webbundle   # make bundle
//
// Why: on 3G (400 ms a round trip) a page of a dozen modules waits for them in waves, as
// a browser opens at most six HTTP/1.1 connections to a host, and for each import level
// not preloaded; minified files asked for at once arrive in one round trip, smaller than
// the modules they hold. The bundles are committed, so `make run` and the deployed pages
// need no build step; TestTheBundlesAreWhatEsbuildMakesNow fails when a module changed
// without them. The modules stay the source: the other staff pages load them as they are.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// bundle is one page's bundle, paths under web/.
type bundle struct {
	entry string // the page's entry module
	page  string // the HTML page that loads it
	// out is the one file of every module the page may import, dynamic imports included
	// (a module in two files would run twice, with two states); or, with dir set, the
	// entry's file in dir, where esbuild splits the code the page imports later (import())
	// into files of their own and the modules both need into shared chunks.
	out, dir string
	// first are modules the page imports dynamically (import()) for its first screen:
	// their files are preloaded too. The entry's small files run and ask the API while
	// these still load.
	first []string
}

// bundles are the pages measured on 3G (issue 25). The resident page's later screens are
// small: one file. The dashboard's later panels are as big as its first table: split.
var bundles = []bundle{
	{entry: "resident/main.js", page: "index.html", out: "resident/bundle.js"},
	{entry: "staff/dashboard.js", page: "staff/index.html", dir: "staff/bundle", out: "staff/bundle/dashboard.js", first: []string{"staff/panels.js"}},
}

// banner is the first line of every file of a bundle: it names the entry module, for
// people and for the page tests that follow a page's modules from its bundle.
func banner(entry string) string {
	return "// Built from " + entry + " by infra/webbundle (make bundle): edit the modules, not this file."
}

// preloadBlock is where a page lists the files of its bundle to preload (the entry's and
// the chunks it imports statically: each one not preloaded costs a round trip more).
var preloadBlock = regexp.MustCompile(`(?s)<!-- webbundle preloads: do not edit \(make bundle\) -->\n.*?<!-- /webbundle -->\n`)

// metafile is the part of esbuild's metafile read here.
type metafile struct {
	Outputs map[string]struct {
		EntryPoint string `json:"entryPoint"`
		Imports    []struct {
			Path string `json:"path"`
			Kind string `json:"kind"`
		} `json:"imports"`
	} `json:"outputs"`
}

// built is what build made of one bundle: the page's preload block and the files written
// (paths under out).
type built struct {
	bundle
	block string
	files []string
}

// build writes every bundle of the modules under web into out and returns each page's
// preload block, running the esbuild binary.
func build(esbuild, web, out string) ([]built, error) {
	bin, err := filepath.Abs(esbuild) // esbuild runs in web/
	if err != nil {
		return nil, err
	}
	root, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	meta := filepath.Join(root, ".webbundle-meta.json")
	defer os.Remove(meta)
	var all []built
	for _, b := range bundles {
		// ES2017 keeps the modules' syntax as written (module scripts need a 2017 browser
		// anyway); UTF-8 keeps the Vietnamese text at its size instead of \u escapes; no
		// legal comments: the modules carry none.
		args := []string{b.entry, "--bundle", "--format=esm", "--minify", "--target=es2017",
			"--charset=utf8", "--legal-comments=none", "--log-level=warning",
			"--banner:js=" + banner(b.entry), "--metafile=" + meta}
		if b.dir != "" {
			dir := filepath.Join(root, b.dir)
			if err := os.RemoveAll(dir); err != nil { // no chunk of an older build stays
				return nil, err
			}
			args = append(args, "--splitting", "--entry-names=[name]", "--outdir="+dir)
		} else {
			args = append(args, "--outfile="+filepath.Join(root, b.out))
		}
		cmd := exec.Command(bin, args...)
		cmd.Dir = web
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("esbuild %s: %v\n%s", b.entry, err, stderr.String())
		}
		if stderr.Len() > 0 { // a warning is a bundle to look at, not to ship
			return nil, fmt.Errorf("esbuild %s warns:\n%s", b.entry, stderr.String())
		}
		raw, err := os.ReadFile(meta)
		if err != nil {
			return nil, err
		}
		var m metafile
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("esbuild's metafile for %s: %w", b.entry, err)
		}
		got, err := preloads(m, web, root, b)
		if err != nil {
			return nil, err
		}
		all = append(all, got)
	}
	return all, nil
}

// preloads reads from the metafile the files of a bundle and those the page needs first:
// the entry's file and the files of b.first and, transitively, the chunks they import
// statically.
func preloads(m metafile, web, root string, b bundle) (built, error) {
	webAbs, err := filepath.Abs(web)
	if err != nil {
		return built{}, err
	}
	under := func(p string) (string, error) { // an esbuild path (relative to web/) as a path under out
		rel, err := filepath.Rel(root, filepath.Join(webAbs, p))
		return filepath.ToSlash(rel), err
	}
	res := built{bundle: b}
	imports := map[string][]string{}
	var firsts []string
	for p, o := range m.Outputs {
		f, err := under(p)
		if err != nil {
			return built{}, err
		}
		res.files = append(res.files, f)
		if o.EntryPoint != "" && slices.Contains(b.first, o.EntryPoint) {
			firsts = append(firsts, f)
		}
		for _, imp := range o.Imports {
			if imp.Kind == "import-statement" {
				g, err := under(imp.Path)
				if err != nil {
					return built{}, err
				}
				imports[f] = append(imports[f], g)
			}
		}
	}
	slices.Sort(res.files)
	if !slices.Contains(res.files, b.out) {
		return built{}, fmt.Errorf("esbuild wrote %v for %s, not %s", res.files, b.entry, b.out)
	}
	if len(firsts) != len(b.first) {
		return built{}, fmt.Errorf("esbuild wrote no file of its own for some of %v (%v)", b.first, res.files)
	}
	slices.Sort(firsts)
	// The entry's file and the chunks it imports first, then each dynamic import's: in
	// that order the browser asks for them, and the entry's run and ask the API first.
	var need []string
	for _, start := range append([]string{b.out}, firsts...) {
		from := len(need)
		need = append(need, start)
		for i := from; i < len(need); i++ {
			next := slices.Clone(imports[need[i]])
			slices.Sort(next)
			for _, g := range next {
				if !slices.Contains(need, g) {
					need = append(need, g)
				}
			}
		}
	}
	var block strings.Builder
	block.WriteString("<!-- webbundle preloads: do not edit (make bundle) -->\n")
	for _, f := range need {
		rel, err := filepath.Rel(path.Dir(b.page), f)
		if err != nil {
			return built{}, err
		}
		fmt.Fprintf(&block, "<link rel=\"modulepreload\" href=\"%s\">\n", filepath.ToSlash(rel))
	}
	block.WriteString("<!-- /webbundle -->\n")
	res.block = block.String()
	return res, nil
}

// writeBlocks puts each page's preload block in place of the one it has.
func writeBlocks(web string, all []built) error {
	for _, b := range all {
		p := filepath.Join(web, b.page)
		html, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !preloadBlock.Match(html) {
			return fmt.Errorf("%s has no webbundle preload block to fill", b.page)
		}
		html = preloadBlock.ReplaceAllLiteral(html, []byte(b.block))
		if err := os.WriteFile(p, html, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	esbuild := flag.String("esbuild", "node_modules/.bin/esbuild", "the esbuild binary (npm ci installs it)")
	web := flag.String("web", "web", "the pages' folder: the modules, and where the bundles go")
	flag.Parse()
	all, err := build(*esbuild, *web, *web)
	if err == nil {
		err = writeBlocks(*web, all)
	}
	if err != nil {
		slog.Error("bundle the pages", "err", err)
		os.Exit(1)
	}
	for _, b := range all {
		slog.Info("bundled", "entry", b.entry, "files", strings.Join(b.files, " "))
	}
}
