package samtemplate_test

// Day-one deployment rules of template.yaml (issue 21): the edge, SMS, alarms, Cognito,
// headers, canaries and backups. The template is read as plain YAML: short-form
// intrinsics decode as their argument (!Ref X is "X", !If [c, a, b] a list).

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/samtemplate"
)

type templateDoc struct {
	Parameters map[string]map[string]any `yaml:"Parameters"`
	Conditions map[string]any            `yaml:"Conditions"`
	Rules      map[string]map[string]any `yaml:"Rules"`
	Resources  map[string]map[string]any `yaml:"Resources"`
	Outputs    map[string]any            `yaml:"Outputs"`
}

func readTemplate(t *testing.T) templateDoc {
	t.Helper()
	var doc templateDoc
	if err := yaml.Unmarshal(tracker.TemplateYAML, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// at walks maps (string keys) and lists (int indexes); nil when a step is missing.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func props(doc templateDoc, id string) map[string]any {
	p, _ := doc.Resources[id]["Properties"].(map[string]any)
	return p
}

func yamlOf(v any) string {
	out, _ := yaml.Marshal(v)
	return string(out)
}

func TestTheEdgeReachesTheAPIOnlyWithTheOriginSecret(t *testing.T) {
	doc := readTemplate(t)

	t.Run("the execute-api endpoint stays on because CloudFront's api origin is that address", func(t *testing.T) {
		if got := props(doc, "HttpApi")["DisableExecuteApiEndpoint"]; got != false {
			t.Errorf("HttpApi DisableExecuteApiEndpoint = %v, want false (explicit, with the reason beside it)", got)
		}
		origin := at(props(doc, "Distribution"), "DistributionConfig", "Origins", 1)
		if at(origin, "Id") != "api" || !strings.Contains(fmt.Sprint(at(origin, "DomainName")), ".execute-api.") {
			t.Fatalf("second origin = %v, want the api origin on the execute-api address", origin)
		}
	})

	t.Run("the api origin sends X-Origin-Verify resolved from OriginSecret", func(t *testing.T) {
		headers, _ := at(props(doc, "Distribution"), "DistributionConfig", "Origins", 1, "OriginCustomHeaders").([]any)
		want := map[string]any{"HeaderName": "X-Origin-Verify", "HeaderValue": "{{resolve:secretsmanager:${OriginSecret}:SecretString}}"}
		if len(headers) != 1 || !reflect.DeepEqual(headers[0], want) {
			t.Errorf("api origin OriginCustomHeaders = %v, want [%v]", headers, want)
		}
		if origins, _ := at(props(doc, "Distribution"), "DistributionConfig", "Origins").([]any); len(origins) != 2 || at(origins[0], "OriginCustomHeaders") != nil {
			t.Errorf("origins = %v, want the web origin without the secret", origins)
		}
	})

	t.Run("OriginSecret is generated: 48 characters without punctuation", func(t *testing.T) {
		r := doc.Resources["OriginSecret"]
		gen := at(r, "Properties", "GenerateSecretString")
		if r["Type"] != "AWS::SecretsManager::Secret" || at(gen, "PasswordLength") != 48 || at(gen, "ExcludePunctuation") != true {
			t.Errorf("OriginSecret = %v, want a generated secret of 48 characters without punctuation", r)
		}
	})

	t.Run("the public function gets the secret's ARN and may read it", func(t *testing.T) {
		p := props(doc, "PublicApiFunction")
		if got := at(p, "Environment", "Variables", "ORIGIN_SECRET_ARN"); got != "OriginSecret" {
			t.Errorf("ORIGIN_SECRET_ARN = %v, want !Ref OriginSecret", got)
		}
		if !strings.Contains(yamlOf(p["Policies"]), "SecretArn: OriginSecret") {
			t.Errorf("PublicApiFunction Policies = %s, want GetSecretValue on OriginSecret", yamlOf(p["Policies"]))
		}
	})

	t.Run("no output names the execute-api address", func(t *testing.T) {
		for name, out := range doc.Outputs {
			if strings.Contains(yamlOf(out), "execute-api") {
				t.Errorf("output %s = %v, want no execute-api address", name, out)
			}
		}
	})
}

func TestSMSIsThrottledBudgetedAndNarrowed(t *testing.T) {
	doc := readTemplate(t)
	pub := props(doc, "PublicApiFunction")

	t.Run("POST /v1/verifications has its own route throttle from parameters", func(t *testing.T) {
		got := at(props(doc, "HttpApi"), "RouteSettings", "POST /v1/verifications")
		want := map[string]any{"ThrottlingRateLimit": "VerifyRateLimit", "ThrottlingBurstLimit": "VerifyBurstLimit"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("RouteSettings[POST /v1/verifications] = %v, want %v", got, want)
		}
	})

	t.Run("the parameters default to the shared names' values", func(t *testing.T) {
		for name, want := range map[string]any{"VerifyRateLimit": 2, "VerifyBurstLimit": 10, "SmsHourlyBudget": 100} {
			if p := doc.Parameters[name]; p["Type"] != "Number" || p["Default"] != want {
				t.Errorf("parameter %s = %v, want a Number defaulting to %v", name, p, want)
			}
		}
	})

	t.Run("the public function reads the hourly budget and no longer the spend limit", func(t *testing.T) {
		vars, _ := at(pub, "Environment", "Variables").(map[string]any)
		if vars["SMS_HOURLY_BUDGET"] != "SmsHourlyBudget" {
			t.Errorf("SMS_HOURLY_BUDGET = %v, want !Ref SmsHourlyBudget", vars["SMS_HOURLY_BUDGET"])
		}
		if _, ok := vars["SMS_MONTHLY_SPEND_LIMIT_USD"]; ok {
			t.Errorf("SMS_MONTHLY_SPEND_LIMIT_USD is still set; `make deploy` sets the limit")
		}
	})

	t.Run("nothing in the stack may set SMS attributes", func(t *testing.T) {
		if strings.Contains(yamlOf(doc.Resources), "SetSMSAttributes") {
			t.Errorf("a resource of template.yaml names SetSMSAttributes, want none")
		}
	})

	t.Run("the public function publishes SMS only: Publish on * and denied on every topic", func(t *testing.T) {
		var allow, deny bool
		for _, p := range pub["Policies"].([]any) {
			stmts, _ := at(p, "Statement").([]any)
			for _, s := range stmts {
				if !strings.Contains(yamlOf(at(s, "Action")), "sns:") {
					continue
				}
				if at(s, "Action") != "sns:Publish" {
					t.Errorf("SNS statement %v, want only sns:Publish", s)
				}
				switch {
				case at(s, "Effect") == "Allow" && at(s, "Resource") == "*":
					allow = true
				case at(s, "Effect") == "Deny" && at(s, "Resource") == "arn:aws:sns:*:*:*":
					deny = true
				default:
					t.Errorf("SNS statement %v, want Allow on * or Deny on arn:aws:sns:*:*:*", s)
				}
			}
		}
		if !allow || !deny {
			t.Errorf("allow on * %v, deny on topics %v: want both", allow, deny)
		}
	})

	t.Run("make deploy sets the spend limit from samconfig or the template's default", func(t *testing.T) {
		mk, err := os.ReadFile("../../Makefile")
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`aws sns set-sms-attributes --attributes MonthlySpendLimit=\S+ --region \$\(REGION\)`).Match(mk) {
			t.Errorf("Makefile: no `aws sns set-sms-attributes --attributes MonthlySpendLimit=... --region $(REGION)` in deploy")
		}
		if !strings.Contains(string(mk), "SmsMonthlySpendLimitUsd") {
			t.Errorf("Makefile does not read SmsMonthlySpendLimitUsd")
		}
	})
}

