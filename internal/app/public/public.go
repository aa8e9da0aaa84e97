// Package public wires the resident API function (PublicApiFunction).
package public

import (
	"log/slog"
	"os"
	"time"

	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/metrics"
	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/publicapi"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/throttle"
)

// The store serves every service this function uses.
var (
	_ attempts.Store    = (*dynamo.Store)(nil)
	_ phoneverify.Store = (*dynamo.Store)(nil)
	_ rounds.Store      = (*dynamo.Store)(nil)
)

// New wires store → services → handler; now is the clock (nil: time.Now), sms sends
// the phone verification codes (Amazon SNS in Lambda, an outbox locally), keys makes
// the keyed hashes of phones, CCCDs, devices and sources (the deployment's secret) and
// origin is the secret CloudFront sends in X-Origin-Verify (the template's
// OriginSecret; nil: no viewer address is believed). The start limits and the hourly
// SMS budget come from the environment (throttle.FromEnv); a bad value is logged and
// the defaults apply.
func New(store *dynamo.Store, now func() time.Time, log *slog.Logger, sms phoneverify.SMSSender, keys pseudonym.Keyer, origin []byte) *publicapi.Handler {
	limits, err := throttle.FromEnv(os.Getenv)
	if err != nil {
		log.Error("start limits: using the defaults", "error", err.Error())
	}
	if len(origin) == 0 {
		log.Warn("no origin secret: every source is API Gateway's sourceIp, never CloudFront's viewer address")
	}
	svc := attempts.NewService(store, now).WithPseudonyms(keys).WithThrottle(store, limits)
	phones := phoneverify.NewService(store, svc, now).WithPseudonyms(keys).WithThrottle(store, limits).WithSMS(sms)
	return publicapi.New(svc.WithPhoneVerifier(phones), rounds.NewService(store, now), log).WithPhoneVerification(phones).WithMetrics(metrics.FromEnv(os.Getenv)).WithOriginSecret(origin)
}
