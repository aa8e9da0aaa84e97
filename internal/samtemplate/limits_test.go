package samtemplate_test

import (
	"fmt"
	"testing"

	"github.com/nq58/tracker/internal/throttle"
)

// The local gateway runs the public function with no environment of its own, so it
// applies throttle.DefaultLimits: those must be what template.yaml deploys, and the
// deployed function must read every limit parameter.
func TestTheLimitParametersAreWhatTheCodeDefaultsTo(t *testing.T) {
	doc := readTemplate(t)
	vars, _ := at(props(doc, "PublicApiFunction"), "Environment", "Variables").(map[string]any)
	d := throttle.DefaultLimits()
	tests := []struct {
		param, env string
		want       int64
	}{
		{"StartLimitSourceSoft", throttle.EnvSourceSoft, d.Source.Soft},
		{"StartLimitSourceHard", throttle.EnvSourceHard, d.Source.Hard},
		{"StartLimitSourceDailySoft", throttle.EnvSourceDay, d.SourceDaySoft},
		{"StartLimitClientSoft", throttle.EnvClientSoft, d.Client.Soft},
		{"StartLimitClientHard", throttle.EnvClientHard, d.Client.Hard},
		{"VerifyLimitSourceHard", throttle.EnvVerifyHard, d.Verify.Hard},
		{"VerifyLimitSourceDaily", throttle.EnvVerifyDay, d.VerifyDay.Hard},
		{"SmsHourlyBudget", throttle.EnvSMSBudget, d.SMS.Hard},
	}
	for _, tt := range tests {
		t.Run(tt.param+" defaults to the code's value and reaches the function", func(t *testing.T) {
			if got := fmt.Sprint(doc.Parameters[tt.param]["Default"]); got != fmt.Sprint(tt.want) {
				t.Errorf("parameter %s defaults to %s, want %d (throttle.DefaultLimits)", tt.param, got, tt.want)
			}
			if got := vars[tt.env]; got != tt.param {
				t.Errorf("PublicApiFunction %s = %v, want !Ref %s", tt.env, got, tt.param)
			}
		})
	}
}
