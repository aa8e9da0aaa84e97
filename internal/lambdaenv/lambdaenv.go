// Package lambdaenv builds the AWS configuration of a Lambda function from the variables
// Lambda sets (region and the execution role's credentials). It replaces the SDK's
// config.LoadDefaultConfig, whose SSO, STS and instance-metadata providers a function
// never uses and which would add megabytes to every bootstrap.
package lambdaenv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

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
	cfg, err := Config()
	if err != nil {
		return nil, err
	}
	return dynamo.New(dynamodb.NewFromConfig(cfg), table), nil
}

// Config returns the AWS configuration of the running function.
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

// Pseudonyms reads the deployment's secret from AWS Secrets Manager once per cold start
// and returns the keyer of personal identifiers built on it.
func Pseudonyms(ctx context.Context) (pseudonym.Keyer, error) {
	arn := os.Getenv(SecretArnEnv)
	if arn == "" {
		return pseudonym.Keyer{}, errors.New(SecretArnEnv + " is not set")
	}
	cfg, err := Config()
	if err != nil {
		return pseudonym.Keyer{}, err
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn})
	if err != nil {
		return pseudonym.Keyer{}, fmt.Errorf("read the deployment secret: %w", err)
	}
	return pseudonym.New([]byte(aws.ToString(out.SecretString)))
}
