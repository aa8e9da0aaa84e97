// Package throttle decides how many attempt starts a source (the viewer's address) and
// a client (the device's clientId) may make in a fixed window: under the soft limit an
// attempt counts normally, between the soft and the hard limit it is stored but marked
// suspect (counted apart in the figures), above the hard limit it is refused with 429
// rate_limited and Retry-After. A source's starts past a daily soft limit are suspect
// too, so a source cannot fill a village by pacing itself window by window. It also limits the verification codes (SMS) a source
// may ask for, and the SMS of the whole deployment in an hour (the SMS budget). The
// decision is here; it imports no AWS package.
//
// Storage keeps the counts. A source has one counter item per day (Vietnam time) that
// holds the day's count and the current window's, both added by one write. A source is
// an address, what an attacker cannot rotate for free, provided it is the real one (see
// Source: a viewer address counts only on a request that carries the origin secret,
// which only CloudFront sends); an IPv6 source is its /64, which one subscriber gets
// whole (see Network). A clientId is whatever the client says, so a client limit can
// only ever bind a client that keeps its id and its token; a client that drops them is
// a new client, exactly as one that invents a new id, and meets the source's limit.
// A client's first start in a window writes nothing and answers a sealed ClientMark;
// a start that brings the mark back counts in a counter item keyed by the client, so a
// replayed token counts on. Telling a replay from a fresh token needs a write, and this
// way only a device's repeat starts pay it, while most residents start once (the
// per-attempt write budget measured in docs/speed.md).
package throttle

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Rule limits starts per key in fixed windows of Window: the Soft-th start is the last
// that counts normally, the Hard-th the last that is accepted at all.
type Rule struct {
	Window time.Duration
	Soft   int64
	Hard   int64
}

// Limits are the rules for sources and clients, for a source's verification codes in an
// hour and in a day (only Hard applies: a code is sent or not) and for the SMS of the
// whole deployment (the hourly budget: one counter for everyone, Hard SMS an hour).
type Limits struct {
	Source    Rule
	Client    Rule
	Verify    Rule
	VerifyDay Rule
	SMS       Rule
	// SourceDaySoft is the last of a source's starts in a day (Vietnam time) that counts
	// normally: past it every start is suspect, whatever its window says, so an address
	// that paces itself under the window's soft limit cannot fill a village over the day.
	SourceDaySoft int64
}

// DefaultLimits let a village meeting of 80 people on one Wi-Fi (one address) all start
// within two minutes without being suspect, while one device is limited much harder.
func DefaultLimits() Limits {
	return Limits{
		Source: Rule{Window: 2 * time.Minute, Soft: 100, Hard: 200},
		Client: Rule{Window: 10 * time.Minute, Soft: 5, Hard: 10},
		// Every code is an SMS we pay for: 600 SMS cost about 50 USD (the 50 USD
		// monthly SMS cap holds about 600), so one SMS is about 0.08 USD. A bot rotating
		// phone numbers from one address stops at 20 an hour and 40 a day: about 3 USD
		// a day, where 100 per 10 minutes let it spend the month's cap in an hour. A
		// person needs one code per contest (the phone token lasts the contest), so a
		// family or a café on one address gets through; a meeting that verifies many
		// phones on one Wi-Fi meets the limit and verifies on mobile data, or the
		// operator raises the parameters for the day (template.yaml).
		Verify:    Rule{Window: time.Hour, Soft: 20, Hard: 20},
		VerifyDay: Rule{Window: 24 * time.Hour, Soft: 40, Hard: 40},
		// What the commune pays for SMS in an hour whoever asks: a bot on many addresses
		// (or many phones) stops here, and an alarm fires before it is reached.
		SMS: Rule{Window: time.Hour, Soft: 100, Hard: 100},
		// A commune hall holds a few meetings a day on one Wi-Fi: three of 80–100
		// people count in full; a 300-resident village cannot be filled from one address
		// (the 4-window attack of issue 22 left 400 participants in a village of 297).
		SourceDaySoft: 300,
	}
}

// SharedSourceStarts is the daily start count from which a source is a shared one (more
// than a household on one connection): its attempts then carry the source's tag
// (SourceTag), so the figures can tell how much of a village one address made. A
// household's few starts carry none, which keeps the village counters small.
const SharedSourceStarts = 5

// SourceTag is the short form of a source's key that a shared source's attempts carry:
// 32 bits of the keyed hash, enough to tell the few shared sources of one village apart
// (a collision only makes a village look more concentrated) and never the address.
func SourceTag(key string) string {
	if len(key) > 8 {
		return key[:8]
	}
	return key
}