func TestEveryAlarmNotifiesTheTopicAndProdHasASubscriber(t *testing.T) {
	doc := readTemplate(t)

	t.Run("every alarm of the stack notifies the alarm topic", func(t *testing.T) {
		n := 0
		for id, r := range doc.Resources {
			if r["Type"] != "AWS::CloudWatch::Alarm" {
				continue
			}
			n++
			if actions, _ := at(r, "Properties", "AlarmActions").([]any); !slices.Contains(actions, any("AlarmTopic")) {
				t.Errorf("alarm %s: AlarmActions = %v, want the AlarmTopic", id, actions)
			}
		}
		if n == 0 {
			t.Fatal("no alarms")
		}
	})

	metricsOf := func(id string) string { return yamlOf(props(doc, id)) }
	tests := []struct {
		alarm string
		has   []string
	}{
		{"SmsSpendAlarm", []string{"MetricName: SMSMonthToDateSpentUSD", "Namespace: AWS/SNS", "100 * spent / ${SmsMonthlySpendLimitUsd}", "Threshold: 80"}},
		{"SmsDeliveryFailuresAlarm", []string{"MetricName: NumberOfNotificationsFailed", "MetricName: NumberOfNotificationsDelivered", "Namespace: AWS/SNS"}},
		{"SmsBudgetAlarm", []string{"MetricName: SmsBudgetUsedPercent", "Namespace: AWS::StackName", "Statistic: Maximum", "Period: 300", "Threshold: 80", "GreaterThanOrEqualToThreshold"}},
		{"TableThrottlesAlarm", []string{"MetricName: ReadThrottleEvents", "MetricName: WriteThrottleEvents", "Value: Table"}},
		{"Api4xxRateAlarm", []string{"MetricName: 4xx", "MetricName: Count", "100 * errors / requests", "Value: HttpApi"}},
		{"ApiLatencyP99Alarm", []string{"MetricName: Latency", "ExtendedStatistic: p99", "Threshold: ApiLatencyP99Ms"}},
		{"Api5xxAlarm", []string{"MetricName: 5xx", "Value: HttpApi"}},
	}
	for _, tt := range tests {
		t.Run(tt.alarm+" watches what its name says", func(t *testing.T) {
			if doc.Resources[tt.alarm]["Type"] != "AWS::CloudWatch::Alarm" {
				t.Fatalf("no alarm %s", tt.alarm)
			}
			got := metricsOf(tt.alarm)
			for _, s := range tt.has {
				if !strings.Contains(got, s) {
					t.Errorf("%s does not contain %q:\n%s", tt.alarm, s, got)
				}
			}
		})
	}

	t.Run("Api5xxAlarm names ComparisonOperator once", func(t *testing.T) {
		block := regexp.MustCompile(`(?s)\n  Api5xxAlarm:\n(.*?)\n\n`).FindStringSubmatch(string(tracker.TemplateYAML))
		if block == nil || strings.Count(block[1], "ComparisonOperator:") != 1 {
			t.Errorf("Api5xxAlarm: want exactly one ComparisonOperator")
		}
	})

	t.Run("a prod stack without AlarmEmail is refused by a rule", func(t *testing.T) {
		rule := doc.Rules["ProdNeedsAlarmEmail"]
		if !reflect.DeepEqual(rule["RuleCondition"], []any{"Stage", "prod"}) {
			t.Errorf("RuleCondition = %v, want !Equals [!Ref Stage, prod]", rule["RuleCondition"])
		}
		if got := at(rule, "Assertions", 0, "Assert"); !reflect.DeepEqual(got, []any{[]any{"AlarmEmail", ""}}) {
			t.Errorf("Assert = %v, want !Not [!Equals [!Ref AlarmEmail, \"\"]]", got)
		}
		if p := doc.Parameters["Stage"]; !reflect.DeepEqual(p["AllowedValues"], []any{"dev", "prod"}) {
			t.Errorf("Stage = %v, want dev or prod", p)
		}
	})

	t.Run("the address subscribes to the topic whenever it is given", func(t *testing.T) {
		sub := doc.Resources["AlarmEmailSubscription"]
		if sub["Condition"] != "HasAlarmEmail" || at(sub, "Properties", "TopicArn") != "AlarmTopic" || at(sub, "Properties", "Endpoint") != "AlarmEmail" {
			t.Errorf("AlarmEmailSubscription = %v, want AlarmEmail subscribed to AlarmTopic", sub)
		}
	})

	t.Run("samconfig deploys prod as Stage prod and dev as Stage dev", func(t *testing.T) {
		raw, err := os.ReadFile("../../samconfig.toml")
		if err != nil {
			t.Fatal(err)
		}
		for _, env := range []string{"dev", "prod"} {
			section := regexp.MustCompile(`(?s)\[` + env + `\.deploy\.parameters\](.*?)(\n\[|$)`).FindStringSubmatch(string(raw))
			if section == nil || !strings.Contains(section[1], `Stage=\"`+env+`\"`) {
				t.Errorf("samconfig.toml [%s.deploy.parameters]: no Stage=%s in parameter_overrides", env, env)
			}
		}
	})
}

