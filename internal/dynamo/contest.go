package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
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

var errBadCursor = apperr.Errorf(apperr.Validation, "Con trỏ trang (cursor) không hợp lệ")

// PutResults stores a round's results once; a second write is a conflict.
func (s *Store) PutResults(ctx context.Context, r contest.Results) error {
	body, err := json.Marshal(toResultsDoc(r))
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	pk, sk := resultKey(r.QuizID, r.RoundID)
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	in, err := s.putInput(resultsItem{PK: pk, SK: sk, Entity: entityResults, Body: string(body), Digest: r.Digest}, &cond)
	if err != nil {
		return fmt.Errorf("store round results: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.PutItem(ctx, in)
	if err != nil {
		return conflictOr(err, "store round results")
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// GetResults reads a round's results.
func (s *Store) GetResults(ctx context.Context, quizID, roundID string) (contest.Results, error) {
	pk, sk := resultKey(quizID, roundID)
	var it resultsItem
	found, err := s.getItem(ctx, pk, sk, &it)
	if err != nil {
		return contest.Results{}, fmt.Errorf("read results: %w", err)
	}
	if !found {
		return contest.Results{}, apperr.Errorf(apperr.NotFound, "Vòng thi chưa có kết quả")
	}
	var d resultsDoc
	if err := json.Unmarshal([]byte(it.Body), &d); err != nil {
		return contest.Results{}, fmt.Errorf("decode results %s/%s: %w", quizID, roundID, err)
	}
	return d.toDomain(), nil
}

// ResultsFrozen reports whether a round's results are stored, reading only the key.
func (s *Store) ResultsFrozen(ctx context.Context, quizID, roundID string) (bool, error) {
	pk, sk := resultKey(quizID, roundID)
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk),
		ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String(attrPK)})
	if err != nil {
		return false, fmt.Errorf("read results: %w", err)
	}
	return out.Item != nil, nil
}

// Disqualify takes an entry out of its round's ranking (it stays in the index, unranked,
// for the audit export) and records the decision, in one transaction.
func (s *Store) Disqualify(ctx context.Context, a quiz.Attempt, d contest.Decision) error {
	body, err := json.Marshal(decisionDoc(d))
	if err != nil {
		return err
	}
	pk, sk := attemptKey(a.ID)
	upd := expression.Set(expression.Name(attrRanked), expression.Value(false)).
		Set(expression.Name(attrRS), expression.Value(roundSortOf(a, false))).
		Set(expression.Name(attrDQ), expression.Value(d.Reason))
	exists := expression.AttributeExists(expression.Name(attrPK))
	unrank, err := s.updateOf(pk, sk, upd, &exists)
	if err != nil {
		return fmt.Errorf("disqualify: %w", err)
	}
	dpk, dsk := decisionKey(d.QuizID, d.At.UTC().Format(timeLayout), a.ID)
	decision, err := s.putOf(decisionItem{PK: dpk, SK: dsk, Entity: entityDecision, Body: string(body)}, nil)
	if err != nil {
		return fmt.Errorf("disqualify: %w", err)
	}
	items := []types.TransactWriteItem{{Update: unrank}, {Put: decision}}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return fmt.Errorf("disqualify: %w", err)
	}
	s.meter(out.ConsumedCapacity...)
	return nil
}

// ListDecisions returns a contest's disqualifications, oldest first.
func (s *Store) ListDecisions(ctx context.Context, quizID string) ([]contest.Decision, error) {
	var items []decisionItem
	if err := s.queryAll(ctx, decisionPK(quizID), &items); err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	out := make([]contest.Decision, 0, len(items))
	for _, it := range items {
		var d decisionDoc
		if err := json.Unmarshal([]byte(it.Body), &d); err != nil {
			return nil, fmt.Errorf("decode decision %s: %w", it.SK, err)
		}
		out = append(out, contest.Decision(d))
	}
	return out, nil
}

// RegradeAttempt stores an attempt's new grade (score, result, index position), unless
// the stored grade is as new or newer.
func (s *Store) RegradeAttempt(ctx context.Context, a quiz.Attempt) error {
	it, err := toAttemptItem(a)
	if err != nil {
		return err
	}
	upd := expression.Set(expression.Name(attrScore), expression.Value(it.Score)).
		Set(expression.Name(attrResult), expression.Value(it.Result)).
		Set(expression.Name(attrGV), expression.Value(it.GradeVer))
	if it.RoundKey != "" {
		upd = upd.Set(expression.Name(attrRS), expression.Value(it.RoundSort))
	}
	cond := expression.Name(attrStatus).Equal(expression.Value(string(quiz.Submitted))).
		And(expression.Name(attrGV).AttributeNotExists().Or(expression.Name(attrGV).LessThan(expression.Value(it.GradeVer))))
	pk, sk := attemptKey(a.ID)
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return fmt.Errorf("regrade attempt: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
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

// PurgeAttempt removes everything personal from an attempt, submitted or not: name,
// phone, CCCD, organisation, birth year, gender, the device's key and the text of free
// answers. Unit, scores, topic results, grade version, times and the identity key stay,
// so counters, rankings and digests do not move.
func (s *Store) PurgeAttempt(ctx context.Context, a quiz.Attempt) error {
	pk, sk := attemptKey(a.ID)
	upd := expression.Set(expression.Name(attrPurged), expression.Value(true))
	for _, attr := range []string{attrName, attrPhone, attrCCCD, attrOrg, attrBirthYear, attrGender, attrClientID} {
		upd = upd.Remove(expression.Name(attr))
	}
	if a.Status == quiz.Submitted && slices.ContainsFunc(a.Answers, func(x quiz.Answer) bool { return x.Text != "" }) {
		// Free text may hold anything a person wrote; the answer keeps only that it was given.
		for i := range a.Answers {
			if a.Answers[i].Text != "" {
				a.Answers[i].Text = "—"
			}
		}
		b, err := json.Marshal(toResultDoc(a))
		if err != nil {
			return fmt.Errorf("purge attempt: %w", err)
		}
		upd = upd.Set(expression.Name(attrResult), expression.Value(string(b)))
	}
	exists := expression.AttributeExists(expression.Name(attrPK))
	in, err := s.updateInput(pk, sk, upd, &exists)
	if err != nil {
		return fmt.Errorf("purge attempt: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return fmt.Errorf("purge attempt: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// PurgeResults rewrites a round's frozen results without personal details; the digest
// does not cover them, so it still verifies.
func (s *Store) PurgeResults(ctx context.Context, r contest.Results) error {
	body, err := json.Marshal(toResultsDoc(r))
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	pk, sk := resultKey(r.QuizID, r.RoundID)
	cond := expression.Name(attrDigest).Equal(expression.Value(r.Digest))
	in, err := s.updateInput(pk, sk, expression.Set(expression.Name(attrBody), expression.Value(string(body))), &cond)
	if err != nil {
		return fmt.Errorf("purge results: %w", err)
	}
	if _, err := s.db.UpdateItem(ctx, in); err != nil {
		return conflictOr(err, "purge results")
	}
	return nil
}
