package dynamo

import (
	"context"
	"fmt"
	"strconv"
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

// Attributes of a source's day item (CountStartDay): the day's count, and one count per
// window named by the window's index in the day ("w37").
const (
	attrRateDay       = "d"
	rateWindowPrefix  = "w"
	rateWindowsKept   = 30 // windows before the current one whose counts each update removes
	rateDayItemMargin = time.Hour
)

// CountStartDay adds one start to key's day and to its window in that day, and returns
// both counts: one item per source per day, one UpdateItem that ADDs to two attributes,
// so the daily count costs no write beyond the window's. An update may hold one SET, one
// REMOVE and one ADD clause
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html);
// it also REMOVEs the counts of the previous rateWindowsKept windows (removing an absent
// attribute does nothing), so only windows followed by an hour without a start stay
// behind: at most 24 small attributes, and the item stays far under the 1 KB of one write
// unit, the size an UpdateItem is billed on (the larger of the item before and after,
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
func (s *Store) CountStartDay(ctx context.Context, scope, key string, dayStart, windowStart time.Time, window time.Duration) (int64, int64, error) {
	pk, sk := rateDayKey(scope, key, dayStart.Unix())
	index := int64(windowStart.Sub(dayStart) / window)
	current := rateWindowPrefix + strconv.FormatInt(index, 10)
	upd := expression.Add(expression.Name(attrRateDay), expression.Value(1)).
		Add(expression.Name(current), expression.Value(1)).
		Set(expression.Name(attrTTL), expression.Value(dayStart.Add(24*time.Hour+rateDayItemMargin).Unix()))
	for i := index - rateWindowsKept; i < index; i++ {
		upd = upd.Remove(expression.Name(rateWindowPrefix + strconv.FormatInt(i, 10)))
	}
	in, err := s.updateInput(pk, sk, upd, nil)
	if err != nil {
		return 0, 0, err
	}
	in.ReturnValues = types.ReturnValueUpdatedNew
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return 0, 0, fmt.Errorf("count start: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	var inWindow, inDay int64
	if err := attributevalue.Unmarshal(out.Attributes[current], &inWindow); err != nil {
		return 0, 0, fmt.Errorf("decode window count: %w", err)
	}
	if err := attributevalue.Unmarshal(out.Attributes[attrRateDay], &inDay); err != nil {
		return 0, 0, fmt.Errorf("decode day count: %w", err)
	}
	return inWindow, inDay, nil
}
