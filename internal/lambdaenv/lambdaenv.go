// Package lambdaenv builds the AWS configuration of a Lambda function from the variables
// Lambda sets (region and the execution role's credentials). It replaces the SDK's
// config.LoadDefaultConfig, whose SSO, STS and instance-metadata providers a function
// never uses and which would add megabytes to every bootstrap. It honours the SDK's
// standard endpoint variables (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), so the same bootstrap runs against DynamoDB
// Local under the Lambda Runtime Interface Emulator or `sam local`.
package lambdaenv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/pseudonym"
)

// Store returns the store on the function's table (TABLE_NAME), with a client built
// once per cold start.
func Store() (*dynamo.Store, error) {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		return nil, errors.New("TABLE_NAME is not set")
	}
	cfg, err := ConfigFor(DynamoDB)
	if err != nil {
		return nil, err
	}
	return dynamo.New(dynamodb.NewFromConfig(cfg), table), nil
}

// The SDK service ids of the services the functions call (the names the endpoint
// variables are derived from).
const (
	DynamoDB       = "DynamoDB"
	SecretsManager = "Secrets Manager"
	SNS            = "SNS"
	SQS            = "SQS"
)

// Endpoint returns the endpoint configured for the service with the SDK's service id
// (e.g. "Secrets Manager"), as the SDKs document it: AWS_ENDPOINT_URL_<ID> (the id upper
// case, spaces as underscores: AWS_ENDPOINT_URL_SECRETS_MANAGER) wins over the global
// AWS_ENDPOINT_URL; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores both; an empty
// variable counts as unset. "" means the service's regional AWS endpoint.
func Endpoint(serviceID string, getenv func(string) string) string {
	if strings.EqualFold(strings.TrimSpace(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")), "true") {
		return ""
	}
	if e := getenv(EndpointEnv(serviceID)); e != "" {
		return e
	}
	return getenv("AWS_ENDPOINT_URL")
}

// EndpointEnv is the service-specific endpoint variable of a service id.
func EndpointEnv(serviceID string) string {
	return "AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(serviceID, " ", "_"))
}

// ConfigFor returns the function's AWS configuration for one service, with the endpoint
// the standard variables give it (see Endpoint).
func ConfigFor(serviceID string) (aws.Config, error) {
	cfg, err := Config()
	if err != nil {
		return cfg, err
	}
	if e := Endpoint(serviceID, os.Getenv); e != "" {
		cfg.BaseEndpoint = aws.String(e)
	}
	return cfg, nil
}

// Config returns the AWS configuration of the running function, without endpoint
// overrides: clients should be built from ConfigFor.
func Config() (aws.Config, error) {
	region := os.Getenv("AWS_REGION")
	key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if region == "" || key == "" || secret == "" {
		return aws.Config{}, errors.New("AWS_REGION and the execution role's credentials must be set (they are, in Lambda)")
	}
	return aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, os.Getenv("AWS_SESSION_TOKEN")),
	}, nil
}

// Start is a function's whole main: a JSON logger with the request id on every line,
// the store built once per cold start, and the handler that wire returns handed to
// lambda.Start. A cold start that cannot build the store or the handler logs why and
// exits non-zero (Lambda then reports an init error) instead of panicking.
func Start(wire func(store *dynamo.Store, log *slog.Logger) (any, error)) {
	log := lambdacontext.NewLogger()
	store, err := Store()
	if err != nil {
		log.Error("cold start failed", "error", err.Error())
		os.Exit(1)
	}
	handler, err := wire(store, log)
	if err != nil {
		log.Error("cold start failed", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(handler)
}

// SecretArnEnv names the variable holding the ARN of the deployment's secret (the
// template's DeploymentSecret).
const SecretArnEnv = "DEPLOYMENT_SECRET_ARN"

// LocalSecretEnv holds the deployment's secret itself, for runs against local emulators
// only (Secrets Manager is not emulated locally). It is accepted only when SecretArnEnv
// is unset and DynamoDB's endpoint is overridden by the standard variables: in AWS the
// template always sets the ARN, and a function whose DynamoDB calls go to a local
// endpoint cannot key the deployment's real data, so a stray DEPLOYMENT_SECRET never
// replaces Secrets Manager in AWS.
const LocalSecretEnv = "DEPLOYMENT_SECRET"

// Pseudonyms reads the deployment's secret from AWS Secrets Manager once per cold start
// and returns the keyer of personal identifiers built on it (or, against local
// emulators, takes it from LocalSecretEnv).
func Pseudonyms(ctx context.Context) (pseudonym.Keyer, error) {
	arn := os.Getenv(SecretArnEnv)
	if arn == "" {
		secret, err := localSecret(os.Getenv)
		if err != nil {
			return pseudonym.Keyer{}, err
		}
		return pseudonym.New(secret)
	}
	cfg, err := ConfigFor(SecretsManager)
	if err != nil {
		return pseudonym.Keyer{}, err
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn})
	if err != nil {
		return pseudonym.Keyer{}, fmt.Errorf("read the deployment secret: %w", err)
	}
	return pseudonym.New([]byte(aws.ToString(out.SecretString)))
}

// localSecret is the secret of LocalSecretEnv when its conditions hold (see there).
func localSecret(getenv func(string) string) ([]byte, error) {
	secret := getenv(LocalSecretEnv)
	switch {
	case secret == "":
		return nil, errors.New(SecretArnEnv + " is not set")
	case Endpoint(DynamoDB, getenv) == "":
		return nil, errors.New(SecretArnEnv + " is not set; " + LocalSecretEnv + " is accepted only against a local DynamoDB (" + EndpointEnv(DynamoDB) + " or AWS_ENDPOINT_URL set)")
	}
	return []byte(secret), nil
}
