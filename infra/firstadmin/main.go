// Command firstadmin makes a deployment's first account: it writes the root unit when the
// unit tree is empty (or checks that the given unit is the stored root), then creates an
// admin scoped to it whose username is the e-mail, lower-cased. `make first-admin` runs it:
//
//	firstadmin -env local -email a@b.vn -unit-id th -unit-name "Tỉnh Thanh Hóa" -addr 127.0.0.1:8080
//	firstadmin -env prod -stack nq58-tracker-prod -region ap-southeast-1 -email … -unit-id … -unit-name …
//
// Locally it calls the running gateway's POST /local/first-admin (the password, if any,
// comes from FIRST_ADMIN_PASSWORD, so that it is in no command line). In AWS it reads the
// stack's TableName and UserPoolId outputs, writes the root with the project's DynamoDB
// store and creates the user in the Cognito pool, which e-mails a temporary password.
// The decisions (valid e-mail and unit id, empty tree, which root) are
// staffdir.CreateFirstAdmin's, the same in both.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/cognitodir"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/staffdir"
)

// PasswordEnv carries the local account's password (the Makefile exports PASSWORD as it).
const PasswordEnv = "FIRST_ADMIN_PASSWORD"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv(PasswordEnv), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "first-admin:", message(err))
		os.Exit(1)
	}
}

// message is what the operator reads: an application error's Vietnamese message, else
// the error's own text (never a stack trace).
func message(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Message
	}
	return err.Error()
}

type options struct {
	env, addr, stack, region string
	in                       staffdir.FirstAdmin
}

func run(ctx context.Context, args []string, password string, stdout io.Writer) error {
	var o options
	fs := flag.NewFlagSet("firstadmin", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.env, "env", "local", "local (the running `make run`), dev or prod (the stack of samconfig.toml)")
	fs.StringVar(&o.in.Email, "email", "", "the admin's e-mail, also the username (lower-cased)")
	fs.StringVar(&o.in.UnitID, "unit-id", "", "the root unit's id, e.g. th")
	fs.StringVar(&o.in.UnitName, "unit-name", "", "the root unit's name, e.g. \"Tỉnh Thanh Hóa\" (needed when the tree is empty)")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "the local gateway's address (ENV=local), as `make run ADDR=`")
	fs.StringVar(&o.stack, "stack", "", "CloudFormation stack name (ENV=dev|prod)")
	fs.StringVar(&o.region, "region", "", "AWS region of the stack (ENV=dev|prod)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%v (flags: -env -email -unit-id -unit-name -addr -stack -region)", err)
	}
	// Checked here too, before any network call, with the same rule the server applies.
	in, err := o.in.Normalized()
	if err != nil {
		return err
	}
	o.in = in
	switch o.env {
	case "local":
		return local(ctx, o, password, stdout)
	case "dev", "prod":
		if password != "" {
			return errors.New("PASSWORD is only for ENV=local: in AWS Cognito e-mails a temporary password, changed at the first sign-in")
		}
		if o.stack == "" || o.region == "" {
			return fmt.Errorf("ENV=%s needs the stack and region (samconfig.toml's [%s.deploy.parameters] stack_name and region; `make first-admin` passes them)", o.env, o.env)
		}
		return inAWS(ctx, o, stdout)
	default:
		return fmt.Errorf("ENV must be local, dev or prod, not %q", o.env)
	}
}

func local(ctx context.Context, o options, password string, stdout io.Writer) error {
	client := &http.Client{Timeout: 30 * time.Second}
	out, err := localgw.RequestFirstAdmin(ctx, client, "http://"+o.addr, localgw.FirstAdminRequest{FirstAdmin: o.in, Password: password})
	if err != nil {
		return err
	}
	printRoot(stdout, out.RootID, out.RootName, out.RootCreated)
	fmt.Fprintf(stdout, "username: %s\n", out.Username)
	if out.TemporaryPassword != "" {
		fmt.Fprintf(stdout, "temporary password: %s\n", out.TemporaryPassword)
	}
	fmt.Fprintf(stdout, "sign in at http://%s/staff/\n", o.addr)
	return nil
}

func printRoot(w io.Writer, id, name string, created bool) {
	if created {
		fmt.Fprintf(w, "root unit %s (%s) written\n", id, name)
	} else {
		fmt.Fprintf(w, "root unit %s (%s) already there\n", id, name)
	}
}

// inAWS runs the first admin against the deployed stack with the default credentials
// (environment, shared config, SSO: https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html).
func inAWS(ctx context.Context, o options, stdout io.Writer) error {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(o.region))
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	outputs, err := stackOutputs(ctx, cloudformation.NewFromConfig(cfg), o.stack)
	if err != nil {
		return err
	}
	table, pool := outputs["TableName"], outputs["UserPoolId"]
	if table == "" || pool == "" {
		return fmt.Errorf("stack %s (%s) has no TableName or UserPoolId output: has `make deploy ENV=%s` finished?", o.stack, o.region, o.env)
	}
	store := dynamo.New(dynamodb.NewFromConfig(cfg), table)
	r, err := staffdir.CreateFirstAdmin(ctx, store, cognitodir.New(cfg, pool), o.in)
	if err != nil {
		return err
	}
	printRoot(stdout, r.Root.ID, r.Root.Name, r.RootCreated)
	fmt.Fprintf(stdout, "username: %s\n", r.Member.Username)
	fmt.Fprintf(stdout, "Cognito e-mails a temporary password to %s; it is changed at the first sign-in on the site's /staff/\n", r.Member.Email)
	return nil
}

// stackOutputs reads a stack's outputs (DescribeStacks:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html).
func stackOutputs(ctx context.Context, cf *cloudformation.Client, stack string) (map[string]string, error) {
	out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &stack})
	if err != nil {
		return nil, fmt.Errorf("read stack %s: %w", stack, err)
	}
	if len(out.Stacks) != 1 {
		return nil, fmt.Errorf("read stack %s: %d stacks answered", stack, len(out.Stacks))
	}
	m := map[string]string{}
	for _, o := range out.Stacks[0].Outputs {
		m[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return m, nil
}
