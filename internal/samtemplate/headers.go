package samtemplate

import (
	"fmt"
	"strconv"
	"strings"
)

// Header is one HTTP response header.
type Header struct {
	Name  string
	Value string
}

type responseHeadersPolicy struct {
	ResponseHeadersPolicyConfig struct {
		SecurityHeadersConfig struct {
			ContentSecurityPolicy *struct {
				ContentSecurityPolicy string `yaml:"ContentSecurityPolicy"`
			} `yaml:"ContentSecurityPolicy"`
			StrictTransportSecurity *struct {
				AccessControlMaxAgeSec int  `yaml:"AccessControlMaxAgeSec"`
				IncludeSubdomains      bool `yaml:"IncludeSubdomains"`
				Preload                bool `yaml:"Preload"`
			} `yaml:"StrictTransportSecurity"`
			ReferrerPolicy *struct {
				ReferrerPolicy string `yaml:"ReferrerPolicy"`
			} `yaml:"ReferrerPolicy"`
			ContentTypeOptions *struct{} `yaml:"ContentTypeOptions"`
			FrameOptions       *struct {
				FrameOption string `yaml:"FrameOption"`
			} `yaml:"FrameOptions"`
		} `yaml:"SecurityHeadersConfig"`
		CustomHeadersConfig struct {
			Items []struct {
				Header string `yaml:"Header"`
				Value  string `yaml:"Value"`
			} `yaml:"Items"`
		} `yaml:"CustomHeadersConfig"`
	} `yaml:"ResponseHeadersPolicyConfig"`
}

// SecurityHeaders returns the headers the template's one CloudFront response headers
// policy adds to every answer, written as CloudFront writes them
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html).
//
// The CSP is a !Sub string: a source naming a template value (${...}, e.g. the Cognito
// domain) exists only in AWS and is left out, since locally the issuer is same-origin.
func (t *Template) SecurityHeaders() ([]Header, error) {
	ids := t.sortedIDs("AWS::CloudFront::ResponseHeadersPolicy")
	if len(ids) != 1 {
		return nil, fmt.Errorf("the template must declare exactly one AWS::CloudFront::ResponseHeadersPolicy, found %d", len(ids))
	}
	var p responseHeadersPolicy
	props := t.Resources[ids[0]].Properties
	if err := props.Decode(&p); err != nil {
		return nil, fmt.Errorf("response headers policy %s: %w", ids[0], err)
	}
	sec := p.ResponseHeadersPolicyConfig.SecurityHeadersConfig
	var out []Header
	if c := sec.ContentSecurityPolicy; c != nil {
		csp := localCSP(c.ContentSecurityPolicy)
		if csp == "" {
			return nil, fmt.Errorf("response headers policy %s: empty ContentSecurityPolicy", ids[0])
		}
		out = append(out, Header{"Content-Security-Policy", csp})
	}
	if h := sec.StrictTransportSecurity; h != nil {
		v := "max-age=" + strconv.Itoa(h.AccessControlMaxAgeSec)
		if h.IncludeSubdomains {
			v += "; includeSubDomains"
		}
		if h.Preload {
			v += "; preload"
		}
		out = append(out, Header{"Strict-Transport-Security", v})
	}
	if r := sec.ReferrerPolicy; r != nil {
		out = append(out, Header{"Referrer-Policy", r.ReferrerPolicy})
	}
	if sec.ContentTypeOptions != nil {
		out = append(out, Header{"X-Content-Type-Options", "nosniff"})
	}
	if f := sec.FrameOptions; f != nil {
		out = append(out, Header{"X-Frame-Options", f.FrameOption})
	}
	for _, item := range p.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items {
		out = append(out, Header{item.Header, item.Value})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("response headers policy %s: no headers", ids[0])
	}
	return out, nil
}

// localCSP drops the sources that name template values (${...}), and a directive left
// with no source (it falls back to default-src, as the browser does without it).
func localCSP(csp string) string {
	var directives []string
	for _, d := range strings.Split(csp, ";") {
		var kept []string
		for _, tok := range strings.Fields(d) {
			if !strings.Contains(tok, "${") {
				kept = append(kept, tok)
			}
		}
		if len(kept) > 1 {
			directives = append(directives, strings.Join(kept, " "))
		}
	}
	return strings.Join(directives, "; ")
}
