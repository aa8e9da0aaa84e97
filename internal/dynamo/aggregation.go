package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
)

// What aggregation writes: per stream record one small conditional write (the
// participant's ledger, FIRST#<quiz>#<shard> sk=<identity>), per batch one UpdateItem per counter
// item, not a transaction.
//
// Why it counts each record once. A counter item keeps, per lane (a stream shard, or a
// replayed letter), the sequence number of the last record it added: ck_<lane>. Lambda
// delivers a shard's records in order, one batch at a time, and retries (after a
// reported failure, or bisected) only records from the failure on, so the records a
// counter has from a lane are exactly those up to its checkpoint. The update adds a
// batch's records to an item only if its checkpoint is below the first of them, and
// when it is not, re-reads the checkpoint and adds only those after it. A record's
// deltas must be the same on every try: the ledger entry written for it before any
// counter keeps what they depended on (aggregate.Entry), and a record whose entry was
// written by another record (a replay, a rebuild) adds nothing.
//
// What it cannot tell: a letter replayed after the shard moved on re-applies its records
// under a lane of its own; if a counter item had already taken them before the batch
// failed for good (one counter item failing through every retry while another
// succeeded), they count twice there. infra/rebuild repairs that.

const (
	attrLedgerVersion = "v"
	entryPrefix       = "a_"
	checkpointPrefix  = "ck_"
	// seqWidth pads sequence numbers so that they compare as strings: DynamoDB
	// Streams' are decimal strings of 21 to 40 digits.
	seqWidth = 48
	// checkpointTTL: a lane's checkpoint not moved for this long belongs to a closed
	// shard (shards roll over every few hours) or an old replay, and is removed.
	checkpointTTL  = 24 * time.Hour
	maxLedgerTries = 5
)

// entryDoc is a ledger entry as stored (JSON in attribute a_<attemptId>_<gradeVersion>).
type entryDoc struct {
	Role aggregate.Role `json:"r"`
	Lane string         `json:"l"`
	Seq  string         `json:"s"`
	Prev *compactEvent  `json:"p,omitempty"`
}

// compactEvent is an aggregate.Event in few bytes: short names, no zero values, and
// neither the quiz nor the identity, which the ledger's key holds.
type compactEvent struct {
	AttemptID    string            `json:"a"`
	SubmittedAt  int64             `json:"t"` // Unix nanoseconds
	UnitID       string            `json:"u"`
	Month        string            `json:"m"`
	Scored       bool              `json:"s,omitempty"`
	ScoreMilli   int64             `json:"sc,omitempty"`
	Passed       bool              `json:"p,omitempty"`
	Topics       map[string][2]int `json:"tp,omitempty"` // answered, correct
	Groups       []string          `json:"g,omitempty"`
	Correct      map[string]bool   `json:"c,omitempty"`
	Options      []string          `json:"o,omitempty"`
	GradeVersion int               `json:"v,omitempty"`
	RoundID      string            `json:"r,omitempty"`
	Perfect      bool              `json:"pf,omitempty"`
	Suspect      bool              `json:"x,omitempty"`
}

func compactOf(e aggregate.Event) *compactEvent {
	c := &compactEvent{AttemptID: e.AttemptID, SubmittedAt: e.SubmittedAt.UnixNano(), UnitID: e.Key.UnitID, Month: e.Key.Month,
		Scored: e.Scored, ScoreMilli: e.ScoreMilli, Passed: e.Passed, Groups: e.Groups, Correct: e.Correct, Options: e.Options,
		GradeVersion: e.GradeVersion, RoundID: e.RoundID, Perfect: e.Perfect, Suspect: e.Suspect}
	if len(e.Topics) > 0 {
		c.Topics = make(map[string][2]int, len(e.Topics))
		for t, v := range e.Topics {
			c.Topics[t] = [2]int{v.Answered, v.Correct}
		}
	}
	return c
}

