package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/activity"
)

// activityItem is an informing activity. It lives in its unit's partition, sorted by
// date, so the log of a commune is one short Query per village and no partition takes
// every officer's writes.
type activityItem struct {
	PK        string   `dynamodbav:"pk"`
	SK        string   `dynamodbav:"sk"`
	Entity    string   `dynamodbav:"e"`
	ID        string   `dynamodbav:"id"`
	UnitID    string   `dynamodbav:"unitId"`
	Type      string   `dynamodbav:"type"`
	Date      string   `dynamodbav:"date"`
	Topics    []string `dynamodbav:"topics,omitempty"` // a list, not a set: an empty set is invalid
	Audience  int      `dynamodbav:"audience"`
	Note      string   `dynamodbav:"note,omitempty"`
	CreatedBy string   `dynamodbav:"createdBy"`
	CreatedAt string   `dynamodbav:"createdAt"`
}

func toActivityItem(a activity.Activity) activityItem {
	pk, sk := activityKey(a.UnitID, a.Date, a.ID)
	return activityItem{PK: pk, SK: sk, Entity: entityActivity, ID: a.ID, UnitID: a.UnitID, Type: a.Type,
		Date: a.Date, Topics: a.Topics, Audience: a.Audience, Note: a.Note, CreatedBy: a.CreatedBy,
		CreatedAt: a.CreatedAt.UTC().Format(timeLayout)}
}

func (it activityItem) toDomain() (activity.Activity, error) {
	a := activity.Activity{ID: it.ID, UnitID: it.UnitID, Type: it.Type, Date: it.Date, Topics: it.Topics,
		Audience: it.Audience, Note: it.Note, CreatedBy: it.CreatedBy}
	if a.Topics == nil {
		a.Topics = []string{} // [] rather than null in JSON
	}
	if it.CreatedAt != "" {
		t, err := time.Parse(timeLayout, it.CreatedAt)
		if err != nil {
			return a, fmt.Errorf("activity %s: createdAt: %w", it.ID, err)
		}
		a.CreatedAt = t
	}
	return a, nil
}

// PutActivity stores an activity the report service validated.
func (s *Store) PutActivity(ctx context.Context, a activity.Activity) error {
	item, err := attributevalue.MarshalMap(toActivityItem(a))
	if err != nil {
		return fmt.Errorf("marshal activity %s: %w", a.ID, err)
	}
	out, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return fmt.Errorf("put activity %s: %w", a.ID, err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// ListActivities returns the activities of the given units dated from..to (YYYY-MM-DD,
// inclusive; empty is unbounded), by date, then unit, then id.
func (s *Store) ListActivities(ctx context.Context, unitIDs []string, from, to string) ([]activity.Activity, error) {
	lo, hi := activityRange(from, to)
	if lo > hi { // DynamoDB rejects a reversed BETWEEN; the range is simply empty
		return nil, nil
	}
	var out []activity.Activity
	for _, unitID := range unitIDs {
		cond := expression.Key(attrPK).Equal(expression.Value(activityPK(unitID)))
		if lo != "" {
			cond = cond.And(expression.Key(attrSK).Between(expression.Value(lo), expression.Value(hi)))
		} else {
			cond = cond.And(expression.Key(attrSK).LessThanEqual(expression.Value(hi)))
		}
		in, err := s.keyQuery("", cond)
		if err != nil {
			return nil, err
		}
		p := dynamodb.NewQueryPaginator(s.db, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("query activities of %s: %w", unitID, err)
			}
			var items []activityItem
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
				return nil, fmt.Errorf("decode activities of %s: %w", unitID, err)
			}
			for _, it := range items {
				a, err := it.toDomain()
				if err != nil {
					return nil, err
				}
				out = append(out, a)
			}
		}
	}
	slices.SortFunc(out, func(a, b activity.Activity) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}
