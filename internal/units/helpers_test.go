package units

import (
	"testing"

	"github.com/nq58/tracker/internal/apperr"
)

// wantCode fails the test unless err is an application error with the given code.
func wantCode(t *testing.T, err error, want apperr.Code, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want code %q", what, want)
	}
	if got := apperr.CodeOf(err); got != want {
		t.Errorf("%s: apperr.CodeOf(%v) = %q, want %q", what, err, got, want)
	}
}
