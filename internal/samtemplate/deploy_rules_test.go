package samtemplate_test

// Deployment rules of template.yaml. goformation (v7.14.9) cannot read this template (it rejects UserPoolDomain's ManagedLoginVersion and does not know
// AWS::Cognito::ManagedLoginBranding), so the rules read the YAML as samtemplate does.

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/nq58/tracker/internal/samtemplate"
)

type ruleResource struct {
	Type                string         `yaml:"Type"`
	DeletionPolicy      string         `yaml:"DeletionPolicy"`
	UpdateReplacePolicy string         `yaml:"UpdateReplacePolicy"`
	Properties          map[string]any `yaml:"Properties"`
}

func readRules(t *testing.T) (map[string]ruleResource, string) {
	t.Helper()
	src, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resources map[string]ruleResource `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Resources, string(src)
}

func ofType(res map[string]ruleResource, typ string) []string {
	var ids []string
	for id, r := range res {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestDeployRules(t *testing.T) {
	res, src := readRules(t)
	functions := ofType(res, "AWS::Serverless::Function")
	if len(functions) == 0 {
		t.Fatal("no functions in the template")
	}

	t.Run("the HttpApi throttles every route by default", func(t *testing.T) {
		drs, _ := res["HttpApi"].Properties["DefaultRouteSettings"].(map[string]any)
		if drs["ThrottlingRateLimit"] == nil || drs["ThrottlingBurstLimit"] == nil {
			t.Errorf("got DefaultRouteSettings %v, want rate and burst limits", drs)
		}
	})

	t.Run("every operational alarm is present and notifies the alarm topic", func(t *testing.T) {
		want := []string{"AggregatorIteratorAgeAlarm", "AggregatorDeadLettersAlarm", "Api5xxAlarm"}
		for _, fn := range functions {
			want = append(want, fn+"ErrorsAlarm", fn+"ThrottlesAlarm")
		}
		for _, id := range want {
			r, ok := res[id]
			if !ok || r.Type != "AWS::CloudWatch::Alarm" {
				t.Errorf("got no alarm %s, want one", id)
				continue
			}
			if actions, _ := r.Properties["AlarmActions"].([]any); !slices.Contains(actions, any("AlarmTopic")) {
				t.Errorf("alarm %s: got AlarmActions %v, want the AlarmTopic", id, actions)
			}
		}
	})

	t.Run("every staff route has the StaffJwt authorizer and every public route none", func(t *testing.T) {
		tpl, err := samtemplate.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		routes, err := tpl.Routes()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range routes {
			want := ""
			if r.Function == "StaffApiFunction" || r.Function == "StaffAdminFunction" {
				want = "StaffJwt"
			}
			if r.Authorizer != want {
				t.Errorf("%s (%s): got authorizer %q, want %q", r.RouteKey(), r.Function, r.Authorizer, want)
			}
		}
	})

	t.Run("every function has a build target for SAM's makefile builder", func(t *testing.T) {
		mk, err := os.ReadFile("../../Makefile")
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range functions {
			if !regexp.MustCompile(`(?m)^build-` + fn + `:`).Match(mk) {
				t.Errorf("got no Makefile target build-%s, want one", fn)
			}
		}
	})

	t.Run("stateful resources are retained and the table is protected from deletion", func(t *testing.T) {
		for _, id := range []string{"Table", "UserPool", "WebBucket", "AggregatorDeadLetters", "DeploymentSecret"} {
			r := res[id]
			if r.DeletionPolicy != "Retain" || r.UpdateReplacePolicy != "Retain" {
				t.Errorf("%s: got DeletionPolicy %q UpdateReplacePolicy %q, want Retain and Retain", id, r.DeletionPolicy, r.UpdateReplacePolicy)
			}
		}
		if got := res["Table"].Properties["DeletionProtectionEnabled"]; got != true {
			t.Errorf("Table: got DeletionProtectionEnabled %v, want true", got)
		}
	})

	t.Run("no function has the CRUD policy and the public function can neither scan nor delete", func(t *testing.T) {
		for _, fn := range functions {
			policies, _ := yaml.Marshal(res[fn].Properties["Policies"])
			if strings.Contains(string(policies), "DynamoDBCrudPolicy") {
				t.Errorf("%s: got DynamoDBCrudPolicy, want exact actions", fn)
			}
			if fn != "PublicApiFunction" {
				continue
			}
			for _, action := range []string{"dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:*"} {
				if strings.Contains(string(policies), action) {
					t.Errorf("%s: got %s, want none", fn, action)
				}
			}
		}
	})

	t.Run("every function logs to its own log group with a retention", func(t *testing.T) {
		for _, fn := range functions {
			lc, _ := res[fn].Properties["LoggingConfig"].(map[string]any)
			group, _ := lc["LogGroup"].(string)
			r, ok := res[group]
			if !ok || r.Type != "AWS::Logs::LogGroup" {
				t.Errorf("%s: got LoggingConfig.LogGroup %q, want a log group of the template", fn, group)
				continue
			}
			if r.Properties["RetentionInDays"] == nil {
				t.Errorf("%s: log group %s has no RetentionInDays", fn, group)
			}
		}
	})

	t.Run("the users cannot write their own scope", func(t *testing.T) {
		writable, _ := res["UserPoolClient"].Properties["WriteAttributes"].([]any)
		if len(writable) == 0 || slices.Contains(writable, any("custom:scope")) {
			t.Errorf("got WriteAttributes %v, want a list without custom:scope", writable)
		}
	})
}
