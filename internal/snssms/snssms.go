// Package snssms sends the contests' phone verification codes as SMS with Amazon SNS
// (Publish to a phone number). It is the AWS side of phoneverify.SMSSender; the local gateway
// has an outbox instead.
package snssms

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"

	"github.com/nq58/tracker/internal/lambdaenv"
	"github.com/nq58/tracker/internal/phoneverify"
)

var _ phoneverify.SMSSender = (*Sender)(nil)

// EnvSenderID is the optional alphanumeric sender id the template sets on the public
// function.
const EnvSenderID = "SMS_SENDER_ID"

// Sender publishes transactional SMS. It never changes the account's SMS settings: the
// monthly spend limit is account-wide (one value for every stack in the account and
// region), so `make deploy` sets it, and the function's role cannot.
// https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
type Sender struct {
	client   *sns.Client
	senderID string
	err      error // the configuration error, returned by every Send
}

// New returns a sender on an SNS client.
func New(client *sns.Client, senderID string) *Sender {
	return &Sender{client: client, senderID: senderID}
}

// FromEnv builds a sender from the function's AWS configuration (internal/lambdaenv, not
// config.LoadDefaultConfig) and the variables above. A configuration error is returned
// by Send, so a cold start never fails for want of SMS.
func FromEnv() *Sender {
	cfg, err := lambdaenv.ConfigFor(lambdaenv.SNS)
	if err != nil {
		return &Sender{err: fmt.Errorf("sms sender: %w", err)}
	}
	return New(sns.NewFromConfig(cfg), os.Getenv(EnvSenderID))
}

// Send publishes m.Text to m.Phone. Errors carry the SNS error code only, never the
// phone or the text.
func (s *Sender) Send(ctx context.Context, m phoneverify.SMS) error {
	if s.err != nil {
		return s.err
	}
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
