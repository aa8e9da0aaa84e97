// Package rie runs the functions' bootstraps under the AWS Lambda Runtime Interface
// Emulator (github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie, a Go
// tool dependency of go.mod), outside containers: the emulator starts the bootstrap as
// Lambda does and takes invocations on its HTTP API,
// POST /2015-03-31/functions/function/invocations. One emulator serves one invocation at
// a time; a Pool holds several per function.
package rie

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Functions are the folders of functions/ by the template's logical ids.
var Functions = map[string]string{
	"PublicApiFunction":   "public",
	"StaffApiFunction":    "staff",
	"AggregatorFunction":  "aggregator",
	"MaintenanceFunction": "maintenance",
}

// ModuleRoot is the folder of go.mod (the go command's answer from the working folder).
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the module")
	}
	return filepath.Dir(gomod), nil
}

// Build builds every function for the host, as `make build` builds them for Lambda
// (-tags lambda.norpc, no cgo), into dir/<folder>; it returns dir.
func Build(ctx context.Context, root, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", dir+string(filepath.Separator), "./functions/...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build the functions: %v\n%s", err, out)
	}
	return nil
}

// Binary returns the path of the emulator, built by the go command from go.mod's tool
// directive (cached after the first build).
func Binary(ctx context.Context, root string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "tool", "-n", "aws-lambda-rie")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("go tool -n aws-lambda-rie: %v\n%s", err, ee.Stderr)
		}
		return "", fmt.Errorf("go tool -n aws-lambda-rie: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Emulator is one aws-lambda-rie process running one bootstrap.
type Emulator struct {
	URL  string // the invoke URL
	cmd  *exec.Cmd
	done chan struct{}
}

// Options configure an emulator.
type Options struct {
	Binary    string   // aws-lambda-rie (Binary)
	Bootstrap string   // the function's bootstrap
	Env       []string // the function's environment (KEY=value), besides PATH
	Output    io.Writer
}

// Start runs an emulator on free loopback ports and waits until it accepts invocations.
func Start(ctx context.Context, o Options) (*Emulator, error) {
	invokeAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	runtimeAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(o.Binary, "--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr, "--log-level", "error", o.Bootstrap)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, o.Env...)
	cmd.Stdout, cmd.Stderr = o.Output, o.Output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Stop ends the bootstrap too
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start aws-lambda-rie: %w", err)
	}
	e := &Emulator{URL: "http://" + invokeAddr + "/2015-03-31/functions/function/invocations", cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(e.done) }()
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", invokeAddr, 200*time.Millisecond)
		if err == nil {
			_ = c.Close()
			return e, nil
		}
		select {
		case <-e.done:
			return nil, fmt.Errorf("aws-lambda-rie for %s exited at start", o.Bootstrap)
		case <-ctx.Done():
			e.Stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			e.Stop()
			return nil, fmt.Errorf("aws-lambda-rie for %s did not listen on %s", o.Bootstrap, invokeAddr)
		}
	}
}

// Invoke sends one event and returns the function's answer; requestID (may be empty)
// becomes the invocation's request id.
func (e *Emulator) Invoke(ctx context.Context, requestID string, event []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(event))
	if err != nil {
		return nil, err
	}
	if requestID != "" {
		req.Header.Set("X-Amzn-RequestId", requestID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("invoke: emulator status %d: %s", resp.StatusCode, body)
	}
	return body, nil
}

// Stop ends the emulator and its bootstrap.
func (e *Emulator) Stop() {
	if e.cmd.Process != nil {
		_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
	}
	<-e.done
}

// Pool is a few emulators of one function, each serving one invocation at a time.
type Pool struct {
	idle chan *Emulator
	all  []*Emulator
}

// NewPool starts n emulators with the same options.
func NewPool(ctx context.Context, n int, o Options) (*Pool, error) {
	p := &Pool{idle: make(chan *Emulator, n)}
	for range n {
		e, err := Start(ctx, o)
		if err != nil {
			p.Stop()
			return nil, err
		}
		p.all = append(p.all, e)
		p.idle <- e
	}
	return p, nil
}

// Invoke waits for an idle emulator and invokes it.
func (p *Pool) Invoke(ctx context.Context, requestID string, event []byte) ([]byte, error) {
	select {
	case e := <-p.idle:
		defer func() { p.idle <- e }()
		return e.Invoke(ctx, requestID, event)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Stop ends every emulator of the pool.
func (p *Pool) Stop() {
	var wg sync.WaitGroup
	for _, e := range p.all {
		wg.Go(e.Stop)
	}
	wg.Wait()
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Pools are the pools of the template's functions, by logical id; they serve as the
// local gateway's localgw.Invoker.
type Pools map[string]*Pool

// Invoke invokes the function's pool.
func (ps Pools) Invoke(ctx context.Context, function, requestID string, event []byte) ([]byte, error) {
	p, ok := ps[function]
	if !ok {
		return nil, fmt.Errorf("no emulator for %s", function)
	}
	return p.Invoke(ctx, requestID, event)
}

// Stop ends every pool.
func (ps Pools) Stop() {
	for _, p := range ps {
		p.Stop()
	}
}

// StartPools builds the functions for the host into dir and starts size emulators per
// function, each with env plus its AWS_LAMBDA_FUNCTION_NAME.
func StartPools(ctx context.Context, dir string, size int, env []string, output io.Writer) (Pools, error) {
	root, err := ModuleRoot(ctx)
	if err != nil {
		return nil, err
	}
	bin, err := Binary(ctx, root)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	if err := Build(ctx, root, dir); err != nil {
		return nil, err
	}
	ps := Pools{}
	for id, folder := range Functions {
		p, err := NewPool(ctx, size, Options{Binary: bin, Bootstrap: filepath.Join(dir, folder), Output: output,
			Env: append(append([]string{}, env...), "AWS_LAMBDA_FUNCTION_NAME="+id)})
		if err != nil {
			ps.Stop()
			return nil, err
		}
		ps[id] = p
	}
	return ps, nil
}
