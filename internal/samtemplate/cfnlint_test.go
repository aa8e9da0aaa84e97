package samtemplate_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cfn-lint's exit status is a bit mask: 2 errors, 4 warnings, 8 informational
// (https://github.com/aws-cloudformation/cfn-lint#exit-codes). Errors and warnings both
// fail: the template has none, and an argued exception belongs in .cfnlintrc.
const cfnLintErrors, cfnLintWarnings = 2, 4

func TestCfnLintFindsNoErrorsOrWarnings(t *testing.T) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatalf("cfn-lint is not on PATH (%v): install it with `pip install cfn-lint==1.51.0`; the template is not checked without it", err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--format", "parseable", "template.yaml")
	cmd.Dir = root // .cfnlintrc there applies
	out, err := cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", bin, err)
	}
	if code&(cfnLintErrors|cfnLintWarnings) != 0 || code > 14 {
		t.Errorf("cfn-lint template.yaml exited %d:\n%s", code, strings.TrimSpace(string(out)))
	}
}
