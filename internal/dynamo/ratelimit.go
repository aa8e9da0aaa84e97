package dynamo

import (
	"context"
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
// in one UpdateItem (ADD), and returns the new count. It has no condition: a refused
// conditional write costs a write unit all the same, and the limiter refuses any count
// past its hard limit, so a cap on the stored number would buy nothing (DynamoDB Local
// spends a tenth more time on the conditional form).
func (s *Store) CountStart(ctx context.Context, scope, key string, windowStart time.Time, window time.Duration) (int64, error) {
	pk, sk := rateKey(scope, key, windowStart.Unix())
	// No entity attribute: the RL# key says what the item is, and nothing scans for it.
	upd := expression.Add(expression.Name(attrRateCount), expression.Value(1)).
		Set(expression.Name(attrTTL), expression.Value(windowStart.Add(window+rateLimitTTL).Unix()))
	in, err := s.updateInput(pk, sk, upd, nil)
	if err != nil {
		return 0, err
	}
	in.ReturnValues = types.ReturnValueUpdatedNew
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return 0, fmt.Errorf("count start: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	var n int64
	if err := attributevalue.Unmarshal(out.Attributes[attrRateCount], &n); err != nil {
		return 0, fmt.Errorf("decode start count: %w", err)
	}
	return n, nil
}
