// Package apperr defines the application's error codes and how they reach clients.
// Every error a client may see carries a Code and a Message a person can read;
// anything else is an internal error, logged with context and shown only as "internal error".
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code is a machine-readable error code; the HTTP layer maps each to one status.
type Code string

const (
	Invalid          Code = "invalid"           // malformed request: bad JSON, unknown field, too large
	Validation       Code = "validation"        // well-formed but unacceptable values
	NotFound         Code = "not_found"         // no such resource
	Unauthorized     Code = "unauthorized"      // missing credentials (e.g. attempt token)
	Forbidden        Code = "forbidden"         // wrong credentials
	AlreadySubmitted Code = "already_submitted" // attempt submitted before with other answers
	NotOpen          Code = "not_open"          // quiz not open now
	QuizClosed       Code = "quiz_closed"       // the quiz has closed: no new sheets (an officer may still correct one)
	Conflict         Code = "conflict"          // a concurrent change won
	Expired          Code = "expired"           // past the time limit plus grace
	TooLarge         Code = "too_large"         // body over the limit
	PhoneUnverified  Code = "phone_unverified"  // a contest needs a verified phone (phoneToken)
	RateLimited      Code = "rate_limited"      // too many requests; retry after a while
	SMSBudget        Code = "sms_budget"        // the deployment's hourly SMS budget is spent; retry after the hour
	Locked           Code = "locked"            // too many wrong codes: this verification is locked
	Internal         Code = "internal"          // anything unexpected
)

// Error is an application error safe to show to a client.
type Error struct {
	Code    Code
	Message string
	// RetryAfter, when set, tells the client when to try again (a Retry-After header).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an application error with a formatted, person-readable message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Throttled returns an application error that asks the client to retry after a while.
func Throttled(code Code, after time.Duration, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), RetryAfter: after}
}

// RetryAfterOf returns how long a throttled client should wait, or 0.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// CodeOf returns the code of err, or Internal when err is not an application error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the client-safe message of err: its own for application errors,
// "internal error" for anything else.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