func (c *compactEvent) event(quizID, identity string) aggregate.Event {
	e := aggregate.Event{AttemptID: c.AttemptID, Identity: identity, SubmittedAt: time.Unix(0, c.SubmittedAt).UTC(),
		Key:    aggregate.Key{QuizID: quizID, UnitID: c.UnitID, Month: c.Month},
		Scored: c.Scored, ScoreMilli: c.ScoreMilli, Passed: c.Passed, Groups: c.Groups, Correct: c.Correct, Options: c.Options,
		GradeVersion: c.GradeVersion, RoundID: c.RoundID, Perfect: c.Perfect, Suspect: c.Suspect}
	if c.Topics != nil {
		e.Topics = make(map[string]quiz.TopicTally, len(c.Topics))
		for t, v := range c.Topics {
			e.Topics[t] = quiz.TopicTally{Answered: v[0], Correct: v[1]}
		}
	}
	return e
}

func encodeCompact(e aggregate.Event) (string, error) {
	b, err := json.Marshal(compactOf(e))
	return string(b), err
}

func decodeCompact(s, quizID, identity string) (aggregate.Event, error) {
	var c compactEvent
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return aggregate.Event{}, err
	}
	return c.event(quizID, identity), nil
}

func entryName(k aggregate.EntryKey) string {
	return entryPrefix + k.AttemptID + "_" + strconv.Itoa(k.GradeVersion)
}

func encodeEntry(en aggregate.Entry) (string, error) {
	d := entryDoc{Role: en.Role, Lane: en.Lane, Seq: en.Seq}
	if en.Prev != nil {
		d.Prev = compactOf(*en.Prev)
	}
	b, err := json.Marshal(d)
	return string(b), err
}

// decodeEntry reads an entry of the ledger of (quizID, identity).
func decodeEntry(s, quizID, identity string) (aggregate.Entry, error) {
	var d entryDoc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return aggregate.Entry{}, err
	}
	en := aggregate.Entry{Role: d.Role, Lane: d.Lane, Seq: d.Seq}
	if d.Prev != nil {
		prev := d.Prev.event(quizID, identity)
		en.Prev = &prev
	}
	return en, nil
}

// ledger reads a participant's ledger and its version (0: none yet, or a stored ledger
// without a version attribute).
func (s *Store) ledger(ctx context.Context, quizID, identity string) (aggregate.Ledger, int, error) {
	pk, sk := ledgerKey(quizID, identity)
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return aggregate.Ledger{}, 0, fmt.Errorf("read ledger: %w", err)
	}
	s.meterRead(res.ConsumedCapacity)
	l := aggregate.Ledger{Entries: map[aggregate.EntryKey]aggregate.Entry{}}
	if res.Item == nil {
		return l, 0, nil
	}
	var it firstItem
	var version int
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return l, 0, fmt.Errorf("decode ledger: %w", err)
	}
	if v, ok := res.Item[attrLedgerVersion]; ok {
		if err := attributevalue.Unmarshal(v, &version); err != nil {
			return l, 0, fmt.Errorf("decode ledger version: %w", err)
		}
	}
	if it.AttemptID != "" {
		if it.Compact != "" {
			l.Holder, err = decodeCompact(it.Compact, quizID, identity)
		} else {
			l.Holder, err = decodeEvent(it.Event)
		}
		if err != nil {
			return l, 0, fmt.Errorf("decode first-attempt claim: %w", err)
		}
		l.Claimed = true
	}
	for name, av := range res.Item {
		rest, ok := strings.CutPrefix(name, entryPrefix)
		if !ok {
			continue
		}
		id, gv := splitLast(rest)
		n, err := strconv.Atoi(gv)
		sv, isS := av.(*types.AttributeValueMemberS)
		if err != nil || !isS {
			return l, 0, fmt.Errorf("ledger entry %s is malformed", name)
		}
		en, err := decodeEntry(sv.Value, quizID, identity)
		if err != nil {
			return l, 0, fmt.Errorf("decode ledger entry: %w", err)
		}
		l.Entries[aggregate.EntryKey{AttemptID: id, GradeVersion: n}] = en
	}
	return l, version, nil
}

