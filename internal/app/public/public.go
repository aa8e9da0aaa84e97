// Package public wires the resident API function (PublicApiFunction).
package public

import (
	"log/slog"
	"time"

	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/publicapi"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/rounds"
)

// The store serves every service this function uses.
var (
	_ quiz.Store   = (*dynamo.Store)(nil)
	_ rounds.Store = (*dynamo.Store)(nil)
)

// New wires store → services → handler; now is the clock (nil: time.Now) and sms sends
// the phone verification codes (Amazon SNS in Lambda, an outbox locally).
func New(store *dynamo.Store, now func() time.Time, log *slog.Logger, sms quiz.SMSSender) *publicapi.Handler {
	return publicapi.New(quiz.NewService(store, now).WithSMS(sms), rounds.NewService(store, now), log)
}
