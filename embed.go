// Package tracker holds the files every part of the product reads: the SAM template
// (the one source of truth for routes, the table and its stream) and the resident pages.
package tracker

import (
	"embed"
	"io/fs"
)

// TemplateYAML is template.yaml, embedded so commands and tests read the very file SAM deploys.
//
//go:embed template.yaml
var TemplateYAML []byte

//go:embed web
var webFiles embed.FS

// Web returns the pages under web/, rooted at web/.
func Web() fs.FS {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // only possible if the embed directive above is wrong
	}
	return sub
}