// countRecord writes r's ledger entry (and claim) and returns the deltas r adds to the
// counters; a version condition makes concurrent records of one participant (from
// other shards) decide again on what the other wrote.
func (s *Store) countRecord(ctx context.Context, r aggregate.Record) ([]aggregate.Counter, error) {
	e := r.Event
	for range maxLedgerTries {
		l, version, err := s.ledger(ctx, e.Key.QuizID, e.Identity)
		if err != nil {
			return nil, err
		}
		out := aggregate.Count(l, r)
		if out.Skip || !out.Write {
			return out.Deltas, nil
		}
		entry, err := encodeEntry(out.Entry)
		if err != nil {
			return nil, fmt.Errorf("encode ledger entry: %w", err)
		}
		upd := expression.Set(expression.Name(attrEntity), expression.Value(entityFirst)).
			Set(expression.Name(entryName(aggregate.EntryKey{AttemptID: e.AttemptID, GradeVersion: e.GradeVersion})), expression.Value(entry)).
			Set(expression.Name(attrLedgerVersion), expression.Value(version+1))
		if h := out.NewHolder; h != nil {
			body, err := encodeCompact(*h)
			if err != nil {
				return nil, fmt.Errorf("encode first-attempt claim: %w", err)
			}
			upd = upd.Set(expression.Name(attrAttemptID), expression.Value(h.AttemptID)).
				Set(expression.Name(attrGV), expression.Value(h.GradeVersion)).
				Set(expression.Name("ev"), expression.Value(body)).
				Remove(expression.Name("event")) // a claim's long form (eventDoc), which ev replaces
		}
		cond := expression.Name(attrLedgerVersion).Equal(expression.Value(version))
		if version == 0 {
			cond = expression.Name(attrLedgerVersion).AttributeNotExists()
		}
		pk, sk := ledgerKey(e.Key.QuizID, e.Identity)
		in, err := s.updateInput(pk, sk, upd, &cond)
		if err != nil {
			return nil, err
		}
		in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
		res, err := s.db.UpdateItem(ctx, in)
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			s.meterRejected(1)
			continue // another record of this participant got there first: decide again
		}
		if err != nil {
			return nil, fmt.Errorf("write ledger: %w", err)
		}
		s.meter(deref(res.ConsumedCapacity)...)
		return out.Deltas, nil
	}
	return nil, fmt.Errorf("count attempt: the participant's ledger kept changing")
}

// pendingCounter is what a batch adds to one counter item: each record's deltas in
// stream order, with the record's index in the batch.
type pendingCounter struct {
	key   aggregate.Key
	parts []pendingPart
}

type pendingPart struct {
	index int
	seq   string
	delta aggregate.Counter
}

