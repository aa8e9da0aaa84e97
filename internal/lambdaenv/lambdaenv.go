// Package lambdaenv builds the AWS configuration of a Lambda function from the variables
// Lambda sets (region and the execution role's credentials). It replaces the SDK's
// config.LoadDefaultConfig, whose SSO, STS and instance-metadata providers a function
// never uses and which would add megabytes to every bootstrap.
package lambdaenv

import (
	"errors"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

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
