// Command ddblocal starts an in-memory DynamoDB Local on a free port, runs the command
// given after "--" with DYNAMODB_ENDPOINT set to it, stops it and exits with the
// command's status. `make test` and `make bench` run through it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/nq58/tracker/internal/dynamolocal"
)

func main() {
	os.Exit(run())
}

func run() int {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: ddblocal -- command [args...]")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := dynamolocal.Start(ctx, dynamolocal.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ddblocal:", err)
		return 1
	}
	defer srv.Stop()
	fmt.Fprintf(os.Stderr, "ddblocal: DynamoDB Local at %s (log %s)\n", srv.Endpoint, srv.LogPath())
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), dynamolocal.EndpointEnv+"="+srv.Endpoint)
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	default:
		fmt.Fprintln(os.Stderr, "ddblocal:", err)
		return 1
	}
}
