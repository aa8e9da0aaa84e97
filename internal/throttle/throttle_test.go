package throttle

import (
	"testing"
	"time"
)

func TestTheLimiterDecision(t *testing.T) {
	rule := Rule{Window: 2 * time.Minute, Soft: 100, Hard: 200}
	at := time.Date(2026, 11, 20, 2, 0, 30, 0, time.UTC) // 30 s into a window
	tests := []struct {
		name  string
		count int64
		want  Verdict
	}{
		{"the first start counts normally", 1, Verdict{Allowed: true}},
		{"the start at the soft limit still counts normally", 100, Verdict{Allowed: true}},
		{"a start past the soft limit is accepted but suspect", 101, Verdict{Allowed: true, Suspect: true}},
		{"the start at the hard limit is still accepted as suspect", 200, Verdict{Allowed: true, Suspect: true}},
		{"a start past the hard limit is refused until the window ends", 201, Verdict{RetryAfter: 90 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decide(rule, tt.count, at); got != tt.want {
				t.Errorf("Decide(%d) = %+v, want %+v", tt.count, got, tt.want)
			}
		})
	}
}

func TestVerdictsCombine(t *testing.T) {
	ok, sus := Verdict{Allowed: true}, Verdict{Allowed: true, Suspect: true}
	tests := []struct {
		name string
		in   []Verdict
		want Verdict
	}{
		{"all normal is normal", []Verdict{ok, ok}, ok},
		{"one suspect makes the start suspect", []Verdict{ok, sus}, sus},
		{"one refusal refuses, with the longest wait", []Verdict{sus, {RetryAfter: 5 * time.Second}, {RetryAfter: 70 * time.Second}},
			Verdict{RetryAfter: 70 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Combine(tt.in...); got != tt.want {
				t.Errorf("Combine = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestTheSourceOfARequest(t *testing.T) {
	tests := []struct {
		name     string
		headers  map[string]string
		sourceIP string
		want     string
	}{
		{"CloudFront's IPv4 viewer address loses its port", map[string]string{"cloudfront-viewer-address": "203.0.113.5:46532"}, "198.51.100.1", "203.0.113.5"},
		{"CloudFront's IPv6 viewer address loses brackets and port", map[string]string{"cloudfront-viewer-address": "[2001:db8::1]:443"}, "198.51.100.1", "2001:db8::1"},
		{"without CloudFront the gateway's source IP is used", map[string]string{}, "198.51.100.1", "198.51.100.1"},
		{"X-Forwarded-For is never used", map[string]string{"x-forwarded-for": "10.9.9.9"}, "198.51.100.1", "198.51.100.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Source(tt.headers, tt.sourceIP); got != tt.want {
				t.Errorf("Source = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKeysAreKeyedHashes(t *testing.T) {
	a := KeyOf([]byte("secret-a"), ScopeSource, "203.0.113.5")
	b := KeyOf([]byte("secret-b"), ScopeSource, "203.0.113.5")
	if a == b {
		t.Errorf("the same address under two secrets gives one key %q", a)
	}
	if got := KeyOf([]byte("secret-a"), ScopeSource, "203.0.113.5"); got != a {
		t.Errorf("KeyOf is not stable: %q then %q", a, got)
	}
	if len(a) != 32 {
		t.Errorf("key length = %d, want 32 hex digits", len(a))
	}
}

func TestLimitsFromTheEnvironment(t *testing.T) {
	env := map[string]string{EnvSourceSoft: "5000", EnvSourceHard: "10000", EnvVerifyHard: "40"}
	got, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultLimits()
	want.Source.Soft, want.Source.Hard = 5000, 10000
	want.Verify.Soft, want.Verify.Hard = 40, 40 // a code is sent or refused: never suspect
	if got != want {
		t.Errorf("limits = %+v, want %+v", got, want)
	}
	env[EnvClientSoft] = "50" // above the client's hard limit of 10
	if _, err := FromEnv(func(k string) string { return env[k] }); err == nil {
		t.Errorf("a soft limit above the hard limit was accepted")
	}
}