func TestOperationsLimitsAndStaffAccounts(t *testing.T) {
	doc := readTemplate(t)

	t.Run("the maintenance function runs one at a time", func(t *testing.T) {
		if got := props(doc, "MaintenanceFunction")["ReservedConcurrentExecutions"]; got != 1 {
			t.Errorf("MaintenanceFunction ReservedConcurrentExecutions = %v, want 1", got)
		}
	})

	pool := props(doc, "UserPool")
	t.Run("every staff account signs in with a TOTP code", func(t *testing.T) {
		if pool["MfaConfiguration"] != "ON" || !reflect.DeepEqual(pool["EnabledMfas"], []any{"SOFTWARE_TOKEN_MFA"}) {
			t.Errorf("MfaConfiguration %v EnabledMfas %v, want ON with SOFTWARE_TOKEN_MFA", pool["MfaConfiguration"], pool["EnabledMfas"])
		}
	})
	t.Run("the pool is protected from deletion and usernames ignore case", func(t *testing.T) {
		if pool["DeletionProtection"] != "ACTIVE" {
			t.Errorf("DeletionProtection = %v, want ACTIVE", pool["DeletionProtection"])
		}
		if got := at(pool, "UsernameConfiguration", "CaseSensitive"); got != false {
			t.Errorf("UsernameConfiguration.CaseSensitive = %v, want false", got)
		}
	})
	t.Run("invitations go through SES when a sender is set and Cognito's mail otherwise", func(t *testing.T) {
		cfg, _ := pool["EmailConfiguration"].([]any)
		if len(cfg) != 3 || cfg[0] != "HasSesSender" {
			t.Fatalf("EmailConfiguration = %v, want !If [HasSesSender, SES, Cognito]", pool["EmailConfiguration"])
		}
		if at(cfg[1], "EmailSendingAccount") != "DEVELOPER" || !strings.Contains(fmt.Sprint(at(cfg[1], "SourceArn")), ":identity/${SesSenderEmail}") {
			t.Errorf("with a sender: %v, want DEVELOPER with the SES identity's ARN", cfg[1])
		}
		if at(cfg[2], "EmailSendingAccount") != "COGNITO_DEFAULT" {
			t.Errorf("without a sender: %v, want COGNITO_DEFAULT", cfg[2])
		}
		if !reflect.DeepEqual(doc.Conditions["HasSesSender"], []any{[]any{"SesSenderEmail", ""}}) {
			t.Errorf("HasSesSender = %v, want !Not [!Equals [!Ref SesSenderEmail, \"\"]]", doc.Conditions["HasSesSender"])
		}
	})
}

