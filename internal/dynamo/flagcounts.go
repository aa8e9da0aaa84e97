package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/contest"
)

// The counts the identical-answers rule weighs a burst by (contest/rarity.go), kept by
// the aggregator per stream batch, before the batch's evidence (so a group's members are
// always counted when it is judged):
//
//   - per round, its entries and how many gave each answer: RFCNT#<quiz>#<round>#<shard>
//     sk=C, attributes n and a:<answer key>;
//   - per round and UTC day, the entries in each contest.BurstSpan slot of the day:
//     RFWIN#<quiz>#<round>#<day>#<shard> sk=W, attributes s<slot of the day> (at most 144).
//
// A batch adds its deltas with one UpdateItem ADD per item it touches, all in the shard of
// its first entry (RoundShards), so a batch costs one write per round and day whatever
// its size, and a surge of small batches spreads over the shards. They are read back, summed
// over the shards with one BatchGetItem, only when some burst group can be judged.
//
// ADD is not idempotent: a batch delivered again (a retry after a failure) counts its
// entries again, and so do an entry's later stream records (a regrade, a purge). The
// rule tolerates that, since it weighs estimates: answer shares are ratios, which a
// batch counted twice moves by at most that batch's weight in the round, and a window
// counted high makes λ larger, so fewer flags, never more. Exact counts would cost a
// marker write per entry, more than everything here.

// Attribute names and limits of the count items.
const (
	attrCountEntries  = "n"
	countAnswerPrefix = "a:"
	countSlotPrefix   = "s"
	// countTermsPerUpdate keeps an update's expression well under DynamoDB's 4 KB.
	countTermsPerUpdate = 100
	// slotsPerDay is how many BurstSpan slots a day item holds.
	slotsPerDay = int64(24 * time.Hour / contest.BurstSpan)
)

// batchCounts is what a batch adds to one round's counts.
type batchCounts struct {
	quizID, roundID string
	shard           int
	entries         int64
	answers         map[string]int64
	days            map[int64]map[int64]int64 // day → slot of the day → entries
}

func newBatchCounts(quizID, roundID, firstAttemptID string) *batchCounts {
	return &batchCounts{quizID: quizID, roundID: roundID, shard: roundShard(firstAttemptID),
		answers: map[string]int64{}, days: map[int64]map[int64]int64{}}
}

func (c *batchCounts) add(e contest.FlagEntry) {
	c.entries++
	for _, k := range e.Answers {
		c.answers[k]++
	}
	day, slot := daySlot(contest.BurstSlot(e.SubmittedAt))
	if c.days[day] == nil {
		c.days[day] = map[int64]int64{}
	}
	c.days[day][slot]++
}

// daySlot splits a slot into its UTC day and its slot within the day.
func daySlot(slot int64) (day, ofDay int64) {
	day = slot / slotsPerDay
	if slot%slotsPerDay < 0 { // before 1970: floor, not truncation
		day--
	}
	return day, slot - day*slotsPerDay
}

// flagCountUpdate is one UpdateItem of the counts.
type flagCountUpdate struct {
	pk, sk, entity string
	add            map[string]int64
}

// updates lists the writes of a batch's counts: the answer item (in parts when a batch
// holds many distinct answers) and one item per day.
func (c *batchCounts) updates() []flagCountUpdate {
	var out []flagCountUpdate
	pk, sk := flagCountKey(c.quizID, c.roundID, c.shard)
	part := map[string]int64{attrCountEntries: c.entries}
	for k, n := range c.answers {
		if len(part) == countTermsPerUpdate {
			out = append(out, flagCountUpdate{pk: pk, sk: sk, entity: entityFlagCount, add: part})
			part = map[string]int64{}
		}
		part[countAnswerPrefix+k] = n
	}
	out = append(out, flagCountUpdate{pk: pk, sk: sk, entity: entityFlagCount, add: part})
	for day, slots := range c.days {
		pk, sk := flagSlotsKey(c.quizID, c.roundID, day, c.shard)
		add := map[string]int64{}
		for slot, n := range slots {
			add[countSlotPrefix+strconv.FormatInt(slot, 10)] = n
		}
		out = append(out, flagCountUpdate{pk: pk, sk: sk, entity: entityFlagSlots, add: add})
	}
	return out
}

// writeCounts adds a batch's counts, a few updates at a time.
func (s *Store) writeCounts(ctx context.Context, counts []*batchCounts) error {
	var ups []flagCountUpdate
	for _, c := range counts {
		ups = append(ups, c.updates()...)
	}
	return inParallel(len(ups), flagWriters, func(i int) error { return s.addCounts(ctx, ups[i]) })
}

func (s *Store) addCounts(ctx context.Context, u flagCountUpdate) error {
	upd := expression.Set(expression.Name(attrEntity), expression.Value(u.entity))
	for name, n := range u.add {
		// Answer keys hold question and option ids: no dot may make them a path.
		upd = upd.Add(expression.NameNoDotSplit(name), expression.Value(n))
	}
	in, err := s.updateInput(u.pk, u.sk, upd, nil)
	if err != nil {
		return fmt.Errorf("flag counts: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	res, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return fmt.Errorf("add flag counts: %w", err)
	}
	s.meter(deref(res.ConsumedCapacity)...)
	return nil
}

// roundCounts is a round's counts as read: the answers, and the entries per slot of the
// days read.
type roundCounts struct {
	answers contest.AnswerCounts
	slots   map[int64]int64 // slot (since the epoch) → entries
}

// window is the entries counted in the window that starts at slot w.
func (rc roundCounts) window(w int64) int64 {
	var n int64
	for _, slot := range contest.WindowSlots(w) {
		n += rc.slots[slot]
	}
	return n
}

// readCounts reads a round's answer counts and the slot counts of the given days,
// summed over the shards, strongly consistent: what every batch before it wrote.
func (s *Store) readCounts(ctx context.Context, quizID, roundID string, days map[int64]bool) (roundCounts, error) {
	rc := roundCounts{answers: contest.AnswerCounts{Answers: map[string]int64{}}, slots: map[int64]int64{}}
	var keys []map[string]types.AttributeValue
	for shard := range RoundShards {
		keys = append(keys, key(flagCountKey(quizID, roundID, shard)))
		for day := range days {
			keys = append(keys, key(flagSlotsKey(quizID, roundID, day, shard)))
		}
	}
	items, err := s.batchGetItems(ctx, keys)
	if err != nil {
		return rc, fmt.Errorf("read flag counts: %w", err)
	}
	for _, item := range items {
		var k keyItem
		if err := attributevalue.UnmarshalMap(item, &k); err != nil {
			return rc, fmt.Errorf("read flag counts: %w", err)
		}
		day, isSlots := dayOfSlotsPK(k.PK)
		for name, av := range item {
			num, ok := av.(*types.AttributeValueMemberN)
			if !ok {
				continue
			}
			n, err := strconv.ParseInt(num.Value, 10, 64)
			if err != nil {
				return rc, fmt.Errorf("flag count %s: %w", name, err)
			}
			switch {
			case isSlots && strings.HasPrefix(name, countSlotPrefix):
				slot, err := strconv.ParseInt(name[len(countSlotPrefix):], 10, 64)
				if err != nil {
					return rc, fmt.Errorf("flag count %s: %w", name, err)
				}
				rc.slots[day*slotsPerDay+slot] += n
			case !isSlots && name == attrCountEntries:
				rc.answers.Entries += n
			case !isSlots && strings.HasPrefix(name, countAnswerPrefix):
				rc.answers.Answers[name[len(countAnswerPrefix):]] += n
			}
		}
	}
	return rc, nil
}
