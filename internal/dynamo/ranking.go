package dynamo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

var errBadCursor = apperr.Errorf(apperr.Validation, "Con trỏ trang (cursor) không hợp lệ")

const roundPageSize = 200

// shardReader pages through one shard of a round's index on a key condition, in key
// order (forward) or backwards.
type shardReader struct {
	s       *Store
	cond    expression.KeyConditionBuilder
	forward bool
	limit   int32 // the next page's size
	grow    bool  // double the page size after each page, up to roundPageSize
	items   []map[string]types.AttributeValue
	last    map[string]types.AttributeValue
	started bool
}

// prefixReader reads a shard's entries whose sort key starts with prefix, best first.
func (s *Store) prefixReader(quizID, roundID string, shard int, prefix string) *shardReader {
	return &shardReader{s: s, forward: true, limit: roundPageSize,
		cond: expression.Key(attrRK).Equal(expression.Value(roundPK(quizID, roundID, shard))).
			And(expression.Key(attrRS).BeginsWith(prefix))}
}

// rangeReader reads a shard's entries with lo ≤ rs ≤ hi, starting with small pages.
func (s *Store) rangeReader(quizID, roundID string, shard int, lo, hi string, forward bool, limit int32) *shardReader {
	return &shardReader{s: s, forward: forward, limit: limit, grow: true,
		cond: expression.Key(attrRK).Equal(expression.Value(roundPK(quizID, roundID, shard))).
			And(expression.Key(attrRS).Between(expression.Value(lo), expression.Value(hi)))}
}

// peek returns the reader's next item without taking it, nil when the reader is done.
func (r *shardReader) peek(ctx context.Context) (map[string]types.AttributeValue, error) {
	for len(r.items) == 0 {
		if r.started && r.last == nil {
			return nil, nil
		}
		r.started = true
		in, err := r.s.keyQuery(IndexByRound, r.cond)
		if err != nil {
			return nil, err
		}
		in.ExclusiveStartKey, in.Limit, in.ScanIndexForward = r.last, aws.Int32(r.limit), aws.Bool(r.forward)
		in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
		out, err := r.s.db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("read round index: %w", err)
		}
		r.s.meterRead(out.ConsumedCapacity)
		r.items, r.last = out.Items, out.LastEvaluatedKey
		if r.grow {
			r.limit = min(2*r.limit, roundPageSize)
		}
	}
	return r.items[0], nil
}

func (r *shardReader) take() { r.items = r.items[1:] }

