package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/quiz"
)

// A quiz's attempts and phone verifications without a scan. Attempts are listed by the
// participants' ledgers (FIRST#<quiz>#<shard>, written by the aggregator once per
// attempt anyway), so a submit writes no index entry; verifications, which the
// aggregator never sees, have the sparse ByQuiz index.

// verificationIndexKeys are a phone verification's ByQuiz keys.
func verificationIndexKeys(v phoneverify.Verification) (qk, qs string) {
	return quizVerifyPK(v.QuizID, shardOf(v.ID, QuizShards)), strconv.FormatInt(v.CreatedAt.UnixMilli(), 10) + "#" + v.ID
}

// indexRef is one ByQuiz index entry: the item's keys.
type indexRef struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
	QK string `dynamodbav:"qk"`
	QS string `dynamodbav:"qs"`
}

// indexPage reads up to limit entries of one ByQuiz partition after the sort key
// after ("" from the start), keeping those filter lets through (nil: all). next is the
// sort key to continue from, "" when the partition is done. ownerPK rebuilds the
// table key of the entry a cursor names, which DynamoDB wants in ExclusiveStartKey.
func (s *Store) indexPage(ctx context.Context, qk, after string, ownerPK func(qs string) (pk, sk string),
	filter *expression.ConditionBuilder, limit int) (refs []indexRef, next string, err error) {
	b := expression.NewBuilder().WithKeyCondition(expression.Key(attrQK).Equal(expression.Value(qk)))
	if filter != nil {
		b = b.WithFilter(*filter)
	}
	expr, err := b.Build()
	if err != nil {
		return nil, "", fmt.Errorf("build index query: %w", err)
	}
	in := &dynamodb.QueryInput{TableName: &s.table, IndexName: aws.String(IndexByQuiz),
		KeyConditionExpression: expr.KeyCondition(), FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}
	if limit > 0 {
		in.Limit = aws.Int32(int32(limit))
	}
	if after != "" {
		pk, sk := ownerPK(after)
		in.ExclusiveStartKey = key(pk, sk)
		in.ExclusiveStartKey[attrQK] = &types.AttributeValueMemberS{Value: qk}
		in.ExclusiveStartKey[attrQS] = &types.AttributeValueMemberS{Value: after}
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query %s: %w", IndexByQuiz, err)
	}
	s.meterRead(out.ConsumedCapacity)
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &refs); err != nil {
		return nil, "", fmt.Errorf("decode %s entries: %w", IndexByQuiz, err)
	}
	if lek := out.LastEvaluatedKey; lek != nil {
		if v, ok := lek[attrQS].(*types.AttributeValueMemberS); ok {
			next = v.Value
		}
	}
	return refs, next, nil
}

// verificationOwner is the table key of the verification an index sort key names.
func verificationOwner(qs string) (pk, sk string) {
	return verifyKey(qs[strings.LastIndexByte(qs, '#')+1:])
}

// attemptRef is an attempt a ledger lists, at the newest grade version counted.
type attemptRef struct {
	ID           string
	GradeVersion int
}