func TestTheEdgeSendsSecurityHeadersAndCompressesTheAPI(t *testing.T) {
	doc := readTemplate(t)
	cfg := at(props(doc, "Distribution"), "DistributionConfig")
	behaviours := []any{at(cfg, "DefaultCacheBehavior")}
	more, _ := at(cfg, "CacheBehaviors").([]any)
	behaviours = append(behaviours, more...)

	t.Run("every behaviour has the response headers policy", func(t *testing.T) {
		for _, b := range behaviours {
			if at(b, "ResponseHeadersPolicyId") != "ResponseHeadersPolicy" {
				t.Errorf("behaviour %v: ResponseHeadersPolicyId = %v, want ResponseHeadersPolicy", at(b, "PathPattern"), at(b, "ResponseHeadersPolicyId"))
			}
		}
	})

	t.Run("every API behaviour compresses and the API cache policy lets it", func(t *testing.T) {
		for _, b := range more {
			if at(b, "TargetOriginId") == "api" && at(b, "Compress") != true {
				t.Errorf("behaviour %v: Compress = %v, want true", at(b, "PathPattern"), at(b, "Compress"))
			}
		}
		key := at(props(doc, "ApiCachePolicy"), "CachePolicyConfig", "ParametersInCacheKeyAndForwardedToOrigin")
		if at(key, "EnableAcceptEncodingGzip") != true || at(key, "EnableAcceptEncodingBrotli") != true {
			t.Errorf("ApiCachePolicy = %v, want gzip and brotli in the key", key)
		}
		if at(props(doc, "ApiCachePolicy"), "CachePolicyConfig", "DefaultTTL") != 0 {
			t.Errorf("ApiCachePolicy DefaultTTL, want 0: API answers are not kept")
		}
	})
}

func TestProdDeploysTheAPIFunctionsAsCanaries(t *testing.T) {
	doc := readTemplate(t)
	if !reflect.DeepEqual(doc.Conditions["IsProd"], []any{"Stage", "prod"}) {
		t.Fatalf("IsProd = %v, want !Equals [!Ref Stage, prod]", doc.Conditions["IsProd"])
	}
	for _, fn := range []string{"PublicApiFunction", "StaffApiFunction", "StaffAdminFunction"} {
		t.Run(fn+" shifts 10 % for 5 minutes in prod and rolls back on its errors alarm", func(t *testing.T) {
			p := props(doc, fn)
			if p["AutoPublishAlias"] != "live" {
				t.Errorf("AutoPublishAlias = %v, want live", p["AutoPublishAlias"])
			}
			pref := p["DeploymentPreference"]
			if !reflect.DeepEqual(at(pref, "Type"), []any{"IsProd", "Canary10Percent5Minutes", "AllAtOnce"}) {
				t.Errorf("DeploymentPreference.Type = %v, want !If [IsProd, Canary10Percent5Minutes, AllAtOnce]", at(pref, "Type"))
			}
			if alarms, _ := at(pref, "Alarms").([]any); !slices.Contains(alarms, any(fn+"ErrorsAlarm")) {
				t.Errorf("DeploymentPreference.Alarms = %v, want %sErrorsAlarm", alarms, fn)
			}
		})
	}
	t.Run("the local gateway still maps every route to its function's logical id", func(t *testing.T) {
		tpl, err := samtemplate.Parse(tracker.TemplateYAML)
		if err != nil {
			t.Fatal(err)
		}
		routes, err := tpl.Routes()
		if err != nil || len(routes) == 0 {
			t.Fatalf("Routes() = %d routes, %v", len(routes), err)
		}
		for _, r := range routes {
			if doc.Resources[r.Function]["Type"] != "AWS::Serverless::Function" {
				t.Errorf("route %s: function %s is not a function of the template", r.RouteKey(), r.Function)
			}
		}
	})
}

