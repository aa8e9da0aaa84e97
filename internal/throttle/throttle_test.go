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
	secret := []byte("origin-secret-0123456789")
	viaCloudFront := func(viewer string) map[string]string {
		return map[string]string{"cloudfront-viewer-address": viewer, "x-origin-verify": string(secret)}
	}
	tests := []struct {
		name     string
		headers  map[string]string
		sourceIP string
		secret   []byte
		want     string
	}{
		{"CloudFront's IPv4 viewer address loses its port", viaCloudFront("203.0.113.5:46532"), "198.51.100.1", secret, "203.0.113.5"},
		{"CloudFront's IPv6 viewer address is its /64", viaCloudFront("[2001:db8::1]:443"), "198.51.100.1", secret, "2001:db8::/64"},
		{"the gateway's IPv6 source IP is its /64", map[string]string{}, "2001:db8:5:6:7::8", secret, "2001:db8:5:6::/64"},
		{"without CloudFront the gateway's source IP is used", map[string]string{}, "198.51.100.1", secret, "198.51.100.1"},
		{"with the secret but no viewer address the gateway's source IP is used", map[string]string{"x-origin-verify": string(secret)}, "198.51.100.1", secret, "198.51.100.1"},
		{"a viewer address without the origin secret is ignored", map[string]string{"cloudfront-viewer-address": "203.0.113.5:46532"}, "198.51.100.1", secret, "198.51.100.1"},
		{"a viewer address with a wrong origin secret is ignored", map[string]string{"cloudfront-viewer-address": "203.0.113.5:46532", "x-origin-verify": "guess"}, "198.51.100.1", secret, "198.51.100.1"},
		{"a viewer address with the secret's prefix is ignored", map[string]string{"cloudfront-viewer-address": "203.0.113.5:46532", "x-origin-verify": string(secret[:10])}, "198.51.100.1", secret, "198.51.100.1"},
		{"with no origin secret configured a viewer address is never trusted", map[string]string{"cloudfront-viewer-address": "203.0.113.5:46532", "x-origin-verify": ""}, "198.51.100.1", nil, "198.51.100.1"},
		{"X-Forwarded-For is never used", map[string]string{"x-forwarded-for": "10.9.9.9", "x-origin-verify": string(secret)}, "198.51.100.1", secret, "198.51.100.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Source(tt.headers, tt.sourceIP, tt.secret); got != tt.want {
				t.Errorf("Source = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAnIPv6SourceIsItsSlashSixtyFour(t *testing.T) {
	tests := []struct {
		name, addr, want string
	}{
		{"an IPv4 address is itself", "203.0.113.5", "203.0.113.5"},
		{"an IPv4-mapped IPv6 address is its IPv4 address", "::ffff:203.0.113.5", "203.0.113.5"},
		{"an IPv6 address is its /64", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"another interface id in the same /64 is the same source", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
		{"the next /64 is another source", "2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"an upper-case, zero-padded spelling is the same source", "2001:0DB8:0001:0002::0009", "2001:db8:1:2::/64"},
		{"a zone is dropped", "fe80::1%eth0", "fe80::/64"},
		{"a value that is not an address is kept", "unknown", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Network(tt.addr); got != tt.want {
				t.Errorf("Network(%q) = %q, want %q", tt.addr, got, tt.want)
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
	env := map[string]string{EnvSourceSoft: "5000", EnvSourceHard: "10000", EnvVerifyHard: "40", EnvVerifyDay: "90", EnvSMSBudget: "30"}
	got, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultLimits()
	want.Source.Soft, want.Source.Hard = 5000, 10000
	want.Verify.Soft, want.Verify.Hard = 40, 40 // a code is sent or refused: never suspect
	want.VerifyDay.Soft, want.VerifyDay.Hard = 90, 90
	want.SMS.Soft, want.SMS.Hard = 30, 30
	if got != want {
		t.Errorf("limits = %+v, want %+v", got, want)
	}
	t.Run("the SMS budget is 100 an hour when unset", func(t *testing.T) {
		got, err := FromEnv(func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		if want := (Rule{Window: time.Hour, Soft: 100, Hard: 100}); got.SMS != want {
			t.Errorf("SMS budget = %+v, want %+v", got.SMS, want)
		}
	})
	t.Run("a source gets 20 codes an hour and 40 a day when unset", func(t *testing.T) {
		got, err := FromEnv(func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ got, want Rule }{
			{got.Verify, Rule{Window: time.Hour, Soft: 20, Hard: 20}},
			{got.VerifyDay, Rule{Window: 24 * time.Hour, Soft: 40, Hard: 40}},
		} {
			if c.got != c.want {
				t.Errorf("code limit = %+v, want %+v", c.got, c.want)
			}
		}
	})
	t.Run("an SMS budget of zero is refused", func(t *testing.T) {
		if _, err := FromEnv(func(k string) string { return map[string]string{EnvSMSBudget: "0"}[k] }); err == nil {
			t.Errorf("SMS_HOURLY_BUDGET=0 was accepted")
		}
	})
	env[EnvClientSoft] = "50" // above the client's hard limit of 10
	if _, err := FromEnv(func(k string) string { return env[k] }); err == nil {
		t.Errorf("a soft limit above the hard limit was accepted")
	}
}

func TestASourcesStartsPastTheDailySoftLimitAreSuspect(t *testing.T) {
	l := DefaultLimits()
	tests := []struct {
		name  string
		inDay int64
		want  Verdict
	}{
		{"the first start of the day counts", 1, Verdict{Allowed: true}},
		{"the 300th start of the day still counts", 300, Verdict{Allowed: true}},
		{"the 301st start of the day is suspect, not refused", 301, Verdict{Allowed: true, Suspect: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DecideDay(l, tt.inDay); got != tt.want {
				t.Errorf("DecideDay(%d) = %+v, want %+v", tt.inDay, got, tt.want)
			}
		})
	}
	t.Run("the day starts at midnight in Vietnam", func(t *testing.T) {
		now := time.Date(2026, 11, 20, 16, 59, 0, 0, time.UTC) // 23:59 in Vietnam
		if got, want := DayStart(now), time.Date(2026, 11, 19, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("DayStart(%v) = %v, want %v", now, got, want)
		}
		if got, want := DayStart(now.Add(time.Minute)), time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("DayStart(%v) = %v, want %v", now.Add(time.Minute), got, want)
		}
	})
	t.Run("the daily soft limit comes from the environment", func(t *testing.T) {
		got, err := FromEnv(func(k string) string { return map[string]string{EnvSourceDay: "900"}[k] })
		if err != nil || got.SourceDaySoft != 900 {
			t.Errorf("SourceDaySoft = %d (%v), want 900", got.SourceDaySoft, err)
		}
	})
}
