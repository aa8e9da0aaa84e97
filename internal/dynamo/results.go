package dynamo

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

// A round's frozen results and the organisers' decisions (disqualify, keep).

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

// Keep records that an organiser keeps a flagged entry in its ranking. The entry itself
// does not change: the decision is the record the flags are read against.
func (s *Store) Keep(ctx context.Context, d contest.Decision) error {
	body, err := json.Marshal(decisionDoc(d))
	if err != nil {
		return err
	}
	pk, sk := decisionKey(d.QuizID, d.At.UTC().Format(timeLayout), d.AttemptID)
	in, err := s.putInput(decisionItem{PK: pk, SK: sk, Entity: entityDecision, Body: string(body)}, nil)
	if err != nil {
		return fmt.Errorf("keep: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.PutItem(ctx, in)
	if err != nil {
		return fmt.Errorf("keep: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// ListDecisions returns a contest's decisions (disqualifications and keeps), oldest first.
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
