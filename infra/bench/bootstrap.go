package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// bootstrap is one Lambda's built binary.
type bootstrap struct {
	Function string
	Bytes    int64
}

// mb is a megabyte as `ls -lh` and the Lambda console count it: 2^20 bytes.
const mb = 1 << 20

// MB is the size in megabytes.
func (b bootstrap) MB() float64 { return float64(b.Bytes) / mb }

// buildBootstraps builds every folder of functions/ exactly as the Makefile and SAM do
// for Lambda, into a temporary folder, and returns the sizes.
func buildBootstraps(ctx context.Context) ([]bootstrap, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "bench-bootstrap-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var out []bootstrap
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		bin := filepath.Join(tmp, name, "bootstrap")
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath",
			"-ldflags=-s -w", "-o", bin, "./functions/"+name)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("build functions/%s: %w\n%s", name, err, strings.TrimSpace(string(msg)))
		}
		st, err := os.Stat(bin)
		if err != nil {
			return nil, err
		}
		out = append(out, bootstrap{Function: name, Bytes: st.Size()})
	}
	if len(out) == 0 {
		return nil, errors.New("no function folders in functions/")
	}
	return out, nil
}

// moduleRoot walks up from the working directory to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
