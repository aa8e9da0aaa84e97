package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

// ClaimEntry takes one of a person's entries in a round with a conditional counter, so
// concurrent starts by one person get exactly `limit` entries between them.
func (s *Store) ClaimEntry(ctx context.Context, quizID, roundID, person string, limit int) error {
	pk, sk := entryKey(quizID, roundID, person)
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: key(pk, sk),
		UpdateExpression:    aws.String("SET e = :e ADD n :one"),
		ConditionExpression: aws.String("attribute_not_exists(n) OR n < :limit"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":e": &types.AttributeValueMemberS{Value: "entry"}, ":one": &types.AttributeValueMemberN{Value: "1"},
			":limit": &types.AttributeValueMemberN{Value: strconv.Itoa(limit)},
		},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return conflictOr(err, "claim entry")
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// ClaimCCCD ties a citizen id to the first person who enters with it.
func (s *Store) ClaimCCCD(ctx context.Context, quizID, cccdKeyValue, person string) error {
	pk, sk := cccdKey(quizID, cccdKeyValue)
	item := key(pk, sk)
	item[attrEntity] = &types.AttributeValueMemberS{Value: "cccd"}
	item["person"] = &types.AttributeValueMemberS{Value: person}
	out, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table, Item: item,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR person = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: person}},
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return conflictOr(err, "claim citizen id")
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
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
		item := key(pk, sk)
		item[attrEntity] = &types.AttributeValueMemberS{Value: "staff"}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	return s.batchWrite(ctx, reqs)
}

var errBadCursor = apperr.Errorf(apperr.Validation, "Con trỏ trang (cursor) không hợp lệ")

// PutResults stores a round's results once; a second write is a conflict.
func (s *Store) PutResults(ctx context.Context, r contest.Results) error {
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	pk, sk := resultKey(r.QuizID, r.RoundID)
	item := key(pk, sk)
	item[attrEntity] = &types.AttributeValueMemberS{Value: "results"}
	item["body"] = &types.AttributeValueMemberS{Value: string(body)}
	item["digest"] = &types.AttributeValueMemberS{Value: r.Digest}
	out, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return conflictOr(err, "store round results")
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// GetResults reads a round's results.
func (s *Store) GetResults(ctx context.Context, quizID, roundID string) (contest.Results, error) {
	pk, sk := resultKey(quizID, roundID)
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return contest.Results{}, fmt.Errorf("read results: %w", err)
	}
	if out.Item == nil {
		return contest.Results{}, apperr.Errorf(apperr.NotFound, "Vòng thi chưa có kết quả")
	}
	var r contest.Results
	body, _ := out.Item["body"].(*types.AttributeValueMemberS)
	if body == nil || json.Unmarshal([]byte(body.Value), &r) != nil {
		return contest.Results{}, fmt.Errorf("decode results %s/%s", quizID, roundID)
	}
	return r, nil
}

// Disqualify takes an entry out of its round's ranking (it stays in the index, unranked,
// for the audit export) and records the decision, in one transaction.
func (s *Store) Disqualify(ctx context.Context, a quiz.Attempt, d contest.Decision) error {
	pk, sk := attemptKey(a.ID)
	body, err := json.Marshal(d)
	if err != nil {
		return err
	}
	decision := key(decisionKey(d.QuizID, d.At.UTC().Format(timeLayout), a.ID))
	decision[attrEntity] = &types.AttributeValueMemberS{Value: "decision"}
	decision["body"] = &types.AttributeValueMemberS{Value: string(body)}
	items := []types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.table, Key: key(pk, sk),
			UpdateExpression:    aws.String("SET ranked = :f, rs = :rs, dq = :dq"),
			ConditionExpression: aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":f": &types.AttributeValueMemberBOOL{Value: false}, ":dq": &types.AttributeValueMemberS{Value: d.Reason},
				":rs": &types.AttributeValueMemberS{Value: roundSK(false, int(math.Round(a.ScorePercent()*1000)), a.ID)}}}},
		{Put: &types.Put{TableName: &s.table, Item: decision}},
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return fmt.Errorf("disqualify: %w", err)
	}
	s.meter(out.ConsumedCapacity...)
	return nil
}