// ApplyBatch counts a batch of one lane's records, in stream order, and returns how
// many of them (a prefix) are fully applied; with err, the rest must be delivered again.
func (s *Store) ApplyBatch(ctx context.Context, lane string, recs []aggregate.Record) (int, error) {
	done := len(recs)
	var firstErr error
	pending := map[aggregate.Key]*pendingCounter{}
	var order []aggregate.Key
	for i, r := range recs {
		if r.Lane != lane {
			done, firstErr = i, fmt.Errorf("record %d of lane %q in a batch of lane %q", i, r.Lane, lane)
			break
		}
		_, err := padSeq(r.Seq)
		var deltas []aggregate.Counter
		if err == nil {
			deltas, err = s.countRecord(ctx, r)
		}
		if err != nil { // the records before it still reach the counters below
			done, firstErr = i, err
			break
		}
		for _, d := range deltas {
			p, ok := pending[d.Key]
			if !ok {
				p = &pendingCounter{key: d.Key}
				pending[d.Key] = p
				order = append(order, d.Key)
			}
			p.parts = append(p.parts, pendingPart{index: i, seq: r.Seq, delta: d})
		}
	}
	for _, k := range order {
		p := pending[k]
		if err := s.applyCounter(ctx, lane, p); err != nil && len(p.parts) > 0 {
			if p.parts[0].index < done {
				done = p.parts[0].index
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	return done, firstErr
}

// applyCounter adds a batch's deltas to one counter item once: those of records after
// the item's checkpoint for the lane.
func (s *Store) applyCounter(ctx context.Context, lane string, p *pendingCounter) error {
	ck := checkpointPrefix + lane
	parts := p.parts
	for range maxLedgerTries {
		if len(parts) == 0 {
			return nil
		}
		sum := aggregate.Counter{Key: p.key}
		for _, part := range parts {
			sum.Add(part.delta)
		}
		first, _ := padSeq(parts[0].seq)
		last, _ := padSeq(parts[len(parts)-1].seq)
		upd := counterUpdate(sum).Set(expression.Name(ck), expression.Value(last+"@"+strconv.FormatInt(time.Now().Unix(), 10)))
		cond := expression.Name(ck).AttributeNotExists().Or(expression.Name(ck).LessThan(expression.Value(first)))
		pk, sk := counterKey(p.key.QuizID, p.key.UnitID, p.key.Month)
		in, err := s.updateInput(pk, sk, upd, &cond)
		if err != nil {
			return fmt.Errorf("build counter update: %w", err)
		}
		in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
		in.ReturnValues = types.ReturnValueAllNew
		res, err := s.db.UpdateItem(ctx, in)
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			s.meterRejected(1)
			// Some of these records were added before (a retry): keep those after the
			// item's checkpoint.
			at, err := s.checkpoint(ctx, pk, sk, ck)
			if err != nil {
				return err
			}
			parts = slices.DeleteFunc(parts, func(part pendingPart) bool {
				seq, _ := padSeq(part.seq)
				return seq <= at
			})
			p.parts = parts // on a failure, the first of these is the first record not applied
			continue
		}
		if err != nil {
			return fmt.Errorf("update counter: %w", err)
		}
		s.meter(deref(res.ConsumedCapacity)...)
		return s.pruneCheckpoints(ctx, pk, sk, res.Attributes)
	}
	return fmt.Errorf("update counter: its checkpoint kept moving")
}

// checkpoint reads a counter item's padded checkpoint for a lane ("" when none).
func (s *Store) checkpoint(ctx context.Context, pk, sk, ck string) (string, error) {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String("#ck"), ExpressionAttributeNames: map[string]string{"#ck": ck},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return "", fmt.Errorf("read counter checkpoint: %w", err)
	}
	s.meterRead(res.ConsumedCapacity)
	if v, ok := res.Item[ck].(*types.AttributeValueMemberS); ok {
		seq, _, _ := strings.Cut(v.Value, "@")
		return seq, nil
	}
	return "", nil
}

// pruneCheckpoints removes the lanes of an item that have not moved for checkpointTTL,
// so that shards that closed long ago do not grow the item (and every update's cost).
func (s *Store) pruneCheckpoints(ctx context.Context, pk, sk string, item map[string]types.AttributeValue) error {
	var stale []string
	cutoff := time.Now().Add(-checkpointTTL).Unix()
	for name, av := range item {
		v, ok := av.(*types.AttributeValueMemberS)
		if !ok || !strings.HasPrefix(name, checkpointPrefix) {
			continue
		}
		_, at, _ := strings.Cut(v.Value, "@")
		if t, err := strconv.ParseInt(at, 10, 64); err == nil && t < cutoff {
			stale = append(stale, name)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	var upd expression.UpdateBuilder
	for i, name := range stale {
		if i == 0 {
			upd = expression.Remove(expression.Name(name))
		} else {
			upd = upd.Remove(expression.Name(name))
		}
	}
	in, err := s.updateInput(pk, sk, upd, nil)
	if err != nil {
		return err
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	res, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return fmt.Errorf("prune counter checkpoints: %w", err)
	}
	s.meter(deref(res.ConsumedCapacity)...)
	return nil
}

// padSeq makes a sequence number comparable as a string.
func padSeq(seq string) (string, error) {
	if seq == "" || len(seq) > seqWidth || strings.Trim(seq, "0123456789") != "" {
		return "", fmt.Errorf("sequence number %q is not a decimal of at most %d digits", seq, seqWidth)
	}
	return strings.Repeat("0", seqWidth-len(seq)) + seq, nil
}
