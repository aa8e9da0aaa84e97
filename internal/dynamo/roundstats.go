package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/contest"
)

// Round statistics live in RoundShards items per round (keys.go), written by the
// aggregator and summed on read, so a province-wide round has no hot counter.

// roundAppliedItem records that an entry was counted in its round, with what a regrade
// needs: the grade version and whether the entry was perfect.
type roundAppliedItem struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	Entity  string `dynamodbav:"e"`
	GV      int    `dynamodbav:"gv"`
	Perfect *bool  `dynamodbav:"perfect"` // nil read back: unknown, a regrade then moves nothing
}

// roundFirstItem records that a person was counted in a round; its key says everything.
type roundFirstItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
}

// roundStatItem is one shard of a round's statistics; persons per unit are the
// attributes u_<unitId> beside these.
type roundStatItem struct {
	Entries int64 `dynamodbav:"entries"`
	Perfect int64 `dynamodbav:"perfect"`
	Persons int64 `dynamodbav:"persons"`
}

// Attribute names of the round items that updates use.
const (
	attrRoundEntries  = "entries"
	attrRoundPerfect  = "perfect" // on both the statistics and the marker
	attrRoundPersons  = "persons"
	unitPersonsPrefix = "u_"
)

// ApplyRound counts a contest entry in its round once.
func (s *Store) ApplyRound(ctx context.Context, e aggregate.Event) error {
	var marker roundAppliedItem
	apk, ask := roundAppliedKey(e.AttemptID)
	found, err := s.getItem(ctx, apk, ask, &marker)
	if err != nil {
		return fmt.Errorf("read round marker: %w", err)
	}
	if found {
		return s.regradeRound(ctx, e, marker)
	}
	absent := expression.AttributeNotExists(expression.Name(attrPK))
	for _, person := range []bool{true, false} {
		pk, sk := roundStatKey(e.Key.QuizID, e.RoundID, roundShard(e.AttemptID))
		one := expression.Value(1)
		upd := expression.Set(expression.Name(attrEntity), expression.Value(entityRoundStat)).
			Add(expression.Name(attrRoundEntries), one)
		if e.Perfect {
			upd = upd.Add(expression.Name(attrRoundPerfect), one)
		}
		if person {
			upd = upd.Add(expression.Name(attrRoundPersons), one).Add(expression.Name(unitPersonsPrefix+e.Key.UnitID), one)
		}
		stat, err := s.updateOf(pk, sk, upd, nil)
		if err != nil {
			return fmt.Errorf("apply round entry: %w", err)
		}
		applied, err := s.putOf(roundAppliedItem{PK: apk, SK: ask, Entity: entityApplied, GV: e.GradeVersion, Perfect: &e.Perfect}, &absent)
		if err != nil {
			return fmt.Errorf("apply round entry: %w", err)
		}
		items := []types.TransactWriteItem{{Put: applied}, {Update: stat}}
		if person {
			fpk, fsk := roundFirstKey(e.Key.QuizID, e.RoundID, e.Identity)
			claim, err := s.putOf(roundFirstItem{PK: fpk, SK: fsk, Entity: entityRoundFirst}, &absent)
			if err != nil {
				return fmt.Errorf("apply round entry: %w", err)
			}
			items = append(items, types.TransactWriteItem{Put: claim})
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
		s.meterRejected(len(items))
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
func (s *Store) regradeRound(ctx context.Context, e aggregate.Event, marker roundAppliedItem) error {
	if marker.GV >= e.GradeVersion {
		return nil // a redelivery
	}
	delta := 0
	if marker.Perfect != nil && *marker.Perfect != e.Perfect {
		delta = -1
		if e.Perfect {
			delta = 1
		}
	}
	apk, ask := roundAppliedKey(e.AttemptID)
	cond := expression.Name(attrGV).Equal(expression.Value(marker.GV))
	mark, err := s.updateOf(apk, ask, expression.Set(expression.Name(attrGV), expression.Value(e.GradeVersion)).
		Set(expression.Name(attrRoundPerfect), expression.Value(e.Perfect)), &cond)
	if err != nil {
		return fmt.Errorf("regrade round entry: %w", err)
	}
	items := []types.TransactWriteItem{{Update: mark}}
	if delta != 0 {
		pk, sk := roundStatKey(e.Key.QuizID, e.RoundID, roundShard(e.AttemptID))
		stat, err := s.updateOf(pk, sk, expression.Add(expression.Name(attrRoundPerfect), expression.Value(delta)), nil)
		if err != nil {
			return fmt.Errorf("regrade round entry: %w", err)
		}
		items = append(items, types.TransactWriteItem{Update: stat})
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) {
			s.meterRejected(len(items))
			if failedCondition(tce.CancellationReasons, 0) {
				return nil // another delivery of this or a newer grade got there first
			}
		}
		return fmt.Errorf("regrade round entry: %w", err)
	}
	s.meter(out.ConsumedCapacity...)
	return nil
}

// RoundStats sums a round's statistics over its shards.
func (s *Store) RoundStats(ctx context.Context, quizID, roundID string) (contest.RoundStats, error) {
	st := contest.RoundStats{PersonsByUnit: map[string]int64{}}
	var keys []map[string]types.AttributeValue
	for i := 0; i < RoundShards; i++ {
		pk, sk := roundStatKey(quizID, roundID, i)
		keys = append(keys, key(pk, sk))
	}
	items, err := s.batchGetItems(ctx, keys)
	if err != nil {
		return st, fmt.Errorf("round stats: %w", err)
	}
	for _, item := range items {
		var it roundStatItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return st, fmt.Errorf("round stats: %w", err)
		}
		st.Entries += it.Entries
		st.Perfect += it.Perfect
		st.Persons += it.Persons
		for name, av := range item {
			unit, ok := strings.CutPrefix(name, unitPersonsPrefix)
			if !ok {
				continue
			}
			var v int64
			if err := attributevalue.Unmarshal(av, &v); err != nil {
				return st, fmt.Errorf("round stats %s: %w", name, err)
			}
			st.PersonsByUnit[unit] += v
		}
	}
	return st, nil
}
