// Package snssms sends the contests' phone verification codes as SMS with Amazon SNS
// (Publish to a phone number). It is the AWS side of quiz.SMSSender; the local gateway
// has an outbox instead.
package snssms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"

	"github.com/nq58/tracker/internal/lambdaenv"
	"github.com/nq58/tracker/internal/quiz"
)

var _ quiz.SMSSender = (*Sender)(nil)

// Environment variables the template sets on the public function.
const (
	EnvMonthlySpendLimit = "SMS_MONTHLY_SPEND_LIMIT_USD" // the account's SNS SMS spend limit, USD a month
	EnvSenderID          = "SMS_SENDER_ID"               // optional alphanumeric sender id
)

// Sender publishes transactional SMS. On its first message it sets the account's SNS
// MonthlySpendLimit to the configured value, so SNS stops sending once the month's
// budget is spent.
type Sender struct {
	client     *sns.Client
	spendLimit string
	senderID   string
	log        *slog.Logger
	err        error // the configuration error, returned by every Send
	once       sync.Once
}

// New returns a sender on an SNS client; spendLimitUSD may be empty (leave the account's).
func New(client *sns.Client, spendLimitUSD, senderID string, log *slog.Logger) *Sender {
	return &Sender{client: client, spendLimit: spendLimitUSD, senderID: senderID, log: log}
}

// FromEnv builds a sender from the function's AWS configuration (internal/lambdaenv, not
// config.LoadDefaultConfig) and the variables above. A configuration error is returned
// by Send, so a cold start never fails for want of SMS.
func FromEnv(log *slog.Logger) *Sender {
	cfg, err := lambdaenv.ConfigFor(lambdaenv.SNS)
	if err != nil {
		return &Sender{err: fmt.Errorf("sms sender: %w", err), log: log}
	}
	return New(sns.NewFromConfig(cfg), os.Getenv(EnvMonthlySpendLimit), os.Getenv(EnvSenderID), log)
}

// Send publishes m.Text to m.Phone. Errors carry the SNS error code only, never the
// phone or the text.
func (s *Sender) Send(ctx context.Context, m quiz.SMS) error {
	if s.err != nil {
		return s.err
	}
	s.once.Do(func() {
		if s.spendLimit == "" {
			return
		}
		_, err := s.client.SetSMSAttributes(ctx, &sns.SetSMSAttributesInput{
			Attributes: map[string]string{"MonthlySpendLimit": s.spendLimit},
		})
		if err != nil {
			s.log.WarnContext(ctx, "set SMS monthly spend limit failed", "error", codeOf(err))
		}
	})
	attrs := map[string]types.MessageAttributeValue{
		"AWS.SNS.SMS.SMSType": {DataType: ptr("String"), StringValue: ptr("Transactional")},
	}
	if s.senderID != "" {
		attrs["AWS.SNS.SMS.SenderID"] = types.MessageAttributeValue{DataType: ptr("String"), StringValue: ptr(s.senderID)}
	}
	_, err := s.client.Publish(ctx, &sns.PublishInput{PhoneNumber: &m.Phone, Message: &m.Text, MessageAttributes: attrs})
	if err != nil {
		return fmt.Errorf("sns publish: %s", codeOf(err))
	}
	return nil
}

// codeOf is an AWS error's code, without its message (which may quote the phone).
func codeOf(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return "request failed"
}

func ptr(s string) *string { return &s }
