package dynamo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

const roundPageSize = 200

// shardReader pages through one shard of a round's index, best entries first.
type shardReader struct {
	s       *Store
	pk      string
	prefix  string
	items   []map[string]types.AttributeValue
	last    map[string]types.AttributeValue
	started bool
}

func (r *shardReader) peek(ctx context.Context) (map[string]types.AttributeValue, error) {
	for len(r.items) == 0 {
		if r.started && r.last == nil {
			return nil, nil
		}
		r.started = true
		in, err := r.s.keyQuery(IndexByRound, expression.Key(attrRK).Equal(expression.Value(r.pk)).
			And(expression.Key(attrRS).BeginsWith(r.prefix)))
		if err != nil {
			return nil, err
		}
		in.ExclusiveStartKey, in.Limit = r.last, aws.Int32(roundPageSize)
		out, err := r.s.db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("read round index: %w", err)
		}
		r.items, r.last = out.Items, out.LastEvaluatedKey
	}
	return r.items[0], nil
}

func sortKeyOf(item map[string]types.AttributeValue) string {
	if v, ok := item[attrRS].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// scoreGroup is the score part of a sort key: entries with equal scores share it.
func scoreGroup(rs string) string {
	if len(rs) < 8 {
		return rs
	}
	return rs[:8]
}

// TopEntries reads a round's ranked entries best score first, merging the shards, until
// it has `persons` distinct persons and then to the end of that score group (a later
// tie-break such as prediction distance may reorder the whole group). persons ≤ 0
// reads every ranked entry.
func (s *Store) TopEntries(ctx context.Context, quizID, roundID string, persons int) ([]quiz.Attempt, error) {
	readers := make([]*shardReader, RoundShards)
	for i := range readers {
		readers[i] = &shardReader{s: s, pk: roundPK(quizID, roundID, i), prefix: rankedPrefix}
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
		readers[best].items = readers[best].items[1:]
		a, _, err := AttemptFromItem(bestItem)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
		seen[a.IdentityKey()] = true
		if persons > 0 && boundary == "" && len(seen) >= persons {
			boundary = scoreGroup(sortKeyOf(bestItem))
		}
	}
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