func TestTheTableIsBackedUpDailyForAYear(t *testing.T) {
	doc := readTemplate(t)
	rule := at(props(doc, "BackupPlan"), "BackupPlan", "BackupPlanRule", 0)
	if at(rule, "ScheduleExpression") != "BackupSchedule" || at(rule, "Lifecycle", "DeleteAfterDays") != "BackupRetentionDays" || at(rule, "TargetBackupVault") != "BackupVault" {
		t.Errorf("backup rule = %v, want the BackupSchedule, BackupRetentionDays and the vault", rule)
	}
	if p := doc.Parameters["BackupRetentionDays"]; p["Default"] != 365 {
		t.Errorf("BackupRetentionDays = %v, want 365 by default", p)
	}
	if p := doc.Parameters["BackupSchedule"]; !strings.HasPrefix(fmt.Sprint(p["Default"]), "cron(") || strings.Count(fmt.Sprint(p["Default"]), " ") != 5 {
		t.Errorf("BackupSchedule = %v, want a daily cron expression", p)
	}
	sel := at(props(doc, "BackupSelection"), "BackupSelection")
	if at(sel, "IamRoleArn") != "BackupRole.Arn" || !reflect.DeepEqual(at(sel, "Resources"), []any{"Table.Arn"}) || at(props(doc, "BackupSelection"), "BackupPlanId") != "BackupPlan" {
		t.Errorf("BackupSelection = %v, want the table through BackupRole", sel)
	}
	if !strings.Contains(yamlOf(props(doc, "BackupRole")), "service-role/AWSBackupServiceRolePolicyForBackup") {
		t.Errorf("BackupRole lacks AWSBackupServiceRolePolicyForBackup")
	}
	if v := doc.Resources["BackupVault"]; v["DeletionPolicy"] != "Retain" {
		t.Errorf("BackupVault DeletionPolicy = %v, want Retain (its recovery points outlive the stack)", v["DeletionPolicy"])
	}
}

// section returns the text of a "## title" section of a Markdown file.
func section(t *testing.T, path, title string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "\n## "+title+"\n")
	if !ok {
		t.Fatalf("%s has no section %q", path, "## "+title)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func TestOperationsDocKeepsUpWithTheTemplate(t *testing.T) {
	doc := readTemplate(t)
	const ops = "../../docs/operations.md"

	t.Run("every retained resource is in the teardown section", func(t *testing.T) {
		teardown := section(t, ops, "Teardown")
		var retained []string
		for id, r := range doc.Resources {
			if r["DeletionPolicy"] == "Retain" {
				retained = append(retained, id)
			}
		}
		if len(retained) == 0 {
			t.Fatal("no retained resources in the template")
		}
		slices.Sort(retained)
		for _, id := range retained {
			if !strings.Contains(teardown, "`"+id+"`") || !strings.Contains(teardown, "LogicalResourceId=='"+id+"'") {
				t.Errorf("retained resource %s is not named in the teardown section (the list and the describe-stack-resources query)", id)
			}
		}
	})

	t.Run("every teardown command names its region", func(t *testing.T) {
		teardown := section(t, ops, "Teardown")
		for _, line := range strings.Split(teardown, "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "aws ") && !strings.Contains(line, "--region") && !strings.HasPrefix(line, "aws sts ") && !strings.HasSuffix(line, `\`) {
				t.Errorf("teardown command without --region: %s", line)
			}
		}
	})

	t.Run("every alarm has a line in the alarms section", func(t *testing.T) {
		alarms := section(t, ops, "Alarms and what to do when one fires")
		for id, r := range doc.Resources {
			if r["Type"] == "AWS::CloudWatch::Alarm" && !strings.Contains(alarms, "`"+id+"`") {
				t.Errorf("alarm %s has no line in the alarms section", id)
			}
		}
	})
}