// dayZone is Vietnam time (UTC+7, no daylight saving): a day's count restarts at
// local midnight, between the evening and the morning meetings.
var dayZone = time.FixedZone("ICT", 7*60*60)

// DayStart is the start of the day (Vietnam time) that holds now.
func DayStart(now time.Time) time.Time {
	y, m, d := now.In(dayZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, dayZone)
}

// DecideDay judges a start that is the inDay-th of its source today: past the daily soft
// limit it is suspect, never refused (a long day at the commune hall is legitimate).
func DecideDay(l Limits, inDay int64) Verdict {
	return Verdict{Allowed: true, Suspect: l.SourceDaySoft > 0 && inDay > l.SourceDaySoft}
}

// Scopes name the kinds of keys: counted sources (starts, verification codes in an hour
// and in a day), clients (their repeat starts) and the deployment's SMS (one key,
// SMSBudgetKey).
const (
	ScopeSource    = "src"
	ScopeVerify    = "vfy"
	ScopeVerifyDay = "vfd"
	ScopeClient    = "cli"
	ScopeSMS       = "sms"
)

// SMSBudgetKey is the one key of the hourly SMS budget: every SMS of the deployment
// counts in the same hour's item.
const SMSBudgetKey = "all"

// ClientMark is what a client token says: the client of Key (KeyOf(secret, ScopeClient,
// clientId)) started in the client window starting at Window (unix seconds). The server
// seals it; the client sends it back with its next start.
type ClientMark struct {
	Key    string `json:"c"`
	Window int64  `json:"w"`
}

// MarkOf is the mark of client key's start at now.
func MarkOf(r Rule, key string, now time.Time) ClientMark {
	return ClientMark{Key: key, Window: r.WindowStart(now).Unix()}
}

// Returning tells whether a start of client key at now brings back the mark of an
// earlier start in the same window: then its count is the stored count of the window's
// returning starts plus one (the first, which stored nothing), else it is the first.
func (m ClientMark) Returning(r Rule, key string, now time.Time) bool {
	return m == MarkOf(r, key, now)
}

// WindowStart is the start of the fixed window of rule that holds now.
func (r Rule) WindowStart(now time.Time) time.Time { return now.UTC().Truncate(r.Window) }

// Verdict is the decision for one start.
type Verdict struct {
	Allowed    bool
	Suspect    bool
	RetryAfter time.Duration // when refused: until the window ends
}

// Decide judges the count-th start in the current window of rule (count includes this
// start; storage stops counting above Hard, so any count above it means refused).
func Decide(r Rule, count int64, now time.Time) Verdict {
	if r.Hard > 0 && count > r.Hard {
		retry := r.WindowStart(now).Add(r.Window).Sub(now.UTC())
		if retry < time.Second {
			retry = time.Second
		}
		return Verdict{RetryAfter: retry}
	}
	return Verdict{Allowed: true, Suspect: r.Soft > 0 && count > r.Soft}
}

// Combine joins the verdicts of several rules: refused if any refuses (retry after the
// longest wait), suspect if any says so.
func Combine(vs ...Verdict) Verdict {
	out := Verdict{Allowed: true}
	for _, v := range vs {
		if !v.Allowed {
			out.Allowed = false
			out.RetryAfter = max(out.RetryAfter, v.RetryAfter)
		}
		out.Suspect = out.Suspect || v.Suspect
	}
	if !out.Allowed {
		out.Suspect = false
	}
	return out
}

// RetryAfterSeconds is a Retry-After header value: whole seconds, rounded up, at least 1.
func RetryAfterSeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// ViewerAddressHeader is the header CloudFront adds with the viewer's address and port;
// CloudFront overwrites any value a client sends.
const ViewerAddressHeader = "cloudfront-viewer-address"

// OriginVerifyHeader carries the origin secret: CloudFront adds it to every request it
// sends to the API (an origin custom header), and the local gateway does the same. A
// request without it did not come through CloudFront (it called the API's own address),
// so its viewer address is whatever the caller wrote.
const OriginVerifyHeader = "x-origin-verify"

