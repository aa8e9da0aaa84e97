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
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/nq58/tracker/internal/dynamo"
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

// OriginSecretArnEnv names the variable holding the ARN of the origin secret (the
// template's OriginSecret), the value CloudFront sends in X-Origin-Verify.
// OriginSecretEnv holds the value itself locally, under the same rule as
// LocalSecretEnv.
const (
	OriginSecretArnEnv = "ORIGIN_SECRET_ARN"
	OriginSecretEnv    = "ORIGIN_SECRET"
)

// Secret is a secret a function reads at cold start: from Secrets Manager when the
// variable ArnEnv is set (the template sets it in AWS), else from the variable LocalEnv
// against local emulators only (see LocalSecretEnv).
type Secret struct {
	ArnEnv, LocalEnv string
	// Optional: with neither variable set the secret is absent (nil), not an error.
	Optional bool
}

// The secrets of the functions.
var (
	// DeploymentSecret keys the hashes of personal identifiers; a function that needs
	// it cannot run without it.
	DeploymentSecret = Secret{ArnEnv: SecretArnEnv, LocalEnv: LocalSecretEnv}
	// OriginSecret proves a request came through CloudFront. Without it no request
	// does, and every source is API Gateway's sourceIp: safe, only coarser.
	OriginSecret = Secret{ArnEnv: OriginSecretArnEnv, LocalEnv: OriginSecretEnv, Optional: true}
)

// ReadSecrets reads secrets once per cold start and returns their values in the order
// asked (nil for an absent optional one). Those in Secrets Manager are read
// concurrently, one GetSecretValue each on one client, so a second secret adds no
// round trip to the cold start.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
func ReadSecrets(ctx context.Context, secrets ...Secret) ([][]byte, error) {
	values := make([][]byte, len(secrets))
	var arns []int // indexes of the secrets to read from Secrets Manager
	for i, sec := range secrets {
		if os.Getenv(sec.ArnEnv) != "" {
			arns = append(arns, i)
			continue
		}
		v, err := localSecret(os.Getenv, sec)
		if err != nil {
			return nil, err
		}
		values[i] = v
	}
	if len(arns) == 0 {
		return values, nil
	}
	cfg, err := ConfigFor(SecretsManager)
	if err != nil {
		return nil, err
	}
	client := secretsmanager.NewFromConfig(cfg)
	errs := make([]error, len(secrets))
	var wg sync.WaitGroup
	for _, i := range arns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			arn := os.Getenv(secrets[i].ArnEnv)
			out, err := client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn})
			if err != nil {
				errs[i] = fmt.Errorf("read the secret of %s: %w", secrets[i].ArnEnv, err)
				return
			}
			values[i] = []byte(aws.ToString(out.SecretString))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return values, nil
}

// localSecret is the value of sec.LocalEnv when LocalSecretEnv's conditions hold (sec's
// ARN variable unset, DynamoDB's endpoint overridden); nil for an optional secret with
// neither variable set.
func localSecret(getenv func(string) string, sec Secret) ([]byte, error) {
	secret := getenv(sec.LocalEnv)
	switch {
	case secret == "" && sec.Optional:
		return nil, nil
	case secret == "":
		return nil, errors.New(sec.ArnEnv + " is not set")
	case Endpoint(DynamoDB, getenv) == "":
		return nil, errors.New(sec.ArnEnv + " is not set; " + sec.LocalEnv + " is accepted only against a local DynamoDB (" + EndpointEnv(DynamoDB) + " or AWS_ENDPOINT_URL set)")
	}
	return []byte(secret), nil
}
