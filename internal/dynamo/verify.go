package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/phoneverify"
)

var _ phoneverify.Store = (*Store)(nil)

// verificationKeep is how long after its last use a verification item stays before TTL
// removes it; the domain checks every expiry itself, TTL only clears the table.
const verificationKeep = 24 * time.Hour

// verificationItem is a sent code and, once confirmed, its phone token (both hashed).
// The phone is kept so the start can use it; TTL removes it with the item.
type verificationItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Entity    string `dynamodbav:"e"`
	QuizID    string `dynamodbav:"quizId"`
	Phone     string `dynamodbav:"phone"`
	CodeHash  string `dynamodbav:"code"`
	CreatedAt int64  `dynamodbav:"createdAt"` // unix ms
	ExpiresAt int64  `dynamodbav:"expiresAt"` // unix ms
	Tries     int    `dynamodbav:"tries"`
	Confirmed bool   `dynamodbav:"confirmed,omitempty"`
	TokenHash string `dynamodbav:"tok,omitempty"`
	TokenExp  int64  `dynamodbav:"tokenExp,omitempty"` // unix ms
	TTL       int64  `dynamodbav:"ttl"`
	QuizKey   string `dynamodbav:"qk,omitempty"` // ByQuiz index: a quiz's verifications, for purges
	QuizSort  string `dynamodbav:"qs,omitempty"`
}

const (
	attrTries     = "tries"
	attrConfirmed = "confirmed"
	attrTokenExp  = "tokenExp"
	attrSent      = "n" // verifications sent in a window, on the VRATE item
)

func (it verificationItem) domain(id string) phoneverify.Verification {
	return phoneverify.Verification{ID: id, QuizID: it.QuizID, Phone: it.Phone, CodeHash: it.CodeHash,
		CreatedAt: time.UnixMilli(it.CreatedAt).UTC(), ExpiresAt: time.UnixMilli(it.ExpiresAt).UTC(),
		Tries: it.Tries, Confirmed: it.Confirmed, TokenHash: it.TokenHash, TokenExpiresAt: time.UnixMilli(it.TokenExp).UTC()}
}

// TakeVerificationSlot counts a verification under a phone's key (see phoneverify.Store)
// in a window with a conditional counter that expires with the window.
func (s *Store) TakeVerificationSlot(ctx context.Context, key string, windowStart, windowEnd time.Time, limit int) error {
	pk, sk := verifyRateKey(key, windowStart)
	upd := expression.Set(expression.Name(attrEntity), expression.Value(entityVRate)).
		Set(expression.Name(attrTTL), expression.Value(windowEnd.Add(verificationKeep).Unix())).
		Add(expression.Name(attrSent), expression.Value(1))
	cond := expression.Name(attrSent).AttributeNotExists().Or(expression.Name(attrSent).LessThan(expression.Value(limit)))
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return fmt.Errorf("take verification slot: %w", err)
	}
	if _, err := s.db.UpdateItem(ctx, in); err != nil {
		return conflictOr(err, "take verification slot")
	}
	return nil
}

// CreateVerification stores a new verification (its random id never repeats).
func (s *Store) CreateVerification(ctx context.Context, v phoneverify.Verification) error {
	pk, sk := verifyKey(v.ID)
	it := verificationItem{PK: pk, SK: sk, Entity: entityVerify, QuizID: v.QuizID, Phone: v.Phone,
		CodeHash: v.CodeHash, CreatedAt: v.CreatedAt.UnixMilli(), ExpiresAt: v.ExpiresAt.UnixMilli(),
		TTL: v.ExpiresAt.Add(verificationKeep).Unix()}
	it.QuizKey, it.QuizSort = verificationIndexKeys(v)
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	in, err := s.putInput(it, &cond)
	if err != nil {
		return fmt.Errorf("create verification: %w", err)
	}
	if _, err := s.db.PutItem(ctx, in); err != nil {
		return conflictOr(err, "create verification")
	}
	return nil
}

// GetVerification reads a verification.
func (s *Store) GetVerification(ctx context.Context, id string) (phoneverify.Verification, error) {
	pk, sk := verifyKey(id)
	var it verificationItem
	ok, err := s.getItem(ctx, pk, sk, &it)
	if err != nil {
		return phoneverify.Verification{}, fmt.Errorf("read verification: %w", err)
	}
	if !ok {
		return phoneverify.Verification{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy yêu cầu xác minh")
	}
	return it.domain(id), nil
}

// TryVerificationCode counts a try on an existing, unconfirmed verification with tries
// left, in one conditional update that returns the item, so concurrent guesses cannot
// exceed the limit.
func (s *Store) TryVerificationCode(ctx context.Context, id string, maxTries int) (phoneverify.Verification, error) {
	pk, sk := verifyKey(id)
	upd := expression.Add(expression.Name(attrTries), expression.Value(1))
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.AttributeNotExists(expression.Name(attrConfirmed))).
		And(expression.Name(attrTries).LessThan(expression.Value(maxTries)))
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return phoneverify.Verification{}, fmt.Errorf("try verification code: %w", err)
	}
	in.ReturnValues = types.ReturnValueAllNew
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return phoneverify.Verification{}, conflictOr(err, "try verification code")
	}
	var it verificationItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return phoneverify.Verification{}, fmt.Errorf("decode verification: %w", err)
	}
	return it.domain(id), nil
}

// ConfirmVerification records the phone token's hash and expiry, once.
func (s *Store) ConfirmVerification(ctx context.Context, id, tokenHash string, tokenExpiresAt time.Time) error {
	pk, sk := verifyKey(id)
	upd := expression.Set(expression.Name(attrConfirmed), expression.Value(true)).
		Set(expression.Name(attrTokenHash), expression.Value(tokenHash)).
		Set(expression.Name(attrTokenExp), expression.Value(tokenExpiresAt.UnixMilli())).
		Set(expression.Name(attrTTL), expression.Value(tokenExpiresAt.Add(verificationKeep).Unix()))
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.AttributeNotExists(expression.Name(attrConfirmed)))
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return fmt.Errorf("confirm verification: %w", err)
	}
	if _, err := s.db.UpdateItem(ctx, in); err != nil {
		return conflictOr(err, "confirm verification")
	}
	return nil
}
