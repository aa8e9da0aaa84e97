package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
)

// What a contest entry claims: a person's entries per round and a citizen id per person,
// and the staff phones that may not enter.

// ClaimEntry takes one of a person's entries in a round with a conditional counter, so
// concurrent starts by one person get exactly `limit` entries between them.
func (s *Store) ClaimEntry(ctx context.Context, quizID, roundID, person string, limit int) error {
	pk, sk := entryKey(quizID, roundID, person)
	upd := expression.Set(expression.Name(attrEntity), expression.Value(entityEntry)).
		Add(expression.Name(attrEntries), expression.Value(1))
	cond := expression.Name(attrEntries).AttributeNotExists().Or(expression.Name(attrEntries).LessThan(expression.Value(limit)))
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return fmt.Errorf("claim entry: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return conflictOr(err, "claim entry")
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// ClaimCCCD ties a citizen id and a person to each other, one to one, in one transaction
// of two conditional puts: the citizen id's claim names the person and the person's
// claim names the citizen id, each written only when absent or already the same. A
// claim by another person, or of another citizen id by the same person, is a conflict.
func (s *Store) ClaimCCCD(ctx context.Context, quizID, cccdKeyValue, person string) error {
	pk, sk := cccdKey(quizID, cccdKeyValue)
	byID, err := s.putOf(cccdItem{PK: pk, SK: sk, Entity: entityCCCD, Person: person},
		ptr(expression.AttributeNotExists(expression.Name(attrPK)).Or(expression.Name(attrPerson).Equal(expression.Value(person)))))
	if err != nil {
		return fmt.Errorf("claim citizen id: %w", err)
	}
	ppk, psk := personCCCDKey(quizID, person)
	byPerson, err := s.putOf(personCCCDItem{PK: ppk, SK: psk, Entity: entityPersonCCCD, CCCDKey: cccdKeyValue},
		ptr(expression.AttributeNotExists(expression.Name(attrPK)).Or(expression.Name(attrCCCDKey).Equal(expression.Value(cccdKeyValue)))))
	if err != nil {
		return fmt.Errorf("claim citizen id: %w", err)
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{Put: byID}, {Put: byPerson}},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}
	for range 5 {
		out, err := s.db.TransactWriteItems(ctx, in)
		if err == nil {
			s.meter(out.ConsumedCapacity...)
			return nil
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return fmt.Errorf("claim citizen id: %w", err)
		}
		if failedCondition(tce.CancellationReasons, 0) || failedCondition(tce.CancellationReasons, 1) {
			return apperr.Errorf(apperr.Conflict, "claim citizen id: held by another")
		}
		if !transactionConflict(tce.CancellationReasons) {
			return fmt.Errorf("claim citizen id: %w", err)
		}
		// A concurrent claim on one of the items: try again, its outcome decides.
	}
	return fmt.Errorf("claim citizen id: kept conflicting with concurrent claims")
}

func ptr[T any](v T) *T { return &v }

// transactionConflict reports whether a transaction was cancelled by a concurrent one.
func transactionConflict(reasons []types.CancellationReason) bool {
	for _, r := range reasons {
		if aws.ToString(r.Code) == "TransactionConflict" {
			return true
		}
	}
	return false
}

// IsStaffPhone reports whether a person key belongs to a staff account.
func (s *Store) IsStaffPhone(ctx context.Context, person string) (bool, error) {
	pk, sk := staffKey(person)
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk)})
	if err != nil {
		return false, fmt.Errorf("read staff phone: %w", err)
	}
	return out.Item != nil, nil
}

// PutStaffPhones records the (hashed) phones of staff accounts, who may not enter contests.
func (s *Store) PutStaffPhones(ctx context.Context, persons []string) error {
	var reqs []types.WriteRequest
	for _, p := range persons {
		pk, sk := staffKey(p)
		item, err := attributevalue.MarshalMap(staffItem{PK: pk, SK: sk, Entity: entityStaff})
		if err != nil {
			return fmt.Errorf("marshal staff phone: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	return s.batchWrite(ctx, reqs)
}
