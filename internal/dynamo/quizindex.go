package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/quiz"
)

// The ByQuiz index: every attempt and phone verification of a quiz, sharded, so that
// regrades, purges and rebuilds read one quiz and never scan the table.

// quizIndexKeys are an attempt's ByQuiz keys. The one place they are built: whoever
// writes an attempt item gets them through toAttemptItem.
func quizIndexKeys(a quiz.Attempt) (qk, qs string) {
	return quizAttemptPK(a.QuizID, shardOf(a.ID, QuizShards)), a.StartedAt.UTC().Format(timeLayout) + "#" + a.ID
}

// verificationIndexKeys are a phone verification's ByQuiz keys.
func verificationIndexKeys(v quiz.Verification) (qk, qs string) {
	return quizVerifyPK(v.QuizID, shardOf(v.ID, QuizShards)), strconv.FormatInt(v.CreatedAt.UnixMilli(), 10) + "#" + v.ID
}

// indexRef is one ByQuiz index entry: the item's keys and, for attempts, its grade version.
type indexRef struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
	QK string `dynamodbav:"qk"`
	QS string `dynamodbav:"qs"`
	GV int    `dynamodbav:"gv"`
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

// attemptOwner is the table key of the attempt an index sort key names.
func attemptOwner(qs string) (pk, sk string) {
	return attemptKey(qs[strings.LastIndexByte(qs, '#')+1:])
}

// verificationOwner is the table key of the verification an index sort key names.
func verificationOwner(qs string) (pk, sk string) {
	return verifyKey(qs[strings.LastIndexByte(qs, '#')+1:])
}

// getAttempts reads attempts by key in batches of 100, strongly consistent (the index
// is not), in no particular order; attempts gone since the index was read are left out.
func (s *Store) getAttempts(ctx context.Context, refs []indexRef) ([]quiz.Attempt, error) {
	var out []quiz.Attempt
	for len(refs) > 0 {
		n := min(100, len(refs))
		keys := make([]map[string]types.AttributeValue, n)
		for i, r := range refs[:n] {
			keys[i] = key(r.PK, r.SK)
		}
		refs = refs[n:]
		pending := map[string]types.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		for try := 0; len(pending) > 0 && len(pending[s.table].Keys) > 0; try++ {
			if try > 8 {
				return nil, fmt.Errorf("batch get attempts: keys left unprocessed after retries")
			}
			if try > 0 {
				time.Sleep(time.Duration(1<<try) * 10 * time.Millisecond)
			}
			res, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending,
				ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
			if err != nil {
				return nil, fmt.Errorf("batch get attempts: %w", err)
			}
			for i := range res.ConsumedCapacity {
				s.meterRead(&res.ConsumedCapacity[i])
			}
			for _, item := range res.Responses[s.table] {
				a, _, err := AttemptFromItem(item)
				if err != nil {
					return nil, err
				}
				out = append(out, a)
			}
			pending = res.UnprocessedKeys
		}
	}
	return out, nil
}

// staleGrade lets through index entries graded before version v (no gv: version 0).
func staleGrade(v int) expression.ConditionBuilder {
	return expression.Name(attrGV).AttributeNotExists().Or(expression.Name(attrGV).LessThan(expression.Value(v)))
}

// StaleAttemptPage reads one page of a quiz's attempts in ByQuiz shard shard, after the
// cursor after ("" from the start), keeping only those graded before key version v (all
// attempts when v is 0 or less). It reads at most limit index entries, so a page costs
// the same however many attempts the quiz has; next is "" when the shard is done.
func (s *Store) StaleAttemptPage(ctx context.Context, quizID string, shard int, after string, v, limit int) (list []quiz.Attempt, next string, err error) {
	var filter *expression.ConditionBuilder
	if v > 0 {
		f := staleGrade(v)
		filter = &f
	}
	refs, next, err := s.indexPage(ctx, quizAttemptPK(quizID, shard), after, attemptOwner, filter, limit)
	if err != nil {
		return nil, "", err
	}
	list, err = s.getAttempts(ctx, refs)
	return list, next, err
}

// EveryAttempt calls fn for every attempt of a quiz, submitted or not, shard by shard
// through the ByQuiz index: it reads that quiz's attempts and nothing else.
func (s *Store) EveryAttempt(ctx context.Context, quizID string, fn func(quiz.Attempt) error) error {
	for shard := range QuizShards {
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

// EachAttempt calls fn for every submitted attempt of a quiz (through the ByQuiz index).
func (s *Store) EachAttempt(ctx context.Context, q quiz.Quiz, fn func(quiz.Attempt) error) error {
	return s.EveryAttempt(ctx, q.ID, func(a quiz.Attempt) error {
		if a.Status != quiz.Submitted {
			return nil
		}
		return fn(a)
	})
}

// QuizSubmittedAttempts returns every submitted attempt of a quiz (a rebuild's input).
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