// ListDecisions returns a contest's disqualifications, oldest first.
func (s *Store) ListDecisions(ctx context.Context, quizID string) ([]contest.Decision, error) {
	items, err := s.partition(ctx, decisionPK(quizID))
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	out := make([]contest.Decision, 0, len(items))
	for _, item := range items {
		var d contest.Decision
		body, _ := item["body"].(*types.AttributeValueMemberS)
		if body == nil || json.Unmarshal([]byte(body.Value), &d) != nil {
			return nil, fmt.Errorf("decode decision")
		}
		out = append(out, d)
	}
	return out, nil
}

var ()

// EachAttempt calls fn for every submitted attempt of a quiz: through the round index
// for a contest, else by scanning attempts (a rare staff operation).
func (s *Store) EachAttempt(ctx context.Context, q quiz.Quiz, fn func(quiz.Attempt) error) error {
	if q.Contest != nil {
		for _, r := range q.Contest.Rounds {
			cursor := ""
			for {
				list, next, err := s.RoundPage(ctx, q.ID, r.ID, cursor, 500)
				if err != nil {
					return err
				}
				for _, a := range list {
					if err := fn(a); err != nil {
						return err
					}
				}
				if next == "" {
					break
				}
				cursor = next
			}
		}
		return nil
	}
	items, err := s.scanEntities(ctx, entityAttempt)
	if err != nil {
		return err
	}
	for _, item := range items {
		a, _, err := AttemptFromItem(item)
		if err != nil {
			return err
		}
		if a.QuizID == q.ID && a.Status == quiz.Submitted {
			if err := fn(a); err != nil {
				return err
			}
		}
	}
	return nil
}

// RegradeAttempt stores an attempt's new grade (score, result, index position), unless
// the stored grade is as new or newer.
func (s *Store) RegradeAttempt(ctx context.Context, a quiz.Attempt) error {
	it, err := toAttemptItem(a)
	if err != nil {
		return err
	}
	upd := "SET #score = :score, #res = :res, #gv = :gv"
	names := map[string]string{"#st": "status", "#score": "score", "#res": "res", "#gv": "gv"}
	vals := map[string]types.AttributeValue{
		":score": &types.AttributeValueMemberN{Value: strconv.Itoa(it.Score)},
		":res":   &types.AttributeValueMemberS{Value: it.Result},
		":gv":    &types.AttributeValueMemberN{Value: strconv.Itoa(it.GradeVer)},
		":sub":   &types.AttributeValueMemberS{Value: string(quiz.Submitted)},
	}
	if it.RoundKey != "" {
		upd += ", #rs = :rs"
		names["#rs"] = "rs"
		vals[":rs"] = &types.AttributeValueMemberS{Value: it.RoundSort}
	}
	pk, sk := attemptKey(a.ID)
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(pk, sk),
		UpdateExpression: aws.String(upd), ExpressionAttributeValues: vals,
		ExpressionAttributeNames: names,
		ConditionExpression:      aws.String("#st = :sub AND (attribute_not_exists(#gv) OR #gv < :gv)"),
		ReturnConsumedCapacity:   types.ReturnConsumedCapacityTotal})
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return nil // graded at this version or later already
		}
		return fmt.Errorf("regrade attempt: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// PurgeAttempt removes an attempt's personal details; its identity key stays.
func (s *Store) PurgeAttempt(ctx context.Context, attemptID string) error {
	pk, sk := attemptKey(attemptID)
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(pk, sk),
		UpdateExpression:          aws.String("REMOVE #n, phone, cccd, org SET purged = :t"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeNames:  map[string]string{"#n": "name"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}},
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal})
	if err != nil {
		return fmt.Errorf("purge attempt: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// PurgeResults rewrites a round's frozen results without personal details; the digest
// does not cover them, so it still verifies.
func (s *Store) PurgeResults(ctx context.Context, r contest.Results) error {
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	pk, sk := resultKey(r.QuizID, r.RoundID)
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(pk, sk),
		UpdateExpression:         aws.String("SET #b = :b"),
		ConditionExpression:      aws.String("#d = :d"),
		ExpressionAttributeNames: map[string]string{"#b": "body", "#d": "digest"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":b": &types.AttributeValueMemberS{Value: string(body)}, ":d": &types.AttributeValueMemberS{Value: r.Digest}}})
	if err != nil {
		return conflictOr(err, "purge results")
	}
	return nil
}
