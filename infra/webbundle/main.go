// Command webbundle builds the one-file bundle of the resident page and of the staff
// dashboard from their ES modules, with esbuild (the version package.json pins):
//
//	go run ./infra/webbundle   # make bundle; writes web/resident/bundle.js and web/staff/bundle.js
//
// Why: on 3G (400 ms a round trip) a page of a dozen modules waits for them in waves, as
// a browser opens at most six HTTP/1.1 connections to a host, and for each import level
// not preloaded; one minified file arrives in one round trip, smaller than the modules it
// holds. The bundles are committed, so `make run` and the deployed pages need no build
// step; TestTheBundlesAreWhatEsbuildMakesNow fails when a module changed without them.
// The modules stay the source: the other staff pages load them as they are.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
)

// bundle is one page's bundle: its entry module and the file written, both under web/.
type bundle struct{ entry, out string }

// bundles are the pages measured on 3G (issue 25): the resident's first screen and the
// officer's first table. Each page loads one bundle holding every module it may import,
// dynamic imports included: a module in two files would run twice, with two states.
var bundles = []bundle{
	{entry: "resident/main.js", out: "resident/bundle.js"},
	{entry: "staff/dashboard.js", out: "staff/bundle.js"},
}

// Banner is the first line of every bundle: it names the entry module, for people and for
// the page tests that follow a page's modules from its bundle.
func banner(entry string) string {
	return "// Built from " + entry + " by infra/webbundle (make bundle): edit the modules, not this file."
}

// build writes every bundle of the modules under web into out, running the esbuild binary.
func build(esbuild, web, out string) error {
	bin, err := filepath.Abs(esbuild) // esbuild runs in web/
	if err != nil {
		return err
	}
	for _, b := range bundles {
		dst, err := filepath.Abs(filepath.Join(out, b.out))
		if err != nil {
			return err
		}
		// ES2017 keeps the modules' syntax as written (they need module scripts, hence a
		// 2017 browser, anyway); UTF-8 keeps the Vietnamese text at its size instead of
		// \u escapes; no legal comments: the modules carry none.
		cmd := exec.Command(bin, b.entry, "--bundle", "--format=esm", "--minify", "--target=es2017",
			"--charset=utf8", "--legal-comments=none", "--log-level=warning",
			"--banner:js="+banner(b.entry), "--outfile="+dst)
		cmd.Dir = web
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("esbuild %s: %v\n%s", b.entry, err, stderr.String())
		}
		if stderr.Len() > 0 { // a warning is a bundle to look at, not to ship
			return fmt.Errorf("esbuild %s warns:\n%s", b.entry, stderr.String())
		}
	}
	return nil
}

func main() {
	esbuild := flag.String("esbuild", "node_modules/.bin/esbuild", "the esbuild binary (npm ci installs it)")
	web := flag.String("web", "web", "the pages' folder, where the modules are")
	out := flag.String("out", "web", "where the bundles are written (their paths under web/)")
	flag.Parse()
	if err := build(*esbuild, *web, *out); err != nil {
		slog.Error("bundle the pages", "err", err)
		os.Exit(1)
	}
	for _, b := range bundles {
		slog.Info("bundled", "entry", b.entry, "out", filepath.Join(*out, b.out))
	}
}
