package localgw

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/nq58/tracker/internal/phoneverify"
)

// Outbox is the local SMS sender: it keeps the messages the public function sends
// (Amazon SNS in AWS) so the developer, and tests, can read the codes at GET /local/sms.
type Outbox struct {
	now func() time.Time
	mu  sync.Mutex
	msg []OutboxMessage
}

// OutboxMessage is one sent verification code.
type OutboxMessage struct {
	Phone  string    `json:"phone"`
	Code   string    `json:"code"`
	SentAt time.Time `json:"sentAt"`
}

// NewOutbox returns an empty outbox; now is the clock (nil: time.Now).
func NewOutbox(now func() time.Time) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{now: now}
}

// Send keeps the message.
func (o *Outbox) Send(_ context.Context, m phoneverify.SMS) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msg = append(o.msg, OutboxMessage{Phone: m.Phone, Code: m.Code, SentAt: o.now().UTC()})
	return nil
}

// Messages returns the messages whose code is still valid, oldest first. A message is
// forgotten once its code expires (phoneverify.CodeLife): the outbox holds phones, and nothing
// needs them after that.
func (o *Outbox) Messages() []OutboxMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	cutoff := o.now().Add(-phoneverify.CodeLife)
	kept := o.msg[:0]
	for _, m := range o.msg {
		if !m.SentAt.Before(cutoff) {
			kept = append(kept, m)
		}
	}
	o.msg = kept
	return append([]OutboxMessage{}, o.msg...)
}

// ServeHTTP answers GET /local/sms: {"messages":[{"phone","code","sentAt"}]}.
func (o *Outbox) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"messages": o.Messages()})
}
