// Package apperrtest holds the test check that an error carries an application error
// code, shared by the packages whose tests assert codes.
package apperrtest

import (
	"testing"

	"github.com/nq58/tracker/internal/apperr"
)

// WantCode fails the test unless err is an application error with the given code.
func WantCode(t testing.TB, err error, want apperr.Code, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want code %q", what, want)
	}
	if got := apperr.CodeOf(err); got != want {
		t.Fatalf("%s: apperr.CodeOf(%v) = %q, want %q", what, err, got, want)
	}
}
