package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/throttle"
)

var _ throttle.Counter = (*Store)(nil)

// attrRateCount is the start count of a rate-limit item.
const attrRateCount = "n"

// rateLimitTTL keeps a window's counter a little after the window ends; DynamoDB's TTL
// then deletes it. The item holds only the keyed hash and the count.
const rateLimitTTL = 10 * time.Minute

// CountStart adds one start to the counter of key in the window starting at windowStart,
// in one conditional UpdateItem (ADD), and returns the new count. Once the count has
// reached hard the condition fails and nothing is written: hard+1 is returned.
func (s *Store) CountStart(ctx context.Context, scope, key string, windowStart time.Time, window time.Duration, hard int64) (int64, error) {
	pk, sk := rateKey(scope, key, windowStart.Unix())
	upd := expression.Add(expression.Name(attrRateCount), expression.Value(1)).
		Set(expression.Name(attrEntity), expression.Value(entityRateLimit)).
		Set(expression.Name(attrTTL), expression.Value(windowStart.Add(window+rateLimitTTL).Unix()))
	var cond *expression.ConditionBuilder
	if hard > 0 {
		c := expression.AttributeNotExists(expression.Name(attrRateCount)).
			Or(expression.Name(attrRateCount).LessThan(expression.Value(hard)))
		cond = &c
	}
	in, err := s.updateInput(pk, sk, upd, cond)
	if err != nil {
		return 0, err
	}
	in.ReturnValues = types.ReturnValueUpdatedNew
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return hard + 1, nil
		}
		return 0, fmt.Errorf("count start: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	var n int64
	if err := attributevalue.Unmarshal(out.Attributes[attrRateCount], &n); err != nil {
		return 0, fmt.Errorf("decode start count: %w", err)
	}
	return n, nil
}
