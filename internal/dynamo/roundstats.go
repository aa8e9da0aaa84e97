package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/contest"
)

// Round statistics live in RoundShards items per round (keys.go), written by the
// aggregator and summed on read, so a province-wide round has no hot counter.

// ApplyRound counts a contest entry in its round once.
func (s *Store) ApplyRound(ctx context.Context, e aggregate.Event) error {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(roundAppliedKey(e.AttemptID)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("read round marker: %w", err)
	}
	if out.Item != nil {
		return s.regradeRound(ctx, e, out.Item)
	}
	for _, person := range []bool{true, false} {
		pk, sk := roundStatKey(e.Key.QuizID, e.RoundID, roundShard(e.AttemptID))
		expr := "SET e = :e ADD entries :one"
		vals := map[string]types.AttributeValue{":e": &types.AttributeValueMemberS{Value: "roundstat"}, ":one": &types.AttributeValueMemberN{Value: "1"}}
		names := map[string]string{}
		if e.Perfect {
			expr += ", perfect :one"
		}
		if person {
			expr += ", persons :one, #u :one"
			names["#u"] = "u_" + e.Key.UnitID
		}
		upd := &types.Update{TableName: &s.table, Key: key(pk, sk), UpdateExpression: aws.String(expr), ExpressionAttributeValues: vals}
		if len(names) > 0 {
			upd.ExpressionAttributeNames = names
		}
		applied := key(roundAppliedKey(e.AttemptID))
		applied[attrEntity] = &types.AttributeValueMemberS{Value: entityApplied}
		applied["gv"] = &types.AttributeValueMemberN{Value: strconv.Itoa(e.GradeVersion)}
		applied["perfect"] = &types.AttributeValueMemberBOOL{Value: e.Perfect}
		items := []types.TransactWriteItem{
			{Put: &types.Put{TableName: &s.table, Item: applied, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			{Update: upd},
		}
		if person {
			claim := key(roundFirstKey(e.Key.QuizID, e.RoundID, e.Identity))
			claim[attrEntity] = &types.AttributeValueMemberS{Value: "roundfirst"}
			items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: claim, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
		}
		out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if err == nil {
			s.meter(out.ConsumedCapacity...)
			return nil
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return fmt.Errorf("apply round entry: %w", err)
		}
		if failedCondition(tce.CancellationReasons, 0) {
			return nil
		}
		if person && failedCondition(tce.CancellationReasons, 2) {
			continue // the person entered before: count the entry only
		}
		return fmt.Errorf("apply round entry: %w", err)
	}
	return fmt.Errorf("apply round entry: person claim failed twice")
}

// regradeRound moves the perfect-entry count when a correction changed whether an
// entry has every answer right; entries and persons do not change.
func (s *Store) regradeRound(ctx context.Context, e aggregate.Event, marker map[string]types.AttributeValue) error {
	gv, _ := marker["gv"].(*types.AttributeValueMemberN)
	wasPerfect, _ := marker["perfect"].(*types.AttributeValueMemberBOOL)
	prevGV, _ := strconv.Atoi(gvValue(gv))
	if prevGV >= e.GradeVersion {
		return nil // a redelivery
	}
	delta := 0
	if wasPerfect != nil && wasPerfect.Value != e.Perfect {
		delta = -1
		if e.Perfect {
			delta = 1
		}
	}
	items := []types.TransactWriteItem{{Update: &types.Update{TableName: &s.table, Key: key(roundAppliedKey(e.AttemptID)),
		UpdateExpression:    aws.String("SET gv = :gv, perfect = :p"),
		ConditionExpression: aws.String("gv = :prev"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":gv": &types.AttributeValueMemberN{Value: strconv.Itoa(e.GradeVersion)},
			":p": &types.AttributeValueMemberBOOL{Value: e.Perfect}, ":prev": &types.AttributeValueMemberN{Value: strconv.Itoa(prevGV)}}}}}
	if delta != 0 {
		pk, sk := roundStatKey(e.Key.QuizID, e.RoundID, roundShard(e.AttemptID))
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(pk, sk),
			UpdateExpression:          aws.String("ADD perfect :d"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberN{Value: strconv.Itoa(delta)}}}})
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) && failedCondition(tce.CancellationReasons, 0) {
			return nil // another delivery of this or a newer grade got there first
		}
		return fmt.Errorf("regrade round entry: %w", err)
	}
	return nil
}

func gvValue(n *types.AttributeValueMemberN) string {
	if n == nil {
		return "0"
	}
	return n.Value
}

// RoundStats sums a round's statistics over its shards.
func (s *Store) RoundStats(ctx context.Context, quizID, roundID string) (contest.RoundStats, error) {
	st := contest.RoundStats{PersonsByUnit: map[string]int64{}}
	var keys []map[string]types.AttributeValue
	for i := 0; i < RoundShards; i++ {
		pk, sk := roundStatKey(quizID, roundID, i)
		keys = append(keys, key(pk, sk))
	}
	pending := map[string]types.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
	for try := 0; len(pending) > 0 && len(pending[s.table].Keys) > 0; try++ {
		if try > 8 {
			return st, fmt.Errorf("round stats: keys left unprocessed")
		}
		out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
		if err != nil {
			return st, fmt.Errorf("round stats: %w", err)
		}
		for _, item := range out.Responses[s.table] {
			for name, av := range item {
				n, ok := av.(*types.AttributeValueMemberN)
				if !ok {
					continue
				}
				v, err := strconv.ParseInt(n.Value, 10, 64)
				if err != nil {
					return st, fmt.Errorf("round stats %s: %w", name, err)
				}
				switch {
				case name == "entries":
					st.Entries += v
				case name == "perfect":
					st.Perfect += v
				case name == "persons":
					st.Persons += v
				case strings.HasPrefix(name, "u_"):
					st.PersonsByUnit[name[2:]] += v
				}
			}
		}
		pending = out.UnprocessedKeys
	}
	return st, nil
}
