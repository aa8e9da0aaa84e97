package lambdaenv

import (
	"context"
	"testing"
)

func TestEndpoint(t *testing.T) {
	tests := []struct {
		name    string
		service string
		env     map[string]string
		want    string
	}{
		{"no variable leaves the AWS endpoint", DynamoDB, nil, ""},
		{"the global variable applies to every service", SNS,
			map[string]string{"AWS_ENDPOINT_URL": "http://global:4566"}, "http://global:4566"},
		{"the service variable wins over the global one", DynamoDB,
			map[string]string{"AWS_ENDPOINT_URL": "http://global:4566", "AWS_ENDPOINT_URL_DYNAMODB": "http://ddb:8000"}, "http://ddb:8000"},
		{"another service's variable does not apply", SQS,
			map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://ddb:8000"}, ""},
		{"a service id with a space uses underscores", SecretsManager,
			map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://sm:4566"}, "http://sm:4566"},
		{"an empty service variable falls back to the global one", SNS,
			map[string]string{"AWS_ENDPOINT_URL_SNS": "", "AWS_ENDPOINT_URL": "http://global:4566"}, "http://global:4566"},
		{"the ignore switch ignores both variables", DynamoDB,
			map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://global:4566", "AWS_ENDPOINT_URL_DYNAMODB": "http://ddb:8000"}, ""},
		{"the ignore switch set to false ignores nothing", DynamoDB,
			map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false", "AWS_ENDPOINT_URL_DYNAMODB": "http://ddb:8000"}, "http://ddb:8000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Endpoint(tt.service, func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("Endpoint(%q) = %q, want %q", tt.service, got, tt.want)
			}
		})
	}
}

func TestConfigForSetsTheServiceEndpoint(t *testing.T) {
	t.Setenv("AWS_REGION", "ap-southeast-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "fake")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "")
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000")
	tests := []struct {
		name    string
		service string
		want    string
	}{
		{"DynamoDB gets its local endpoint", DynamoDB, "http://127.0.0.1:8000"},
		{"SNS keeps the AWS endpoint", SNS, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ConfigFor(tt.service)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if cfg.BaseEndpoint != nil {
				got = *cfg.BaseEndpoint
			}
			if got != tt.want {
				t.Errorf("BaseEndpoint = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLocalSecret(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name    string
		secret  Secret
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"the local secret is taken against a local DynamoDB", DeploymentSecret, map[string]string{LocalSecretEnv: secret, "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"}, secret, false},
		{"the local secret is taken against a global local endpoint", DeploymentSecret, map[string]string{LocalSecretEnv: secret, "AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}, secret, false},
		{"the local secret is refused against AWS's DynamoDB", DeploymentSecret, map[string]string{LocalSecretEnv: secret}, "", true},
		{"the local secret is refused when endpoints are ignored", DeploymentSecret, map[string]string{LocalSecretEnv: secret, "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "", true},
		{"no deployment secret at all is an error", DeploymentSecret, map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"}, "", true},
		{"the local origin secret is taken against a local DynamoDB", OriginSecret, map[string]string{OriginSecretEnv: secret, "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"}, secret, false},
		{"the local origin secret is refused against AWS's DynamoDB", OriginSecret, map[string]string{OriginSecretEnv: secret}, "", true},
		{"the deployment secret is not taken for the origin secret", OriginSecret, map[string]string{LocalSecretEnv: secret, "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"}, "", false},
		{"no origin secret at all is no secret, not an error", OriginSecret, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := localSecret(func(k string) string { return tt.env[k] }, tt.secret)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if string(got) != tt.want {
				t.Errorf("secret = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadSecretsLocallyInTheOrderAsked(t *testing.T) {
	t.Setenv(SecretArnEnv, "")
	t.Setenv(OriginSecretArnEnv, "")
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "")
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000")
	t.Setenv(LocalSecretEnv, "deployment-secret")
	t.Setenv(OriginSecretEnv, "origin-secret")
	got, err := ReadSecrets(context.Background(), DeploymentSecret, OriginSecret)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got[0]) != "deployment-secret" || string(got[1]) != "origin-secret" {
		t.Errorf("secrets = %q, want [deployment-secret origin-secret]", got)
	}
}
