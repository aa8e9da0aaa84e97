// Command siteconfig reads the stack as `aws cloudformation describe-stacks --output json`
// writes it and answers what `make deploy` needs, so the deploy has no jq dependency:
//
//	siteconfig -stack stack.json -output WebBucketName   # one output's value
//	siteconfig -stack stack.json -pending-site-domain    # the domain to pass as SiteDomain, if not yet
//	siteconfig -stack stack.json -config web/config.json # the pages' sign-in settings
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Stack is the part of describe-stacks' answer read here.
type Stack struct {
	Outputs []struct {
		OutputKey   string `json:"OutputKey"`
		OutputValue string `json:"OutputValue"`
	} `json:"Outputs"`
	Parameters []struct {
		ParameterKey   string `json:"ParameterKey"`
		ParameterValue string `json:"ParameterValue"`
	} `json:"Parameters"`
}

// SiteConfig is /config.json, read by the staff pages before signing in.
type SiteConfig struct {
	Auth AuthConfig `json:"auth"`
}

// AuthConfig names the OAuth 2.0 endpoints (authorization code + PKCE) and the client.
type AuthConfig struct {
	AuthorizeURL string   `json:"authorizeUrl"`
	TokenURL     string   `json:"tokenUrl"`
	LogoutURL    string   `json:"logoutUrl"`
	ClientID     string   `json:"clientId"`
	Scopes       []string `json:"scopes"`
}

// ParseStack reads describe-stacks' JSON, which holds exactly one stack.
func ParseStack(r io.Reader) (Stack, error) {
	var doc struct {
		Stacks []Stack `json:"Stacks"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return Stack{}, fmt.Errorf("read describe-stacks: %w", err)
	}
	if len(doc.Stacks) != 1 {
		return Stack{}, fmt.Errorf("read describe-stacks: want one stack, got %d", len(doc.Stacks))
	}
	return doc.Stacks[0], nil
}

// Output is an output's value; a missing or empty output is an error.
func (s Stack) Output(key string) (string, error) {
	for _, o := range s.Outputs {
		if o.OutputKey == key && o.OutputValue != "" {
			return o.OutputValue, nil
		}
	}
	return "", fmt.Errorf("the stack has no output %s", key)
}

// Parameter is a parameter's value ("" when absent).
func (s Stack) Parameter(key string) string {
	for _, p := range s.Parameters {
		if p.ParameterKey == key {
			return p.ParameterValue
		}
	}
	return ""
}

// PendingSiteDomain is the distribution's domain when the SiteDomain parameter is still
// empty, "" otherwise. A commune's own domain, once set, is kept.
func (s Stack) PendingSiteDomain() (string, error) {
	if s.Parameter("SiteDomain") != "" {
		return "", nil
	}
	return s.Output("SiteDomain")
}

// Config is the pages' /config.json from the outputs.
func (s Stack) Config() (SiteConfig, error) {
	var c SiteConfig
	var errs []error
	for _, f := range []struct {
		key string
		dst *string
	}{{"AuthorizeUrl", &c.Auth.AuthorizeURL}, {"TokenUrl", &c.Auth.TokenURL}, {"LogoutUrl", &c.Auth.LogoutURL}, {"UserPoolClientId", &c.Auth.ClientID}} {
		v, err := s.Output(f.key)
		errs = append(errs, err)
		*f.dst = v
	}
	c.Auth.Scopes = []string{"openid", "email", "profile"}
	return c, errors.Join(errs...)
}

func main() {
	stackFile := flag.String("stack", "", "describe-stacks JSON (required)")
	output := flag.String("output", "", "print this output's value")
	pending := flag.Bool("pending-site-domain", false, "print the domain to deploy as SiteDomain, or nothing")
	config := flag.String("config", "", "write the pages' config.json here")
	flag.Parse()
	if err := run(*stackFile, *output, *pending, *config, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "siteconfig:", err)
		os.Exit(1)
	}
}

func run(stackFile, output string, pending bool, config string, stdout io.Writer) error {
	f, err := os.Open(stackFile)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := ParseStack(f)
	if err != nil {
		return err
	}
	switch {
	case output != "":
		v, err := st.Output(output)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, v)
		return err
	case pending:
		v, err := st.PendingSiteDomain()
		if err != nil || v == "" {
			return err
		}
		_, err = fmt.Fprintln(stdout, v)
		return err
	case config != "":
		c, err := st.Config()
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(config, append(b, '\n'), 0o644)
	}
	return errors.New("one of -output, -pending-site-domain or -config is needed")
}
