// Package app holds one wiring per Lambda function of template.yaml, in a subpackage
// each (public, staff, stream, maintenance) so that a function's bootstrap links only
// what that function uses. functions/<name>/main.go and the local gateway both call
// them, so a handler is wired the same way in AWS and locally.
package app
