package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
)

// ReplaceQuizCounters makes one quiz's stored counters and participant ledgers equal to
// a rebuild of its attempts, without a scan: its counters are queried village by
// village (every unit of the tree), and the ledger of each identity of its attempts is
// written whole (claim and one entry per attempt), so the ledgers still list every
// attempt. Run it while the aggregator is paused: it is a repair tool.
func (s *Store) ReplaceQuizCounters(ctx context.Context, quizID string, counters []aggregate.Counter, attempts []quiz.Attempt) error {
	units, err := s.ListUnits(ctx)
	if err != nil {
		return err
	}
	var writes []types.WriteRequest
	for _, u := range units {
		keys, err := s.partitionKeys(ctx, counterPK(quizID, u.ID))
		if err != nil {
			return err
		}
		for _, k := range keys {
			writes = append(writes, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key(k.PK, k.SK)}})
		}
	}
	if err := s.batchWrite(ctx, writes); err != nil {
		return err
	}
	mine := slices.DeleteFunc(slices.Clone(attempts), func(a quiz.Attempt) bool { return a.QuizID != quizID })
	return s.putRebuilt(ctx, counters, mine)
}

// partitionKeys returns the keys of every item of a partition, reading nothing else.
func (s *Store) partitionKeys(ctx context.Context, pk string) ([]keyItem, error) {
	in, err := s.keyQuery("", expression.Key(attrPK).Equal(expression.Value(pk)))
	if err != nil {
		return nil, err
	}
	in.ProjectionExpression = aws.String(attrPK + "," + attrSK)
	in.ConsistentRead = aws.Bool(true)
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	var out []keyItem
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", pk, err)
		}
		s.meterRead(page.ConsumedCapacity)
		var keys []keyItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &keys); err != nil {
			return nil, fmt.Errorf("decode keys: %w", err)
		}
		out = append(out, keys...)
	}
	return out, nil
}

var _ aggregate.QuizRebuildStore = (*Store)(nil)

// BackfillQuizIndex gives the ByQuiz keys to phone verifications stored without them,
// and returns how many it updated. It scans the table once: an explicit maintenance
// step, never part of a request. (Attempts need
// no index: their quiz's ledgers list them.)
func (s *Store) BackfillQuizIndex(ctx context.Context) (int, error) {
	filter := expression.Name(attrEntity).Equal(expression.Value(entityVerify)).
		And(expression.Name(attrQK).AttributeNotExists())
	expr, err := expression.NewBuilder().WithFilter(filter).Build()
	if err != nil {
		return 0, err
	}
	n := 0
	p := dynamodb.NewScanPaginator(s.db, &dynamodb.ScanInput{TableName: &s.table, FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, fmt.Errorf("scan: %w", err)
		}
		for _, item := range page.Items {
			var v verificationItem
			if err := attributevalue.UnmarshalMap(item, &v); err != nil {
				return n, fmt.Errorf("decode verification: %w", err)
			}
			var k keyItem
			if err := attributevalue.UnmarshalMap(item, &k); err != nil {
				return n, fmt.Errorf("decode key: %w", err)
			}
			qk, qs := verificationIndexKeys(v.domain(strings.TrimPrefix(k.PK, prefixVerify)))
			upd := expression.Set(expression.Name(attrQK), expression.Value(qk)).Set(expression.Name(attrQS), expression.Value(qs))
			cond := expression.AttributeExists(expression.Name(attrPK))
			in, err := s.updateInput(k.PK, k.SK, upd, &cond)
			if err != nil {
				return n, err
			}
			if _, err := s.db.UpdateItem(ctx, in); err != nil {
				var ccf *types.ConditionalCheckFailedException
				if errors.As(err, &ccf) {
					continue // gone meanwhile (expired)
				}
				return n, fmt.Errorf("backfill %s: %w", k.PK, err)
			}
			n++
		}
	}
	return n, nil
}