// ledgerAttempts lists the attempts of one ledger item, by id: one per entry
// a_<attemptId>_<gv> (the highest gv), and the claim holder of a ledger that has no
// entries.
func ledgerAttempts(item map[string]types.AttributeValue) ([]attemptRef, error) {
	gv := map[string]int{}
	for name := range item {
		rest, ok := strings.CutPrefix(name, entryPrefix)
		if !ok {
			continue
		}
		id, v := splitLast(rest)
		n, err := strconv.Atoi(v)
		if err != nil || id == "" {
			return nil, fmt.Errorf("ledger entry %s is malformed", name)
		}
		if old, seen := gv[id]; !seen || n > old {
			gv[id] = n
		}
	}
	if len(gv) == 0 {
		var it firstItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return nil, fmt.Errorf("decode ledger: %w", err)
		}
		if it.AttemptID != "" {
			gv[it.AttemptID] = it.GV
		}
	}
	out := make([]attemptRef, 0, len(gv))
	for id, v := range gv {
		out = append(out, attemptRef{ID: id, GradeVersion: v})
	}
	slices.SortFunc(out, func(a, b attemptRef) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// ledgerCursorSep separates, in a page cursor, a ledger's identity from the last
// attempt taken of it, when a page ended inside one ledger.
const ledgerCursorSep = "|"

// ledgerPage lists the attempts of a quiz's ledger shard after the cursor after ("" from
// the start), keeping those counted at a grade version below v (all when v <= 0), at most
// limit of them from at most limit ledgers: a page costs the same however many attempts
// the quiz has. next is the cursor to continue from, "" when the shard is done. The
// read is strongly consistent, so a ledger written before it is seen.
func (s *Store) ledgerPage(ctx context.Context, quizID string, shard int, after string, v, limit int) (refs []attemptRef, next string, err error) {
	pk := ledgerPK(quizID, shard)
	from, fromAttempt, inside := strings.Cut(after, ledgerCursorSep)
	cond := expression.Key(attrPK).Equal(expression.Value(pk))
	if inside { // resume inside the ledger "from": read it again
		cond = cond.And(expression.Key(attrSK).GreaterThanEqual(expression.Value(from)))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(cond).Build()
	if err != nil {
		return nil, "", fmt.Errorf("build ledger query: %w", err)
	}
	in := &dynamodb.QueryInput{TableName: &s.table, KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ConsistentRead: aws.Bool(true), Limit: aws.Int32(int32(limit)), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}
	if after != "" && !inside {
		in.ExclusiveStartKey = key(pk, from)
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query ledgers: %w", err)
	}
	s.meterRead(out.ConsumedCapacity)
	last := ""
	for _, item := range out.Items {
		sk, _ := item[attrSK].(*types.AttributeValueMemberS)
		if sk == nil {
			return nil, "", fmt.Errorf("ledger without a sort key in %s", pk)
		}
		list, err := ledgerAttempts(item)
		if err != nil {
			return nil, "", err
		}
		taken := 0
		for _, r := range list {
			if inside && sk.Value == from && r.ID <= fromAttempt {
				continue // taken by the page before
			}
			if v > 0 && r.GradeVersion >= v {
				continue
			}
			if len(refs) == limit { // the page is full
				if taken == 0 {
					return refs, last, nil // after the ledger before this one
				}
				return refs, sk.Value + ledgerCursorSep + refs[len(refs)-1].ID, nil
			}
			refs = append(refs, r)
			taken++
		}
		last = sk.Value
	}
	if out.LastEvaluatedKey != nil && last != "" {
		next = last
	}
	return refs, next, nil
}

// getAttempts reads attempts by id in batches of 100, strongly consistent, in no
// particular order; attempts gone since the ledger was read are left out.
func (s *Store) getAttempts(ctx context.Context, refs []attemptRef) ([]quiz.Attempt, error) {
	keys := make([]map[string]types.AttributeValue, len(refs))
	for i, r := range refs {
		keys[i] = key(attemptKey(r.ID))
	}
	items, err := s.batchGetItems(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("batch get attempts: %w", err)
	}
	out := make([]quiz.Attempt, 0, len(items))
	for _, item := range items {
		a, _, err := AttemptFromItem(item)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// staleGrade lets through items graded before version v (no gv: version 0).
func staleGrade(v int) expression.ConditionBuilder {
	return expression.Name(attrGV).AttributeNotExists().Or(expression.Name(attrGV).LessThan(expression.Value(v)))
}

// StaleAttemptPage reads one page of a quiz's attempts in ledger shard shard, after the
// cursor after ("" from the start), keeping only those whose ledger has them graded
// before key version v (all attempts when v is 0 or less). It lists at most limit
// attempts from at most limit ledgers, so a page costs the same however many attempts
// the quiz has; next is "" when the shard is done. An attempt submitted but not yet
// counted by the aggregator is not in its ledger yet: a regrade job's last walk starts
// late enough for it to be (authoring.StaleGradeWindow).
func (s *Store) StaleAttemptPage(ctx context.Context, quizID string, shard int, after string, v, limit int) (list []quiz.Attempt, next string, err error) {
	refs, next, err := s.ledgerPage(ctx, quizID, shard, after, v, limit)
	if err != nil {
		return nil, "", err
	}
	list, err = s.getAttempts(ctx, refs)
	return list, next, err
}

// EveryAttempt calls fn for every attempt of a quiz the aggregator has counted, shard by
// shard through its ledgers: it reads that quiz's ledgers and attempts and nothing else.
func (s *Store) EveryAttempt(ctx context.Context, quizID string, fn func(quiz.Attempt) error) error {
	for shard := range LedgerShards {
		after := ""
		for {
			list, next, err := s.StaleAttemptPage(ctx, quizID, shard, after, 0, 500)
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
			after = next
		}
	}
	return nil
}

// EachAttempt calls fn for every submitted attempt of a quiz (through its ledgers).
func (s *Store) EachAttempt(ctx context.Context, q quiz.Quiz, fn func(quiz.Attempt) error) error {
	return s.EveryAttempt(ctx, q.ID, func(a quiz.Attempt) error {
		if a.Status != quiz.Submitted {
			return nil
		}
		return fn(a)
	})
}

// QuizSubmittedAttempts returns every submitted attempt of a quiz the aggregator has
// counted (a per-quiz rebuild's input).
func (s *Store) QuizSubmittedAttempts(ctx context.Context, quizID string) ([]quiz.Attempt, error) {
	var out []quiz.Attempt
	err := s.EveryAttempt(ctx, quizID, func(a quiz.Attempt) error {
		if a.Status == quiz.Submitted {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// PurgeVerifications deletes the phone verifications of a quiz (they hold the phone),
// found through the ByQuiz index, in batches.
func (s *Store) PurgeVerifications(ctx context.Context, quizID string) (int, error) {
	n := 0
	for shard := range QuizShards {
		after := ""
		for {
			refs, next, err := s.indexPage(ctx, quizVerifyPK(quizID, shard), after, verificationOwner, nil, 500)
			if err != nil {
				return n, err
			}
			dels := make([]types.WriteRequest, len(refs))
			for i, r := range refs {
				dels[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key(r.PK, r.SK)}}
			}
			if err := s.batchWrite(ctx, dels); err != nil {
				return n, fmt.Errorf("delete verifications: %w", err)
			}
			n += len(refs)
			if next == "" {
				break
			}
			after = next
		}
	}
	return n, nil
}