func sortKeyOf(item map[string]types.AttributeValue) string {
	if v, ok := item[attrRS].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// scoreGroup is the score part of a sort key: entries with equal scores share it.
func scoreGroup(rs string) string {
	if len(rs) < scoreGroupLen {
		return rs
	}
	return rs[:scoreGroupLen]
}

// TopEntries reads a round's ranked entries best score first, merging the shards, until
// it has `persons` distinct persons and then to the end of that score group (a later
// tie-break such as prediction distance may reorder the whole group). persons ≤ 0
// reads every ranked entry. TopEntriesNearTruth reads far less when the prediction
// distance is the tie-break right after the score.
func (s *Store) TopEntries(ctx context.Context, quizID, roundID string, persons int) ([]quiz.Attempt, error) {
	readers := make([]*shardReader, RoundShards)
	for i := range readers {
		readers[i] = s.prefixReader(quizID, roundID, i, rankedPrefix)
	}
	seen := map[string]bool{}
	var out []quiz.Attempt
	boundary := ""
	for {
		best := -1
		var bestItem map[string]types.AttributeValue
		for i, r := range readers {
			item, err := r.peek(ctx)
			if err != nil {
				return nil, err
			}
			if item != nil && (bestItem == nil || sortKeyOf(item) < sortKeyOf(bestItem)) {
				best, bestItem = i, item
			}
		}
		if bestItem == nil {
			return out, nil
		}
		if boundary != "" && scoreGroup(sortKeyOf(bestItem)) != boundary {
			return out, nil
		}
		readers[best].take()
		var err error
		if out, err = appendEntry(out, seen, bestItem); err != nil {
			return nil, err
		}
		if persons > 0 && boundary == "" && len(seen) >= persons {
			boundary = scoreGroup(sortKeyOf(bestItem))
		}
	}
}

// appendEntry decodes the entry a merge took and notes its person as seen.
func appendEntry(out []quiz.Attempt, seen map[string]bool, item map[string]types.AttributeValue) ([]quiz.Attempt, error) {
	a, _, err := AttemptFromItem(item)
	if err != nil {
		return out, err
	}
	seen[a.IdentityKey()] = true
	return append(out, a), nil
}

// TopEntriesNearTruth reads a round's ranked entries in the order score (high first),
// then distance of the prediction to truth (small first), until it has `persons`
// distinct persons, and then to the end of that (score, distance) group, whose order
// the later criteria decide. Read so, every person read has their best attempt by score
// and distance among those read and every person not read ranks below all of them, so
// contest.Rank over the result gives exactly the first `persons` places of a ranking by
// score then prediction distance over every entry (ties included), whatever the
// round's size: each score group is read outwards from the truth, per shard one query
// upwards (prediction ≥ truth) and one downwards, merged by distance, in small pages.
// persons ≤ 0 reads every ranked entry, as TopEntries does.
func (s *Store) TopEntriesNearTruth(ctx context.Context, quizID, roundID string, truth int64, persons int) ([]quiz.Attempt, error) {
	if persons <= 0 {
		return s.TopEntries(ctx, quizID, roundID, 0)
	}
	// About persons/32 entries come from each of the 2×16 readers; a reader that needs
	// more doubles its page.
	first := int32(min(persons/(2*RoundShards)+2, roundPageSize))
	at := predictionKey(truth)
	seen := map[string]bool{}
	var out []quiz.Attempt
	group, err := s.nextScoreGroup(ctx, quizID, roundID, rankedPrefix)
	for ; err == nil && group != ""; group, err = s.nextScoreGroup(ctx, quizID, roundID, groupAfter(group)) {
		readers := make([]*shardReader, 0, 2*RoundShards)
		for i := range RoundShards {
			readers = append(readers,
				s.rangeReader(quizID, roundID, i, group+"#"+at, group+"#~", true, first),
				s.rangeReader(quizID, roundID, i, group+"#", group+"#"+at, false, first))
		}
		boundary := int64(-1) // the distance of the place that reached `persons`
		for {
			best, bestDist := -1, int64(0)
			var bestItem map[string]types.AttributeValue
			for i, r := range readers {
				item, err := r.peek(ctx)
				if err != nil {
					return nil, err
				}
				if item == nil {
					continue
				}
				p, ok := predictionOfRoundSK(sortKeyOf(item))
				if !ok {
					return nil, fmt.Errorf("read round index: sort key %q has no prediction", sortKeyOf(item))
				}
				if d := contest.Distance(p, truth); bestItem == nil || d < bestDist {
					best, bestDist, bestItem = i, d, item
				}
			}
			if bestItem == nil || (boundary >= 0 && bestDist != boundary) {
				break
			}
			readers[best].take()
			if out, err = appendEntry(out, seen, bestItem); err != nil {
				return nil, err
			}
			if boundary < 0 && len(seen) >= persons {
				boundary = bestDist
			}
		}
		if boundary >= 0 {
			return out, nil
		}
	}
	return out, err
}

// groupAfter is a sort key after every key of group and before the next group's: the
// group's keys continue with '#', and '$' follows it.
func groupAfter(group string) string { return group + "$" }

// nextScoreGroup returns the best ranked score group at or after the sort key from in any
// shard ("" when none): one item per shard.
func (s *Store) nextScoreGroup(ctx context.Context, quizID, roundID, from string) (string, error) {
	next := ""
	for i := range RoundShards {
		r := s.rangeReader(quizID, roundID, i, from, rankedPrefix+"~", true, 1)
		item, err := r.peek(ctx)
		if err != nil {
			return "", err
		}
		if g := scoreGroup(sortKeyOf(item)); item != nil && (next == "" || g < next) {
			next = g
		}
	}
	return next, nil
}

type roundCursor struct {
	Shard int               `json:"s"`
	Last  map[string]string `json:"l,omitempty"`
}

// RoundPage returns up to limit entries of a round (ranked or not) for the audit export,
// shard after shard, and the cursor of the next page ("" after the last). Memory stays
// bounded by the page, whatever the size of the round.
func (s *Store) RoundPage(ctx context.Context, quizID, roundID, cursor string, limit int) ([]quiz.Attempt, string, error) {
	var c roundCursor
	if cursor != "" {
		if err := contest.DecodeCursor(cursor, &c); err != nil {
			return nil, "", err
		}
		if !c.validFor(quizID, roundID) {
			return nil, "", errBadCursor
		}
	}
	var out []quiz.Attempt
	for c.Shard < RoundShards && len(out) < limit {
		in, err := s.keyQuery(IndexByRound, expression.Key(attrRK).Equal(expression.Value(roundPK(quizID, roundID, c.Shard))))
		if err != nil {
			return nil, "", err
		}
		in.Limit = aws.Int32(int32(limit - len(out)))
		if len(c.Last) > 0 { // the cursor keeps the last key's string attributes
			if in.ExclusiveStartKey, err = attributevalue.MarshalMap(c.Last); err != nil {
				return nil, "", errBadCursor
			}
		}
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, "", fmt.Errorf("read round page: %w", err)
		}
		for _, item := range res.Items {
			a, _, err := AttemptFromItem(item)
			if err != nil {
				return nil, "", err
			}
			out = append(out, a)
		}
		if res.LastEvaluatedKey == nil {
			c = roundCursor{Shard: c.Shard + 1}
			continue
		}
		c.Last = nil
		if err := attributevalue.UnmarshalMap(res.LastEvaluatedKey, &c.Last); err != nil {
			return nil, "", fmt.Errorf("read round page: %w", err)
		}
	}
	if c.Shard >= RoundShards {
		return out, "", nil
	}
	return out, contest.EncodeCursor(c), nil
}

// validFor reports whether a decoded cursor can be a position in this round's pages: a
// shard of the round and, within it, the key of one of its index entries, so a tampered
// cursor is refused before it reaches a query.
func (c roundCursor) validFor(quizID, roundID string) bool {
	if c.Shard < 0 || c.Shard >= RoundShards {
		return false
	}
	if len(c.Last) == 0 {
		return c.Last == nil
	}
	if len(c.Last) != 4 {
		return false
	}
	pk, sk, rk, rs := c.Last[attrPK], c.Last[attrSK], c.Last[attrRK], c.Last[attrRS]
	return rk == roundPK(quizID, roundID, c.Shard) && sk == singleSK &&
		strings.HasPrefix(pk, prefixAttempt) && len(pk) > len(prefixAttempt) &&
		(strings.HasPrefix(rs, rankedPrefix) || strings.HasPrefix(rs, unrankedPrefix))
}