// Source returns the source a request counts as: the Network of CloudFront's viewer
// address without its port ("203.0.113.5:46532", "[2001:db8::1]:443") when the request
// proves it came through CloudFront (OriginVerifyHeader equals originSecret), else of API
// Gateway's sourceIp. With no origin secret the viewer address is never trusted. A
// client-supplied X-Forwarded-For is never used. headers are lower-case, as API
// Gateway hands them over. Every limit keyed by source (starts, codes) counts this
// value, so an attacker rotating addresses within a /64 is one source for all of them.
func Source(headers map[string]string, sourceIP string, originSecret []byte) string {
	if FromOrigin(headers, originSecret) {
		if v := strings.TrimSpace(headers[ViewerAddressHeader]); v != "" {
			return Network(StripPort(v))
		}
	}
	return Network(StripPort(strings.TrimSpace(sourceIP)))
}

// Network is the part of an address that one subscriber holds: an IPv4 address itself
// (an IPv4-mapped IPv6 address is its IPv4 address), an IPv6 address's /64 prefix
// ("2001:db8:1:2::/64"). RFC 6177 recommends giving each subscriber site at least a /64
// and SLAAC's privacy addresses (RFC 8981) change the lower 64 bits at will, so one
// device or home can use any address of its /64: counting addresses would give it
// 2^64 sources. A value that is not an address is kept as it is.
func Network(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is4() {
		return ip.String()
	}
	return netip.PrefixFrom(ip, 64).Masked().String()
}

// FromOrigin tells whether the request carries the origin secret. The comparison is in
// constant time over hashes of both, so neither the secret's bytes nor its length leak
// through timing; an empty secret matches nothing.
func FromOrigin(headers map[string]string, originSecret []byte) bool {
	got, ok := headers[OriginVerifyHeader]
	if len(originSecret) == 0 || !ok {
		return false
	}
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256(originSecret)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// StripPort removes the port of "host:port" or "[v6]:port"; a bare address is kept.
func StripPort(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return strings.Trim(addr, "[]")
}

// KeyOf is the stored form of a source or client: a keyed hash (HMAC-SHA-256 with the
// deployment's secret, truncated), so no address or device id is stored raw.
func KeyOf(secret []byte, scope, value string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(scope + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Counter is what the limiter needs from storage: count one start (or code) of key in
// the window starting at windowStart, atomically, and return the count including it
// (past the hard limit too: Decide refuses it).
type Counter interface {
	CountStart(ctx context.Context, scope, key string, windowStart time.Time, window time.Duration) (int64, error)
	// CountStartDay counts one start of key both in the window starting at windowStart
	// and in the day starting at dayStart, in one write, and returns both counts
	// including it.
	CountStartDay(ctx context.Context, scope, key string, dayStart, windowStart time.Time, window time.Duration) (inWindow, inDay int64, err error)
}

// Environment variables that configure the limiter (template parameters in AWS; the
// benchmark raises them for itself).
const (
	EnvSourceSoft = "START_LIMIT_SOURCE_SOFT"
	EnvSourceHard = "START_LIMIT_SOURCE_HARD"
	EnvSourceDay  = "START_LIMIT_SOURCE_DAILY_SOFT"
	EnvClientSoft = "START_LIMIT_CLIENT_SOFT"
	EnvClientHard = "START_LIMIT_CLIENT_HARD"
	EnvVerifyHard = "VERIFY_LIMIT_SOURCE_HARD"
	EnvVerifyDay  = "VERIFY_LIMIT_SOURCE_DAILY"
	EnvSMSBudget  = "SMS_HOURLY_BUDGET"
)

// FromEnv reads the limits; unset values keep the defaults.
func FromEnv(getenv func(string) string) (Limits, error) {
	l := DefaultLimits()
	for _, v := range []struct {
		name string
		dst  *int64
	}{{EnvSourceSoft, &l.Source.Soft}, {EnvSourceHard, &l.Source.Hard}, {EnvSourceDay, &l.SourceDaySoft}, {EnvClientSoft, &l.Client.Soft}, {EnvClientHard, &l.Client.Hard},
		{EnvVerifyHard, &l.Verify.Hard}, {EnvVerifyDay, &l.VerifyDay.Hard}, {EnvSMSBudget, &l.SMS.Hard}} {
		s := strings.TrimSpace(getenv(v.name))
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return DefaultLimits(), fmt.Errorf("%s=%q: want a positive whole number", v.name, s)
		}
		*v.dst = n
	}
	l.Verify.Soft = l.Verify.Hard // a code is sent or refused, never suspect
	l.VerifyDay.Soft = l.VerifyDay.Hard
	l.SMS.Soft = l.SMS.Hard
	if l.Source.Soft > l.Source.Hard || l.Client.Soft > l.Client.Hard {
		return DefaultLimits(), fmt.Errorf("a soft start limit is above its hard limit")
	}
	return l, nil
}
